using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Hours;
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
/// <b>Storage.</b> A change is stored before it is answered (<see cref="RequestStorage"/>); a failed
/// write drops the activation. What follows a stored change (<see cref="RequestFollowUp"/>: telling
/// volunteers' grains and the board, delivering points, hours and notices) is best effort and
/// logged; what the outboxes owe waits in the state until answered.
/// </para>
/// <para>
/// <b>Deadlines.</b> A <see cref="DeadlineAlarm"/> wakes the grain at the next deadline (its timer
/// when near, its reminder always, also after a restart). Deadlines are applied only in those
/// turns, never inside a call that activated the grain.
/// </para>
/// </remarks>
public sealed class RequestGrain(
    [PersistentState("request", StorageNames.Dispatch)] IPersistentState<RequestGrain.State> state,
    IOptions<PointsOptions> points,
    IOptions<RequestOptions> options,
    TimeProvider time,
    ILogger<RequestGrain> logger) : Grain, IRequestGrain, IRemindable, IIncomingGrainCallFilter, IDisposable
{
    public const string DeadlineReminder = "deadlines";

    /// <summary>How often the reminder repeats once due, until the grain re-arms it: the backstop's precision after a restart.</summary>
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How soon what the outboxes' receivers did not answer is tried again.</summary>
    public static readonly TimeSpan PostingRetry = TimeSpan.FromSeconds(30);

    private readonly TurnGate turns = new();
    private RequestStorage? storage;
    private RequestFollowUp? followUps;
    private RequestLookups? lookups;
    private ClaimPath? claims;
    private RequestDeadlines? deadlines;

    private ServiceRequest? Request => Storage.Request;

    private Failure Missing => Failure.NotFound("Request", this.GetPrimaryKey().ToString());

    private RequestStorage Storage => storage ??= new RequestStorage(this, state, time, logger, () => turns.Run(Deadlines.Apply));

    private ClaimPath Claims => claims ??= new ClaimPath(
        turns,
        () => Request,
        username => GrainFactory.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username)),
        Lookups.CheckOrganisationClaim,
        Storage.Store,
        (request, before) => FollowUps.AfterStored(Storage, before),
        time,
        options.Value.ReclaimCoolDown);

    private RequestFollowUp FollowUps => followUps ??= new RequestFollowUp(
        GrainFactory, logger, ServiceProvider.GetService<IHistoryArchive>(), options.Value.HistoryKept);

    private RequestLookups Lookups => lookups ??= new RequestLookups(GrainFactory);

    private RequestDeadlines Deadlines => deadlines ??= new RequestDeadlines(Storage, Lookups, FollowUps, time, logger, DeactivateOnIdle);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Storage.Activated();
        return Task.CompletedTask;
    }

    public Task<Outcome<RequestView>> Create(NewRequest request, Actor actor) => Publish(request, actor, offerTo: null);

    public Task<Outcome<RequestView>> CreateOffered(NewRequest request, Actor actor, string volunteer) => Publish(request, actor, volunteer);

    private Task<Outcome<RequestView>> Publish(NewRequest request, Actor actor, string? offerTo) =>
        new RequestPublication(Storage, Lookups, FollowUps, points.Value, time, logger).Publish(this.GetPrimaryKey(), request, actor, offerTo);

    public Task<RequestView?> Get() => Task.FromResult(Request?.ToView());

    public Task<ImmutableArray<HistoryEntry>?> GetHistory() =>
        Task.FromResult<ImmutableArray<HistoryEntry>?>(Request?.History);

    public async Task RecordContactRead(string reader)
    {
        if (Request is { } request && request.NoteContactRead(reader, time.GetUtcNow()))
        {
            await Storage.Store();
        }
    }

    public Task<ImmutableArray<ContactRead>?> GetContactReads() =>
        Task.FromResult<ImmutableArray<ContactRead>?>(Request?.ContactReads);

    public Task<RequestSummary?> GetSummary() => Task.FromResult(Storage.Committed);

    public Task<bool> HasActiveClaim(string username) => Task.FromResult(
        Claims.IsTakingSlot(username)
        || (Storage.Committed is { } stored && !stored.Status.IsFinal() && stored.Claimants.Contains(username, StringComparer.Ordinal)));

    public Task<Outcome<RequestView>> Claim(Claimant claimant) => Claims.Claim(claimant);

    public Task<ImmutableArray<Outcome<RequestView>>> ClaimEach(ImmutableArray<Claimant> claimants) =>
        ClaimPath.ClaimEach(claimants, Claim);

    /// <summary>Calls that change the request take turns; the interleaving ones (claims, summaries) take one only when they must.</summary>
    Task IIncomingGrainCallFilter.Invoke(IIncomingGrainCallContext context) => turns.Admit(context);

    public void Dispose()
    {
        turns.Dispose();
        storage?.Dispose();
    }

    public Task<Outcome<RequestView>> Release(Actor actor) =>
        Transition(r => r.Release(actor, time.GetUtcNow()));

    public Task<Outcome<RequestView>> ReleaseClaim(Actor actor, string volunteer, string? reason) =>
        Transition(r => r.Release(actor, volunteer, reason, time.GetUtcNow()));

    public async Task<Outcome<RequestView>> Edit(Actor actor, RequestEdit edit)
    {
        // A new urgency brings the deadlines and the award it would have had at creation; read
        // before the rule runs, in this turn, so the change is applied and stored in one go.
        RequestTerms? terms = null;
        if (Request is { } request && edit.Urgency is { } urgency && urgency != request.Urgency && Enum.IsDefined(urgency))
        {
            terms = (await Lookups.Terms(request.CommunityId, request.Kind, urgency, request.Points, points.Value, time.GetUtcNow())).Value;
        }

        return await Transition(r => r.Edit(actor, edit, time.GetUtcNow(), terms?.Policy, terms?.Award, terms?.AwardRule));
    }

    public Task<Outcome<RequestView>> Start(Actor actor) =>
        Transition(r => r.Start(actor, time.GetUtcNow()));

    public async Task<Outcome<RequestView>> Complete(Actor actor, string? note, string? checkInCode, ImmutableArray<string> participants = default)
    {
        var members = await Lookups.MembersClaiming(Request, participants);
        return await Transition(r => r.CompleteWith(actor, note, time.GetUtcNow(), checkInCode, participants, members));
    }

    public async Task<Outcome<RequestView>> Verify(
        Actor actor, bool approved, int? rating, string? comment, ImmutableArray<string>? participants = null, int? minutes = null)
    {
        var members = await Lookups.MembersClaiming(Request, participants ?? []);

        // A high rating of a completion earns the scheme's bonus: the rule in force now, read
        // before the rule runs, in this turn, so the bonus is owed in the verification's own write.
        var bonus = approved && RatingBonus.Earns(rating) && Request is { Status: RequestStatus.Completed } request
            ? await Lookups.HighRatingBonus(request.CommunityId, time.GetUtcNow())
            : null;
        return await Transition(r => r.VerifyWith(actor, approved, rating, comment, time.GetUtcNow(), participants, members, minutes, bonus));
    }

    public async Task<Outcome<HoursEntries>> ConfirmHours(Actor actor, int minutes, string? volunteer)
    {
        if (Request is not { } request)
        {
            return Missing;
        }

        if (request.HoursAfterVerification(actor, minutes, volunteer, out var credits) is { } refused)
        {
            return refused;
        }

        return await FollowUps.CreditHours(credits);
    }

    public Task<Outcome<RequestView>> ConfirmByResident(bool done) =>
        Transition(r => r.ConfirmByResident(done, time.GetUtcNow()));

    public Task<Outcome<RequestView>> RateByResident(ResidentRating rating, string? comment) =>
        Transition(r => r.RateByResident(rating, comment, time.GetUtcNow()));

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

    public async Task<ImmutableArray<HandoverReceiver>> GetHandoverReceivers(Actor actor, string? text) =>
        Request is { } request ? await Lookups.HandoverReceivers(request.CommunityId, actor.Username, text) : [];

    public Task<Outcome<RequestView>> AcceptHandover(Actor actor) =>
        Transition(r => r.AcceptHandover(actor, time.GetUtcNow()));

    public Task<Outcome<RequestView>> Dispatch(Actor actor, ImmutableArray<string> candidates, bool auto) =>
        Transition(r => r.Dispatch(actor, candidates, auto, time.GetUtcNow()));

    public Task<Outcome<RequestView>> DeclineOffer(Actor actor, string? reason) =>
        Transition(r => r.DeclineOffer(actor, reason, time.GetUtcNow()));

    public Task<Outcome<RequestView>> ConfirmOfferReached(string volunteer, DateTimeOffset announcedExpiry) =>
        Transition(r => r.ConfirmOfferReached(volunteer, announcedExpiry, time.GetUtcNow()));

    public async Task<Outcome<RequestView>> AcceptOffer(Actor actor) =>
        Request is { } request ? await Claims.AcceptOffer(request, actor) : Missing;

    /// <summary>A volunteer whose account was disabled or moved leaves the request; true when they held a place.</summary>
    public async Task<bool> WithdrawVolunteer(string volunteer, string by, string why)
    {
        var held = false;
        await Transition(r =>
        {
            held = r.WithdrawVolunteer(volunteer, by, why, time.GetUtcNow());
            return null;
        });
        return held;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Storage.ReminderFired();
        return Deadlines.Apply();
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
            return Missing;
        }

        var before = request.Version;
        var finished = Storage.Committed is { } stored && stored.Status.IsFinal() ? stored : null;
        var failure = change(request);
        if (request.Version != before)
        {
            await Storage.Store();
            await FollowUps.AfterStored(Storage, before, reopenedFrom: request.IsFinal ? null : finished);
        }

        return failure is null ? request.ToView() : failure;
    }

    [GenerateSerializer, Alias("Dispatch.RequestGrain.State")]
    public sealed class State
    {
        [Id(0)] public ServiceRequest? Request { get; set; }

        /// <summary>When the registered reminder next fires, as far as this grain knows.</summary>
        [Id(1)] public DateTimeOffset? ReminderDue { get; set; }
    }
}
