using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Escalation;
using Dispatch.Places;
using Dispatch.Volunteers;
using Microsoft.Extensions.Logging;

namespace Dispatch.Requests;

/// <summary>
/// Holds one <see cref="ServiceRequest"/>. Being a grain, it handles one call at a time, which is
/// what makes claiming race-free: attempts queue here and each sees the result of the last.
/// </summary>
/// <remarks>
/// Deadlines: while active, a one-shot grain timer fires at the next deadline (to the second);
/// one Orleans reminder, registered only when the next deadline moves earlier than the one it
/// already wakes the grain for, brings it back after a deactivation or a restart.
/// </remarks>
public sealed partial class RequestGrain(
    [PersistentState("request", StorageNames.Dispatch)] IPersistentState<RequestGrain.State> state,
    TimeProvider time,
    ILogger<RequestGrain> logger) : Grain, IRequestGrain, IRemindable
{
    public const string DeadlineReminder = "deadlines";

    /// <summary>How often the reminder repeats once due, until the grain re-arms it: the backstop's precision after a restart.</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private IGrainTimer? deadlineTimer;

    // What is stored, for the interleaved reads: they may run while a change is being written.
    private RequestSummary? committed;

    private ServiceRequest? Request => state.State.Request;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        committed = Request?.ToSummary();

        // Deadlines that passed while the grain was away are applied by the timer's first tick,
        // in a turn of its own, never inside a call that activated the grain.
        ArmTimer(Request?.NextDue);
        return Task.CompletedTask;
    }

    public async Task<Outcome<RequestView>> Create(NewRequest request, Actor actor)
    {
        if (Request is { } existing)
        {
            // The same creator again: a retry (the web host derives the id from an Idempotency-Key).
            return existing.CreatedBy == actor.Username
                ? existing.ToView()
                : Failure.Conflict("alreadyExists", $"Request '{existing.Id}' already exists.");
        }

        var errors = RequestLimits.Validate(request);
        if (!errors.IsEmpty)
        {
            var (field, messages) = errors.ToDictionary().First();
            return Failure.Invalid(field, messages[0]);
        }

        if (await GrainFactory.GetGrain<IPlaceGrain>(GrainKeys.Place(request.CommunityId)).Get() is not { Kind: PlaceKind.Community } community)
        {
            return Failure.Invalid("communityId", $"'{request.CommunityId}' is not a community.");
        }

        var policy = await GrainFactory.GetGrain<IPolicyGrain>(GrainKeys.Policies).Get(request.Kind, request.Urgency);
        var created = ServiceRequest.Create(this.GetPrimaryKey(), request, actor, time.GetUtcNow(), policy, community.Path);
        state.State.Request = created;
        await Store();

        // The board learns of the request before anyone is told it exists, so it can always be
        // rebuilt. The request is stored already: if the board does not answer, it learns of it
        // from the next change instead, and the creation still stands.
        try
        {
            await Community(created.CommunityId).Track(created.ToSummary());
        }
        catch (Exception exception)
        {
            LogAfterWriteFailed(exception, created.Id, "track");
            Announce(created);
        }

        LogCreated(created.Id, created.CommunityId, created.Kind, actor.Username);
        return created.ToView();
    }

    public Task<RequestView?> Get() => Task.FromResult(Request?.ToView());

    public Task<ImmutableArray<HistoryEntry>?> GetHistory() =>
        Task.FromResult<ImmutableArray<HistoryEntry>?>(Request?.History);

    public Task<RequestSummary?> GetSummary() => Task.FromResult(committed);

    public Task<bool> HasActiveClaim(string username) => Task.FromResult(
        committed is { } stored && !stored.Status.IsFinal() && stored.Claimants.Contains(username, StringComparer.Ordinal));

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
            await Store();
        }
        catch
        {
            // Not stored, so not claimed (and this activation is dropped): hand the slot back.
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

    public Task<Outcome<RequestView>> Acknowledge(Actor actor) =>
        Transition(r => r.Acknowledge(actor, time.GetUtcNow()));

    public Task<Outcome<RequestView>> Handover(Actor actor, string to) =>
        Transition(r => r.Handover(actor, to, time.GetUtcNow()));

    public Task<Outcome<RequestView>> AcceptHandover(Actor actor) =>
        Transition(r => r.AcceptHandover(actor, time.GetUtcNow()));

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // It fired: whatever time it was registered for has passed, so it must be re-armed.
        state.State.ReminderDue = time.GetUtcNow();
        return ApplyDueDeadlines();
    }

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

        // Captured before the change: cancelling ends the claims held until then.
        var ending = endClaimOf?.ToImmutableArray() ?? [];
        if (change(request) is { } failure)
        {
            return failure;
        }

        await Store();
        await EndClaims(request.Id, ending, claimEnd);
        Announce(request);
        return request.ToView();
    }

    /// <summary>Applies every deadline that has passed: escalations, expired claims. Called by the timer and the reminder.</summary>
    private async Task ApplyDueDeadlines()
    {
        if (Request is not { } request)
        {
            return;
        }

        var now = time.GetUtcNow();
        var events = request.Advance(now);
        if (events.IsEmpty)
        {
            var next = request.NextDue;
            await SettleReminder(next);
            ArmTimer(next);
            return;
        }

        try
        {
            // An owned request that climbs brings the staff of each level it reaches in as supervisors.
            if (request.Owner is not null)
            {
                foreach (var placeId in events.Where(e => e.Kind != DeadlineKind.ClaimExpiry).Select(e => e.PlaceId).Distinct())
                {
                    request.AddSupervisors(await GrainFactory.GetGrain<IPlaceGrain>(GrainKeys.Place(placeId)).GetStaff(), now);
                }
            }
        }
        catch
        {
            // The deadlines were applied in memory only: drop them; the reminder brings them back.
            DeactivateOnIdle();
            throw;
        }

        await Store();
        var expired = events.Where(e => e.Kind == DeadlineKind.ClaimExpiry).Select(e => e.Volunteer!).ToImmutableArray();
        await EndClaims(request.Id, expired, ClaimEnd.Released);
        foreach (var volunteer in expired)
        {
            LogClaimExpired(request.Id, volunteer);
        }

        foreach (var escalation in events.Where(e => e.Kind != DeadlineKind.ClaimExpiry))
        {
            LogEscalated(request.Id, escalation.Level, escalation.PlaceId);
        }

        Announce(request);
    }

    /// <summary>
    /// Stores a change already made in memory: a reminder brought forward first (harmless if the
    /// write then fails), the state, then the reminder moved later or dropped, and the timer. If
    /// anything fails before the state is stored, the activation is dropped so that the next call
    /// reloads what is really stored.
    /// </summary>
    private async Task Store()
    {
        // The next deadline, worked out once for the reminder, the timer and the reminder again.
        var due = Request?.NextDue;
        try
        {
            await BringReminderForward(due);
            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            LogWriteFailed(exception, this.GetPrimaryKey());
            DeactivateOnIdle();
            throw;
        }

        committed = Request?.ToSummary();
        ArmTimer(due);
        try
        {
            await SettleReminder(due);
        }
        catch (Exception exception)
        {
            // Stored already; the earlier reminder stays and re-arms itself when it fires.
            LogAfterWriteFailed(exception, this.GetPrimaryKey(), "reminder");
        }
    }

    /// <summary>Frees volunteers' slots after a stored change; a failure is logged and healed by the volunteer's own check at its limit.</summary>
    private async Task EndClaims(Guid requestId, ImmutableArray<string> volunteers, ClaimEnd reason)
    {
        foreach (var username in volunteers)
        {
            try
            {
                await Volunteer(username).EndClaim(requestId, reason);
            }
            catch (Exception exception)
            {
                LogAfterWriteFailed(exception, requestId, $"free the slot of {username}");
            }
        }
    }

    /// <summary>A one-shot timer for the next deadline, re-armed after every change.</summary>
    private void ArmTimer(DateTimeOffset? next)
    {
        deadlineTimer?.Dispose();
        deadlineTimer = null;
        if (next is { } due)
        {
            var delay = Max(due - time.GetUtcNow(), TimeSpan.Zero);
            deadlineTimer = this.RegisterGrainTimer(_ => ApplyDueDeadlines(), delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Before a write: makes sure a reminder wakes the grain no later than the next deadline.
    /// A reminder still ahead and not after it is left alone (most changes cost no reminder write).
    /// </summary>
    private async Task BringReminderForward(DateTimeOffset? next)
    {
        if (next is not { } due)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (state.State.ReminderDue is { } at && at > now && at <= due)
        {
            return;
        }

        await this.RegisterOrUpdateReminder(DeadlineReminder, Max(due - now, TimeSpan.Zero), ReminderPeriod);
        state.State.ReminderDue = due;
    }

    /// <summary>
    /// After a write (or a reminder with nothing to do): drops the reminder of a request with no
    /// deadline left, and re-arms one that has fired for the next deadline. Never moves a reminder
    /// later before the state saying so is stored.
    /// </summary>
    private async Task SettleReminder(DateTimeOffset? next)
    {
        var registered = state.State.ReminderDue;
        if (next is null)
        {
            if (registered is not null)
            {
                if (await this.GetReminder(DeadlineReminder) is { } reminder)
                {
                    await this.UnregisterReminder(reminder);
                }

                state.State.ReminderDue = null;
            }

            return;
        }

        await BringReminderForward(next);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Tells the board what was just stored (one-way: never on the caller's path).</summary>
    private void Announce(ServiceRequest request) =>
        Community(request.CommunityId).OnRequestChanged(committed ?? request.ToSummary()).Ignore();

    private ICommunityGrain Community(string communityId) =>
        GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId));

    private IVolunteerGrain Volunteer(string username) =>
        GrainFactory.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username));

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} ({Kind}) created in {CommunityId} by {Actor}")]
    private partial void LogCreated(Guid requestId, string communityId, RequestKind kind, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} escalated to level {Level} ({PlaceId})")]
    private partial void LogEscalated(Guid requestId, int level, string placeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId}: the claim of {Volunteer} expired")]
    private partial void LogClaimExpired(Guid requestId, string volunteer);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing request {RequestId} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} was stored, but the follow-up step '{Step}' failed")]
    private partial void LogAfterWriteFailed(Exception exception, Guid requestId, string step);

    [GenerateSerializer, Alias("Dispatch.RequestGrain.State")]
    public sealed class State
    {
        [Id(0)] public ServiceRequest? Request { get; set; }

        /// <summary>When the registered reminder next fires, as far as this grain knows.</summary>
        [Id(1)] public DateTimeOffset? ReminderDue { get; set; }
    }
}
