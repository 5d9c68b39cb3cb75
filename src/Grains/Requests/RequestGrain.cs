using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Escalation;
using Dispatch.Places;
using Dispatch.Points;
using Dispatch.Queries;
using Dispatch.Volunteers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Requests;

/// <summary>
/// Holds one <see cref="ServiceRequest"/>: every change to a request, a winning claim included,
/// is made here, one at a time, each seeing the result of the last. That is what makes claiming
/// race-free.
/// </summary>
/// <remarks>
/// <para>
/// <b>Turns.</b> Every call but the interleaving ones (claims, summaries, the claim check of a
/// volunteer's grain), every timer tick and reminder, and the winning part of a claim run one at a
/// time behind a <see cref="TurnGate"/>. A claim first asks the request from memory: an attempt that
/// loses is answered at once, even while a winner's claim is being stored (no I/O, no other grain,
/// a shared result). One the request allows holds its places in <see cref="PendingClaims"/> and
/// waits for a turn; one that only others' holds stand in the way of waits until a hold is decided
/// and is judged again. Interleaved reads answer from what was last stored.
/// </para>
/// <para>
/// <b>Storage.</b> A change is stored before it is answered; a failed write drops the activation
/// (<see cref="StateWrites"/>). What follows a stored change (telling volunteers' grains and the
/// board, posting points) is best effort and logged; postings wait in the state until confirmed.
/// </para>
/// <para>
/// <b>Deadlines.</b> A <see cref="DeadlineAlarm"/> wakes the grain at the next deadline (its timer
/// when near, its reminder always, also after a restart). Deadlines are applied only in those
/// turns, never inside a call that activated the grain.
/// </para>
/// </remarks>
public sealed partial class RequestGrain(
    [PersistentState("request", StorageNames.Dispatch)] IPersistentState<RequestGrain.State> state,
    IOptions<PointsOptions> points,
    IOptions<RequestOptions> options,
    TimeProvider time,
    ILogger<RequestGrain> logger) : Grain, IRequestGrain, IRemindable, IIncomingGrainCallFilter, IDisposable
{
    public const string DeadlineReminder = "deadlines";

    /// <summary>How often the reminder repeats once due, until the grain re-arms it: the backstop's precision after a restart.</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How soon postings the ledgers did not confirm are tried again.</summary>
    public static readonly TimeSpan PostingRetry = TimeSpan.FromSeconds(30);

    private readonly TurnGate turns = new();
    private DeadlineAlarm? alarm;
    private RequestFollowUp? followUps;
    private RequestLookups? lookups;
    private ClaimPath? claims;

    // What is stored, for the interleaved reads: they may run while a change is being written.
    private RequestSummary? committed;

    private ServiceRequest? Request => state.State.Request;

    // The time its reminder is registered for is stored with the request, so it survives a deactivation.
    private DeadlineAlarm Alarm => alarm ??= new DeadlineAlarm(
        this, DeadlineReminder, ReminderPeriod, time,
        () => state.State.ReminderDue, due => state.State.ReminderDue = due,
        () => turns.Run(ApplyDueDeadlines));

    private ClaimPath Claims => claims ??= new ClaimPath(
        turns, () => Request, Volunteer, Store, (request, before) => Stored(request, before), time, options.Value.ReclaimCoolDown);

    private RequestFollowUp FollowUps => followUps ??= new RequestFollowUp(
        GrainFactory, logger, ServiceProvider.GetService<IHistoryArchive>(), options.Value.HistoryKept);

    private RequestLookups Lookups => lookups ??= new RequestLookups(GrainFactory);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        committed = Request?.ToSummary();

        // Deadlines that passed while the grain was away are applied by the timer's first tick,
        // in a turn of its own, never inside a call that activated the grain.
        Alarm.ArmTimer(NextWake());
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

        var found = await Lookups.Community(request.CommunityId);
        if (found.Value is not { } community)
        {
            return found.Failure!;
        }

        var policy = await Lookups.Policy(request.Kind, request.Urgency);
        var checkInCode = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var created = ServiceRequest.Create(
            this.GetPrimaryKey(), request, actor, time.GetUtcNow(), policy, community.Path,
            checkInCode, await Lookups.Award(community, request.Kind, request.Urgency, request.Points, points.Value, time.GetUtcNow()));
        state.State.Request = created;
        await Store();

        // The board learns of the request before anyone is told it exists, so it can always be
        // rebuilt. The request is stored already: if the board does not answer, it learns of it
        // from the next change instead, and the creation still stands.
        try
        {
            await Community(created.CommunityId).Track(committed!);
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

    public async Task RecordContactRead(string reader)
    {
        if (Request is { } request && request.NoteContactRead(reader, time.GetUtcNow()))
        {
            await Store();
        }
    }

    public Task<ImmutableArray<ContactRead>?> GetContactReads() =>
        Task.FromResult<ImmutableArray<ContactRead>?>(Request?.ContactReads);

    public Task<RequestSummary?> GetSummary() => Task.FromResult(committed);

    public Task<bool> HasActiveClaim(string username) => Task.FromResult(
        Claims.IsTakingSlot(username)
        || (committed is { } stored && !stored.Status.IsFinal() && stored.Claimants.Contains(username, StringComparer.Ordinal)));

    public Task<Outcome<RequestView>> Claim(Claimant claimant) =>
        claimant.OrganisationId is null ? Claims.Claim(claimant) : ClaimForOrganisation(claimant, claimant.OrganisationId);

    public Task<ImmutableArray<Outcome<RequestView>>> ClaimEach(ImmutableArray<Claimant> claimants) =>
        ClaimPath.ClaimEach(claimants, Claim);

    /// <summary>An organisation claims through a member, in the request's community, if it reports in there.</summary>
    private async Task<Outcome<RequestView>> ClaimForOrganisation(Claimant claimant, string organisationId)
    {
        if (Request is not { } request)
        {
            return ClaimRefusals.Lost(ClaimLoss.NotFound);
        }

        return await Lookups.CheckOrganisationClaim(organisationId, claimant.Username, request.CommunityId) is { } refused
            ? refused
            : await Claims.Claim(claimant with { CommunityId = request.CommunityId });
    }

    /// <summary>Calls that change the request take turns; the interleaving ones (claims, summaries) take one only when they must.</summary>
    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) => turns.Admit(context);

    public void Dispose()
    {
        turns.Dispose();
        alarm?.Dispose();
    }

    public Task<Outcome<RequestView>> Release(Actor actor) =>
        Transition(r => r.Release(actor, time.GetUtcNow()));

    public Task<Outcome<RequestView>> ReleaseClaim(Actor actor, string volunteer, string? reason) =>
        Transition(r => r.Release(actor, volunteer, reason, time.GetUtcNow()));

    public async Task<Outcome<RequestView>> Edit(Actor actor, RequestEdit edit)
    {
        // A new urgency brings the deadlines and the award it would have had at creation; read
        // before the rule runs, in this turn, so the change is applied and stored in one go.
        EscalationPolicy? policy = null;
        int? award = null;
        if (Request is { } request && edit.Urgency is { } urgency && urgency != request.Urgency && Enum.IsDefined(urgency)
            && (await Lookups.Community(request.CommunityId)).Value is { } community)
        {
            policy = await Lookups.Policy(request.Kind, urgency);
            award = await Lookups.Award(community, request.Kind, urgency, request.Points, points.Value, time.GetUtcNow());
        }

        return await Transition(r => r.Edit(actor, edit, time.GetUtcNow(), policy, award));
    }

    public Task<Outcome<RequestView>> Start(Actor actor) =>
        Transition(r => r.Start(actor, time.GetUtcNow()));

    public async Task<Outcome<RequestView>> Complete(Actor actor, string? note, string? checkInCode, ImmutableArray<string> participants = default)
    {
        var members = await MembersOfClaimingOrganisations(participants);
        return await Transition(r => r.CompleteWith(actor, note, time.GetUtcNow(), checkInCode, participants, members));
    }

    public async Task<Outcome<RequestView>> Verify(Actor actor, bool approved, int? rating, string? comment, ImmutableArray<string>? participants = null)
    {
        var members = await MembersOfClaimingOrganisations(participants ?? []);
        return await Transition(r => r.VerifyWith(actor, approved, rating, comment, time.GetUtcNow(), participants, members));
    }

    public Task<Outcome<RequestView>> ConfirmByResident(bool done) =>
        Transition(r => r.ConfirmByResident(done, time.GetUtcNow()));

    public Task<Outcome<RequestView>> RateByResident(ResidentRating rating, string? comment) =>
        Transition(r => r.RateByResident(rating, comment, time.GetUtcNow()));

    /// <summary>The members of each organisation holding places, read only when someone is named.</summary>
    private async Task<IReadOnlyDictionary<string, ImmutableArray<string>>> MembersOfClaimingOrganisations(ImmutableArray<string> participants) =>
        participants.IsDefaultOrEmpty || Request is not { } request
            ? ImmutableDictionary<string, ImmutableArray<string>>.Empty
            : await Lookups.MembersOf(request.Claims.Select(c => c.OrganisationId).OfType<string>());

    public Task<Outcome<RequestView>> Cancel(Actor actor, string reason) =>
        Transition(r => r.Cancel(actor, reason, time.GetUtcNow()));

    public Task<Outcome<RequestView>> Acknowledge(Actor actor) =>
        Transition(r => r.Acknowledge(actor, time.GetUtcNow()));

    public async Task<Outcome<RequestView>> Handover(Actor actor, string to)
    {
        // Only to staff whose scope covers the request: read before the rule runs, in this turn.
        var refused = Request is { } request ? await Lookups.CheckHandoverReceiver(to, request.CommunityId) : null;
        return await Transition(r => refused ?? r.Handover(actor, to, time.GetUtcNow()));
    }

    public Task<Outcome<RequestView>> AcceptHandover(Actor actor) =>
        Transition(r => r.AcceptHandover(actor, time.GetUtcNow()));

    public Task<Outcome<RequestView>> Dispatch(Actor actor, ImmutableArray<string> candidates, bool auto) =>
        Transition(r => r.Dispatch(actor, candidates, auto, time.GetUtcNow()));

    public Task<Outcome<RequestView>> DeclineOffer(Actor actor, string? reason) =>
        Transition(r => r.DeclineOffer(actor, reason, time.GetUtcNow()));

    public Task<Outcome<RequestView>> ConfirmOfferReached(string volunteer, DateTimeOffset announcedExpiry) =>
        Transition(r => r.ConfirmOfferReached(volunteer, announcedExpiry, time.GetUtcNow()));

    public async Task<Outcome<RequestView>> AcceptOffer(Actor actor)
    {
        if (Request is not { } request)
        {
            return Failure.NotFound("Request", this.GetPrimaryKey().ToString());
        }

        if (request.CheckAccept(actor) is { } refused)
        {
            return refused;
        }

        if (!await Claims.TakeSlot(request, actor.Username, () => request.AcceptOffer(actor, time.GetUtcNow())))
        {
            return Failure.Conflict("claimLimit", "You hold as many active claims as allowed; the offer stays open until it lapses.");
        }

        return request.ToView();
    }

    /// <summary>A volunteer whose account was disabled or moved leaves the request; true when they held a place.</summary>
    public async Task<bool> WithdrawVolunteer(string volunteer, string by, string why)
    {
        if (Request is not { } request)
        {
            return false;
        }

        var before = request.Version;
        if (!request.WithdrawVolunteer(volunteer, by, why, time.GetUtcNow()))
        {
            return false;
        }

        await Store();
        if (request.Version != before)
        {
            await Stored(request, before);
        }

        return true;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Alarm.ReminderFired();
        return ApplyDueDeadlines();
    }

    /// <summary>
    /// Applies a rule of <see cref="ServiceRequest"/>, stores the result, then tells those it
    /// concerns. A refusal that still changed the request (a wrong check-in code is counted) is
    /// stored before it is returned; a call that changed nothing (a retried verification) stores nothing.
    /// </summary>
    private async Task<Outcome<RequestView>> Transition(Func<ServiceRequest, Failure?> change)
    {
        if (Request is not { } request)
        {
            return Failure.NotFound("Request", this.GetPrimaryKey().ToString());
        }

        var before = request.Version;
        var finished = committed is { } stored && stored.Status.IsFinal() ? stored : null;
        var failure = change(request);
        if (request.Version != before)
        {
            await Store();
            await Stored(request, before, reopenedFrom: request.IsFinal ? null : finished);
        }

        return failure is null ? request.ToView() : failure;
    }

    /// <summary>
    /// Applies every deadline that has passed (escalations, expired claims, lapsed offers) and
    /// retries postings the ledgers did not confirm. Called by the timer and the reminder.
    /// </summary>
    private async Task ApplyDueDeadlines()
    {
        if (Request is not { } request)
        {
            return;
        }

        var now = time.GetUtcNow();
        var before = request.Version;
        var events = request.Advance(now);
        if (events.IsEmpty)
        {
            await FollowUps.PostPoints(request, Store);
            await FollowUps.DeliverNotices(request, Store);
            var next = NextWake();
            await Alarm.SettleReminderAsync(next);
            Alarm.ArmTimer(next);
            return;
        }

        try
        {
            // An owned request that climbs brings the staff of each level it reaches in as supervisors.
            if (request.Owner is not null)
            {
                foreach (var placeId in events.Where(IsEscalation).Select(e => e.PlaceId).Distinct())
                {
                    request.AddSupervisors(await Lookups.StaffOf(placeId), now);
                }
            }
        }
        catch
        {
            // The deadlines were applied in memory only: drop them; the reminder brings them back.
            request.ForgetNotices();
            DeactivateOnIdle();
            throw;
        }

        await Store();
        LogApplied(request.Id, events);
        await Stored(request, before);
    }

    private static bool IsEscalation(ClockEvent clock) => clock.Kind is DeadlineKind.Stage or DeadlineKind.Escalation;

    /// <summary>When the grain must wake next: the next deadline, or sooner while postings wait for the ledgers.</summary>
    private DateTimeOffset? NextWake()
    {
        var due = Request?.NextDue;
        if (Request is { HasUndelivered: true })
        {
            var retry = time.GetUtcNow() + PostingRetry;
            return due is { } deadline && deadline < retry ? deadline : retry;
        }

        return due;
    }

    /// <summary>
    /// Stores a change already made in memory, in the alarm's order: the reminder brought forward,
    /// the state (or the activation dropped, and the volunteers not told), the timer, then the
    /// reminder moved later or dropped.
    /// </summary>
    private async Task Store()
    {
        // The next wake-up, worked out once for the reminder, the timer and the reminder again.
        var due = NextWake();
        await state.WriteOrReloadAsync(this, exception =>
        {
            LogWriteFailed(exception, this.GetPrimaryKey());
            Request?.ForgetNotices();
        }, first: () => Alarm.BringReminderForwardAsync(due));

        committed = Request?.ToSummary();
        Alarm.ArmTimer(due);
        try
        {
            await Alarm.SettleReminderAsync(due);
        }
        catch (Exception exception)
        {
            // Stored already; the earlier reminder stays and re-arms itself when it fires.
            LogAfterWriteFailed(exception, this.GetPrimaryKey(), "reminder");
        }
    }

    /// <summary>
    /// After a change made at <paramref name="before"/> is stored: counted, its volunteers told and
    /// its points posted (<see cref="RequestFollowUp"/>), the board told, the history kept bounded.
    /// Never throws: the change stands.
    /// </summary>
    /// <param name="reopenedFrom">
    /// The summary a finished request had before this change brought it back to work: its board
    /// may have retired it and must take those figures back.
    /// </param>
    private async Task Stored(ServiceRequest request, int before, RequestSummary? reopenedFrom = null)
    {
        DispatchMetrics.Appended(request.History.Where(entry => entry.Seq > before));
        await FollowUps.TellVolunteers(request);
        await FollowUps.PostPoints(request, Store);
        await FollowUps.DeliverNotices(request, Store);
        Announce(request, reopenedFrom);
        await FollowUps.KeepHistoryBounded(request);
    }

    /// <summary>Tells the board what was just stored (one-way: never on the caller's path).</summary>
    private void Announce(ServiceRequest request, RequestSummary? reopenedFrom = null)
    {
        var current = committed ?? request.ToSummary();
        if (reopenedFrom is { } finished)
        {
            Community(request.CommunityId).OnRequestReopened(finished, current).Ignore();
            return;
        }

        Community(request.CommunityId).OnRequestChanged(current).Ignore();
    }

    private ICommunityGrain Community(string communityId) =>
        GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId));

    private IVolunteerGrain Volunteer(string username) =>
        GrainFactory.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username));

    [GenerateSerializer, Alias("Dispatch.RequestGrain.State")]
    public sealed class State
    {
        [Id(0)] public ServiceRequest? Request { get; set; }

        /// <summary>When the registered reminder next fires, as far as this grain knows.</summary>
        [Id(1)] public DateTimeOffset? ReminderDue { get; set; }
    }
}
