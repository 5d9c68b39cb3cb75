using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Volunteers;
using Microsoft.Extensions.Logging;

namespace Dispatch.Requests;

/// <summary>
/// Holds one <see cref="ServiceRequest"/>. Being a grain, it handles one call at a time, which is
/// what makes claiming race-free: attempts queue here and each sees the result of the last.
/// </summary>
public sealed partial class RequestGrain(
    [PersistentState("request", StorageNames.Dispatch)] IPersistentState<RequestGrain.State> state,
    TimeProvider time,
    ILogger<RequestGrain> logger) : Grain, IRequestGrain
{
    private ServiceRequest? Request => state.State.Request;

    public async Task<Outcome<RequestView>> Create(NewRequest request, Actor actor)
    {
        if (Request is { } existing)
        {
            return Failure.Conflict("alreadyExists", $"Request '{existing.Id}' already exists.");
        }

        var errors = RequestLimits.Validate(request);
        if (!errors.IsEmpty)
        {
            var (field, messages) = errors.ToDictionary().First();
            return Failure.Invalid(field, messages[0]);
        }

        var created = ServiceRequest.Create(this.GetPrimaryKey(), request, actor, time.GetUtcNow());
        state.State.Request = created;
        await WriteOrReload();

        // The board learns of the request before anyone is told it exists, so it can always be rebuilt.
        await Community(created.CommunityId).Track(created.ToSummary());
        LogCreated(created.Id, created.CommunityId, created.Kind, actor.Username);
        return created.ToView();
    }

    public Task<RequestView?> Get() => Task.FromResult(Request?.ToView());

    public Task<ImmutableArray<HistoryEntry>?> GetHistory() =>
        Task.FromResult<ImmutableArray<HistoryEntry>?>(Request?.History);

    public Task<RequestSummary?> GetSummary() => Task.FromResult(Request?.ToSummary());

    public Task<bool> HasActiveClaim(string username) => Task.FromResult(Request?.HasActiveClaim(username) ?? false);

    public async Task<ClaimResult> Claim(Claimant claimant)
    {
        // The losing path: answered from memory, no I/O, no other grain, a shared result.
        if (Request is not { } request)
        {
            return ClaimResult.NotFound;
        }

        if (request.CheckClaim(claimant.Username, claimant.CommunityId) is { } loss)
        {
            return ClaimResult.Lost(loss);
        }

        // A place is free: only now is the volunteer asked for one of their claim slots.
        var volunteer = Volunteer(claimant.Username);
        if (!await volunteer.TryReserveClaim(request.Id))
        {
            return ClaimResult.ClaimLimit;
        }

        request.ApplyClaim(claimant.Username, time.GetUtcNow());
        try
        {
            await WriteOrReload();
        }
        catch
        {
            // Not stored, so not claimed: hand the volunteer's slot back before failing.
            await volunteer.EndClaim(request.Id, ClaimEnd.Released);
            throw;
        }

        Announce(request);
        return new ClaimResult(request.ToView(), null);
    }

    public Task<Outcome<RequestView>> Release(Actor actor) =>
        Transition(r => r.Release(actor, time.GetUtcNow()), endClaimOf: [actor.Username], ClaimEnd.Released);

    public Task<Outcome<RequestView>> Start(Actor actor) =>
        Transition(r => r.Start(actor, time.GetUtcNow()));

    public Task<Outcome<RequestView>> Complete(Actor actor, string? note) =>
        Transition(r => r.Complete(actor, note, time.GetUtcNow()));

    // Claims end when the work is accepted; a rejected verification keeps them with the same claimants.
    public Task<Outcome<RequestView>> Verify(Actor actor, bool approved, int? rating, string? comment) =>
        Transition(r => r.Verify(actor, approved, rating, comment, time.GetUtcNow()), endClaimOf: approved ? Request?.Claimants : null, ClaimEnd.Completed);

    public Task<Outcome<RequestView>> Cancel(Actor actor, string reason) =>
        Transition(r => r.Cancel(actor, reason, time.GetUtcNow()), endClaimOf: Request?.Claimants, ClaimEnd.Cancelled);

    /// <summary>Applies a rule of <see cref="ServiceRequest"/>, stores the result, then tells those it concerns.</summary>
    private async Task<Outcome<RequestView>> Transition(
        Func<ServiceRequest, Failure?> change,
        IEnumerable<string>? endClaimOf = null,
        ClaimEnd claimEnd = ClaimEnd.Released)
    {
        if (Request is not { } request)
        {
            return Failure.NotFound("Request", this.GetPrimaryKey().ToString());
        }

        // Captured before the change: completing or cancelling ends the claims held until then.
        var ending = endClaimOf?.ToImmutableArray() ?? [];
        if (change(request) is { } failure)
        {
            return failure;
        }

        await WriteOrReload();
        foreach (var username in ending)
        {
            await Volunteer(username).EndClaim(request.Id, claimEnd);
        }

        Announce(request);
        return request.ToView();
    }

    /// <summary>Stores the state; on failure the activation is dropped so the next call reloads what is really stored.</summary>
    private async Task WriteOrReload()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            LogWriteFailed(exception, this.GetPrimaryKey());
            DeactivateOnIdle();
            throw;
        }
    }

    private void Announce(ServiceRequest request) =>
        Community(request.CommunityId).OnRequestChanged(request.ToSummary()).Ignore();

    private ICommunityGrain Community(string communityId) =>
        GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId));

    private IVolunteerGrain Volunteer(string username) =>
        GrainFactory.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username));

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} ({Kind}) created in {CommunityId} by {Actor}")]
    private partial void LogCreated(Guid requestId, string communityId, RequestKind kind, string actor);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing request {RequestId} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, Guid requestId);

    [GenerateSerializer, Alias("Dispatch.RequestGrain.State")]
    public sealed class State
    {
        [Id(0)] public ServiceRequest? Request { get; set; }
    }
}
