using Dispatch.Common;
using Dispatch.Requests;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Volunteers;

public sealed partial class VolunteerGrain(
    [PersistentState("volunteer", StorageNames.Dispatch)] IPersistentState<VolunteerGrain.State> state,
    IOptions<VolunteerOptions> options,
    TimeProvider time,
    ILogger<VolunteerGrain> logger) : Grain, IVolunteerGrain
{
    /// <summary>How often, at most, held slots are checked against their requests (the check costs a call per slot).</summary>
    public static readonly TimeSpan StaleCheckInterval = TimeSpan.FromMinutes(1);

    private DateTimeOffset? lastStaleCheck;

    private VolunteerRecord Record => state.State.Volunteer;

    private int Limit => options.Value.ClaimLimit;

    /// <summary>
    /// Slots left by a crash between the slot's write and the claim's are freed when the volunteer
    /// is next loaded, so that after a restart the record agrees with the requests at once.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Record.IsRegistered && !Record.ActiveClaims.IsEmpty)
        {
            lastStaleCheck = time.GetUtcNow();
            await ForgetStaleClaims(except: null);
        }
    }

    public async Task Register(VolunteerProfile profile)
    {
        if (Record.Register(profile, time.GetUtcNow()))
        {
            await Store();
        }
    }

    public Task<VolunteerView?> Get() => Task.FromResult(Record.ToView(Limit));

    public async Task<Outcome<VolunteerView>> ChangeProfile(ProfileChange change, Actor actor)
    {
        if (Record.Profile is not { } profile)
        {
            return Failure.NotFound("Volunteer", this.GetPrimaryKeyString());
        }

        if (VolunteerProfileRules.CheckChanger(profile.Username, actor) is { } refused)
        {
            return refused;
        }

        // The web host checks first and names every field; this guards the grain's own callers.
        if (VolunteerProfileRules.Check(change).FirstFailure() is { } invalid)
        {
            return invalid;
        }

        if (Record.ChangeProfile(change))
        {
            await Store();
        }

        return Record.ToView(Limit)!;
    }

    public async Task<bool> TryReserveClaim(Guid requestId)
    {
        if (!Record.IsRegistered)
        {
            LogUnregisteredClaim(this.GetPrimaryKeyString(), requestId);
            return false;
        }

        // At the limit, look for slots left by a crash, but not on every attempt of a busy volunteer.
        var now = time.GetUtcNow();
        if (!Record.Holds(requestId) && !Record.HasFreeSlot(Limit) && (lastStaleCheck is not { } last || now - last >= StaleCheckInterval))
        {
            lastStaleCheck = now;
            await ForgetStaleClaims(except: requestId);
        }

        if (!Record.TryReserve(requestId, Limit, time.GetUtcNow()))
        {
            return false;
        }

        await Store();
        return true;
    }

    public async Task EndClaim(Guid requestId, ClaimEnd reason)
    {
        if (Record.End(requestId, reason, time.GetUtcNow()))
        {
            await Store();
        }
    }

    public async Task Notify(Guid requestId, VolunteerAction action)
    {
        var now = time.GetUtcNow();
        var changed = action switch
        {
            VolunteerAction.Released => Record.End(requestId, ClaimEnd.Released, now),
            VolunteerAction.Completed => Record.End(requestId, ClaimEnd.Completed, now),
            VolunteerAction.ClaimEnded => Record.End(requestId, ClaimEnd.Cancelled, now),
            VolunteerAction.ClaimReinstated => Record.Reinstate(requestId, now),
            _ => NoteOffer(requestId, action, now),
        };

        if (changed)
        {
            await Store();
        }
    }

    private Task Store() => state.WriteOrReloadAsync(this);

    private bool NoteOffer(Guid requestId, VolunteerAction action, DateTimeOffset now)
    {
        Record.NoteOffer(requestId, action, now);
        return true;
    }

    /// <summary>
    /// A slot is reserved here before the request stores the claim; a crash in between leaves a
    /// slot no request knows of. Each held slot is checked against its request (an interleaved
    /// read there, so no deadlock; it counts a claim still being stored as held) and the stale ones
    /// are freed. A request that cannot be asked keeps its slot.
    /// </summary>
    private async Task ForgetStaleClaims(Guid? except)
    {
        var username = Record.Profile!.Username;
        var held = Record.ActiveClaims.Where(id => id != except).ToArray();
        var checks = await Task.WhenAll(held.Select(id => StillHeld(id, username)));
        var stale = held.Where((_, i) => !checks[i]).ToArray();
        if (stale.Length > 0 && Record.Forget(stale))
        {
            LogForgotStale(username, stale.Length);
            await Store();
        }
    }

    private async Task<bool> StillHeld(Guid requestId, string username)
    {
        try
        {
            return await GrainFactory.GetGrain<IRequestGrain>(requestId).HasActiveClaim(username);
        }
        catch (Exception exception)
        {
            LogStaleCheckFailed(exception, username, requestId);
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claim slot asked for unregistered volunteer {Volunteer} on request {RequestId}")]
    private partial void LogUnregisteredClaim(string volunteer, Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Volunteer {Volunteer}: freed {Count} claim slots no request holds")]
    private partial void LogForgotStale(string volunteer, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Volunteer {Volunteer}: could not check the claim slot of request {RequestId}; it is kept")]
    private partial void LogStaleCheckFailed(Exception exception, string volunteer, Guid requestId);

    [GenerateSerializer, Alias("Dispatch.VolunteerGrain.State")]
    public sealed class State
    {
        [Id(0)] public VolunteerRecord Volunteer { get; set; } = new();
    }
}
