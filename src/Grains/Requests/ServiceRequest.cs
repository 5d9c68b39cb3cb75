using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Points;
using Dispatch.Volunteers;

namespace Dispatch.Requests;

/// <summary>
/// A request's state machine and claim rules, as plain C#: the request grain holds one of these
/// as its persistent state and stores it after every change this class accepts.
/// </summary>
/// <remarks>
/// open → claimed → inProgress → completed → verified, plus release (back to open), cancel and a
/// rejected verification (back to inProgress). A request with N places stays open while a place
/// is free. Every accepted change appends one entry to <see cref="History"/>.
/// </remarks>
[GenerateSerializer, Alias("Dispatch.ServiceRequest")]
public sealed partial class ServiceRequest
{
    [Id(0)] public Guid Id { get; private set; }
    [Id(1)] public string CommunityId { get; private set; } = "";
    [Id(2)] public RequestKind Kind { get; private set; }
    [Id(3)] public string Title { get; private set; } = "";
    [Id(4)] public string? Description { get; private set; }
    [Id(5)] public ImmutableArray<string> Categories { get; private set; } = [];
    [Id(6)] public Urgency Urgency { get; private set; }
    [Id(7)] public int Places { get; private set; }
    [Id(8)] public int Points { get; private set; }
    [Id(9)] public Beneficiary Beneficiary { get; private set; } = new("", null, null);
    [Id(10)] public RequestStatus Status { get; private set; }
    // Id 11 held the claimants' names before claims carried their time; it stays retired.
    [Id(29)] public ImmutableArray<ClaimRecord> Claims { get; private set; } = [];
    [Id(12)] public int EscalationLevel { get; private set; }
    [Id(13)] public string CreatedBy { get; private set; } = "";
    [Id(14)] public DateTimeOffset CreatedAt { get; private set; }
    [Id(15)] public DateTimeOffset UpdatedAt { get; private set; }
    [Id(16)] public string? CompletionNote { get; private set; }
    [Id(17)] public Verification? Verification { get; private set; }
    [Id(18)] public string? CancelReason { get; private set; }
    [Id(19)] public ImmutableArray<HistoryEntry> History { get; private set; } = [];
    [Id(41)] public ImmutableArray<ContactRead> ContactReads { get; private set; } = [];

    /// <summary>The latest release of each volunteer who gave a place back (at most <see cref="ReleasesKept"/>): their cool-down runs from it.</summary>
    [Id(42)] public ImmutableArray<ReleaseRecord> Releases { get; private set; } = [];

    /// <summary>The deadlines of this request, fixed when it was created.</summary>
    [Id(20)] public EscalationPolicy Policy { get; private set; } = EscalationPolicy.Relaxed;

    /// <summary>Place ids from the region down to the request's community: level L is the L-th from the end.</summary>
    [Id(21)] public ImmutableArray<string> PlacePath { get; private set; } = [];

    /// <summary>When the current stage began: its deadline counts from here.</summary>
    [Id(22)] public DateTimeOffset StageSince { get; private set; }

    /// <summary>The stage whose deadline was missed, while the request is overdue.</summary>
    [Id(23)] public Stage? OverdueStage { get; private set; }

    /// <summary>Staff took up the current alert: the climb stops until a later deadline is missed.</summary>
    [Id(24)] public bool Acknowledged { get; private set; }

    [Id(25)] public DateTimeOffset? NextClimbAt { get; private set; }

    /// <summary>The first staff member who took the request up (first-responder ownership).</summary>
    [Id(26)] public string? Owner { get; private set; }

    [Id(27)] public ImmutableArray<string> Supervisors { get; private set; } = [];

    [Id(28)] public string? HandoverTo { get; private set; }

    /// <summary>A pending dispatch offer: one place is reserved for its volunteer.</summary>
    [Id(30)] public DispatchOffer? Offer { get; private set; }

    /// <summary>The ranked candidates an automatic dispatch offers the request to next, in order.</summary>
    [Id(31)] public ImmutableArray<string> OfferQueue { get; private set; } = [];

    [Id(32)] public DispatchCounts Dispatches { get; private set; } = DispatchCounts.None;

    /// <summary>The beneficiary's code: a claimant who enters it at the door completes and verifies at once.</summary>
    [Id(33)] [SecretData] public string CheckInCode { get; private set; } = "";

    [Id(34)] public int FailedCheckIns { get; private set; }

    /// <summary>Points each claimant earns per place held when the work is verified.</summary>
    [Id(36)] public int Award { get; private set; }

    [Id(38)] public DateTimeOffset? FirstClaimedAt { get; private set; }

    [Id(39)] public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>The highest level: 0 community, 1 town, 2 county, 3 region.</summary>
    public const int MaxLevel = EscalationLadder.MaxLevel;

    /// <summary>Who the request's own clock acts as in the history.</summary>
    public const string SystemActor = "system";

    /// <summary>Wrong check-in codes allowed before only staff can verify: a six-digit code must not be guessable.</summary>
    public const int MaxCheckInAttempts = 5;

    /// <summary>Releases remembered for the cool-down: the oldest is forgotten first.</summary>
    public const int ReleasesKept = ReleaseLog.Kept;

    /// <summary>The claims that stand, and the rules of taking a place.</summary>
    public ClaimBook ClaimBook => new(Claims);

    /// <summary>The places the request climbs through.</summary>
    public EscalationLadder Ladder => new(PlacePath, CommunityId);

    public ImmutableArray<string> Claimants => ClaimBook.Volunteers;

    /// <summary>Places held by claims.</summary>
    public int PlacesTaken => ClaimBook.PlacesTaken;

    /// <summary>The staff who took the request up, over the stored fields it is made of.</summary>
    public Ownership Staff
    {
        get => new(Owner, Supervisors, HandoverTo);
        private set => (Owner, Supervisors, HandoverTo) = (value.Owner, value.Supervisors, value.HandoverTo);
    }

    /// <summary>The stage's clock, over the stored fields it is made of.</summary>
    public StageClock Clock
    {
        get => new(EscalationLevel, StageSince, OverdueStage, Acknowledged, NextClimbAt);
        private set => (EscalationLevel, StageSince, OverdueStage, Acknowledged, NextClimbAt) =
            (value.Level, value.Since, value.OverdueStage, value.Acknowledged, value.NextClimbAt);
    }

    public bool Overdue => OverdueStage is not null;

    /// <summary>The stage the request is in, or null once it is verified or cancelled.</summary>
    public Stage? CurrentStage => StageClock.StageOf(Status);

    /// <summary>The place whose staff see the request as an alert at its current level.</summary>
    public string EscalationPlaceId => PlaceAtLevel(EscalationLevel);

    /// <summary>
    /// Notes that <paramref name="reader"/> is shown the beneficiary's contact; false when they were
    /// already noted within <see cref="RequestLimits.ContactReadSpan"/>. Not a change of the
    /// request: <see cref="Version"/> stays.
    /// </summary>
    public bool NoteContactRead(string reader, DateTimeOffset now)
    {
        if (new ContactReadLog(ContactReads).Note(reader, now) is not { } noted)
        {
            return false;
        }

        ContactReads = noted.Reads;
        return true;
    }

    /// <summary>Grows by one with every accepted change: the order of summaries sent to boards, and the number of history entries (kept here or not).</summary>
    public int Version => HistoryTrimmed + History.Length;

    /// <summary>Places open to a claim: neither held by a claim nor reserved by a pending offer.</summary>
    public int FreePlaces => Places - PlacesTaken - (Offer is null ? 0 : 1);

    /// <summary>Places free to this volunteer: the volunteer an offer waits for may take the place reserved for them.</summary>
    public int FreePlacesFor(string username) => FreePlaces + (IsOfferedTo(username) ? 1 : 0);

    public bool IsFinal => Status.IsFinal();

    /// <param name="policy">Deadlines for this kind and urgency (a relaxed default when null).</param>
    /// <param name="placePath">Place ids from the region down to the community, for the escalation ladder.</param>
    /// <param name="checkInCode">The beneficiary's code (none: only staff can verify).</param>
    /// <param name="award">Points per claimant and place on verification (default: the request's points).</param>
    /// <param name="awardRule">The scheme rule that set <paramref name="award"/>, remembered for the postings; null: none.</param>
    public static ServiceRequest Create(
        Guid id,
        NewRequest spec,
        Actor actor,
        DateTimeOffset now,
        EscalationPolicy? policy = null,
        ImmutableArray<string> placePath = default,
        string? checkInCode = null,
        int? award = null,
        PostingRule? awardRule = null)
    {
        var request = new ServiceRequest
        {
            Id = id,
            CommunityId = spec.CommunityId,
            Kind = spec.Kind,
            Title = spec.Title.Trim(),
            Description = string.IsNullOrWhiteSpace(spec.Description) ? null : spec.Description.Trim(),
            Categories = spec.Categories.IsDefault
                ? []
                : [.. spec.Categories.Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)],
            Urgency = spec.Urgency,
            Places = spec.Places,
            Points = spec.Points,
            Beneficiary = spec.Beneficiary ?? throw new ArgumentException("A request needs a beneficiary.", nameof(spec)),
            Status = RequestStatus.Open,
            CreatedBy = actor.Username,
            CreatedAt = now,
            Policy = policy ?? EscalationPolicy.Relaxed,
            PlacePath = placePath.IsDefault ? [] : placePath,
            StageSince = now,
            CheckInCode = checkInCode ?? "",
            Award = award ?? spec.Points,
            AwardRule = award is null ? null : awardRule,
        };
        request.Record(actor.Username, RequestAction.Created, from: null, RequestStatus.Open, note: null, now);
        return request;
    }

    /// <summary>Why <paramref name="username"/> cannot claim <paramref name="places"/> places now, or null when they are theirs for the taking.</summary>
    /// <remarks>Pure and allocation-free: it answers every losing attempt of a claim storm.</remarks>
    /// <param name="now">With <paramref name="coolDown"/>: a volunteer who released the request less than that long ago loses with <see cref="ClaimLoss.CoolingDown"/> (unless it is offered to them).</param>
    public ClaimLoss? CheckClaim(string username, string volunteerCommunityId, int places = 1, DateTimeOffset? now = null, TimeSpan coolDown = default) =>
        ClaimBook.Check(
            username,
            places,
            // An offer made from a town-wide dispatch may reach a volunteer of another community.
            inCommunity: string.Equals(volunteerCommunityId, CommunityId, StringComparison.Ordinal) || IsOfferedTo(username),
            Status,
            FreePlacesFor(username),
            offerPending: Offer is not null)
        ?? (now is { } at && IsCoolingDown(username, at, coolDown) ? ClaimLoss.CoolingDown : null);

    /// <summary>Whether <paramref name="username"/> released this request less than <paramref name="coolDown"/> before <paramref name="now"/> and no offer waits for them.</summary>
    public bool IsCoolingDown(string username, DateTimeOffset now, TimeSpan coolDown) =>
        !IsOfferedTo(username) && new ReleaseLog(Releases).CoolingDown(username, now, coolDown);

    /// <summary>
    /// Takes <paramref name="places"/> places for <paramref name="username"/> (for an organisation
    /// when <paramref name="organisationId"/> is set); call only after <see cref="CheckClaim"/>
    /// returned null. A claim by the volunteer an offer waits for accepts the offer. The claimant's
    /// read of the beneficiary's contact, which the claim's answer shows, is recorded with the claim.
    /// </summary>
    public void ApplyClaim(string username, DateTimeOffset now, string? organisationId = null, int places = 1)
    {
        if (CheckClaim(username, CommunityId, places) is { } loss)
        {
            throw new InvalidOperationException($"Claim by '{username}' is not allowed: {loss}.");
        }

        if (IsOfferedTo(username))
        {
            TakeOffer(username, now, organisationId, places);
        }
        else
        {
            AddClaim(new ClaimRecord(username, now, organisationId, places), RequestAction.Claimed, username,
                organisationId is null ? null : $"for organisation '{organisationId}', {places} place(s)", now);
        }

        // The claim's answer shows the claimant the beneficiary's contact: on record in the claim's own write.
        NoteContactRead(username, now);
    }

    /// <summary>The claimant gives their place back; the request is open again (or stays in progress for the others).</summary>
    public Failure? Release(Actor actor, DateTimeOffset now)
    {
        if (!IsClaimant(actor.Username))
        {
            return NotClaimant(actor);
        }

        if (Status is not (RequestStatus.Open or RequestStatus.Claimed or RequestStatus.InProgress))
        {
            return WrongStatus("release");
        }

        RemoveClaim(actor.Username, RequestAction.Released, actor.Username, note: null, now, clock: now);
        Releases = new ReleaseLog(Releases).With(actor.Username, now).Releases;
        return null;
    }

    /// <summary>A claimant starts the work; no further claims are taken.</summary>
    public Failure? Start(Actor actor, DateTimeOffset now)
    {
        if (!IsClaimant(actor.Username))
        {
            return NotClaimant(actor);
        }

        if (Status is not (RequestStatus.Open or RequestStatus.Claimed))
        {
            return WrongStatus("start");
        }

        WithdrawOffer("the work started", now);
        return Move(actor, RequestAction.Started, RequestStatus.InProgress, note: null, now);
    }

    /// <summary>
    /// A claimant, or staff in scope, reports the work done. With the beneficiary's check-in code
    /// the completion is verified at once; a wrong code changes nothing but the count of wrong
    /// codes (recorded in the history), and after <see cref="MaxCheckInAttempts"/> only staff verify.
    /// </summary>
    public Failure? Complete(Actor actor, string? note, DateTimeOffset now, string? checkInCode = null)
    {
        if (!actor.IsStaff && !IsClaimant(actor.Username))
        {
            return NotClaimant(actor);
        }

        if (Status != RequestStatus.InProgress)
        {
            return WrongStatus("complete");
        }

        if (checkInCode is not null && CheckCode(actor, checkInCode.Trim(), now) is { } refused)
        {
            return refused;
        }

        CompletionNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        CompletedAt = now;
        Move(actor, RequestAction.Completed, RequestStatus.Completed, CompletionNote, now);
        if (checkInCode is not null)
        {
            Conclude(actor, approved: true, rating: null, "checked in with the beneficiary's code", byCheckInCode: true, now);
        }

        return null;
    }

    /// <summary>
    /// Staff accept the completion (closing the request and crediting its claimants) or reject it
    /// (back to in progress). Accepting a verified request again changes nothing, so a retried
    /// verification credits once; rejecting a verified request overturns it: back to in progress,
    /// with the points reversed.
    /// </summary>
    /// <param name="bonus">The scheme's <c>rating.high</c> rule in force, if any: a high <paramref name="rating"/> earns it (<see cref="RatingBonus"/>).</param>
    public Failure? Verify(Actor actor, bool approved, int? rating, string? comment, DateTimeOffset now, RatingBonus? bonus = null)
    {
        if (!actor.IsStaff)
        {
            return StaffOnly("verify");
        }

        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (Status == RequestStatus.Verified)
        {
            return approved ? null : Overturn(actor, comment, now);
        }

        if (Status != RequestStatus.Completed)
        {
            return WrongStatus("verify");
        }

        Conclude(actor, approved, rating, comment, byCheckInCode: false, now, bonus);
        return null;
    }

    /// <summary>Staff withdraw the request, with a reason; every claim ends.</summary>
    public Failure? Cancel(Actor actor, string reason, DateTimeOffset now)
    {
        if (!actor.IsStaff)
        {
            return StaffOnly("cancel");
        }

        if (IsFinal)
        {
            return WrongStatus("cancel");
        }

        CancelReason = reason.Trim();
        WithdrawOffer("the request was cancelled", now);
        var ended = Claims;
        Move(actor, RequestAction.Cancelled, RequestStatus.Cancelled, CancelReason, now);
        foreach (var claim in ended)
        {
            Notify(claim.Volunteer, VolunteerAction.ClaimEnded);
        }

        return null;
    }

    /// <summary>
    /// True while <paramref name="username"/> holds a claim that counts against their limit: from
    /// the claim until it is released, cancelled or verified (a rejected verification sends the
    /// work back to the same claimants).
    /// </summary>
    public bool HasActiveClaim(string username) =>
        !IsFinal && IsClaimant(username);

    public bool IsClaimant(string username) => ClaimBook.Holds(username);

    public RequestView ToView() => new(
        Id, CommunityId, Kind, Title, Description, Categories, Urgency, Status, Places, Claimants,
        EscalationLevel, Points, Beneficiary, CreatedBy, CreatedAt, UpdatedAt, Version,
        CompletionNote, Verification, CancelReason, Overdue, OverdueStage, EscalationPlaceId,
        Deadlines(), Policy, Owner, Supervisors, HandoverTo, Claims, Offer, Award, CheckInCode.Length == 0 ? null : CheckInCode) { Participants = Participants, ResidentFeedback = ResidentFeedback };

    public RequestSummary ToSummary() => new(
        Id, CommunityId, Kind, Title, Categories, Urgency, Status, Places, Claims.Length,
        EscalationLevel, Points, CreatedAt, UpdatedAt, Version, Overdue, Owner, Claimants,
        History.IsEmpty ? RequestAction.Created : History[^1].Action, EscalationPlaceId,
        PlacesTaken, Offer?.Volunteer, Dispatches, FirstClaimedAt, CompletedAt,
        Status == RequestStatus.Verified ? Verification?.At : null,
        Status == RequestStatus.Verified ? Verification?.Rating : null,
        PointsAwarded) { ResidentRating = ResidentFeedback?.Rating };

    private Failure? Move(Actor actor, RequestAction action, RequestStatus to, string? note, DateTimeOffset now)
    {
        var from = Status;
        Status = to;
        Record(actor.Username, action, from, to, note, now);
        OnStatusChanged(from, now);
        return null;
    }

    private void AddClaim(ClaimRecord claim, RequestAction action, string actor, string? note, DateTimeOffset now)
    {
        var from = Status;
        Claims = ClaimBook.With(claim).Claims;
        FirstClaimedAt ??= now;
        Status = ClaimBook.Fills(Places) ? RequestStatus.Claimed : RequestStatus.Open;
        Record(actor, action, from, Status, note, now);
        OnStatusChanged(from, now);
    }

    private void RemoveClaim(string volunteer, RequestAction action, string actor, string? note, DateTimeOffset now, DateTimeOffset clock)
    {
        var from = Status;
        Claims = ClaimBook.Without(volunteer).Claims;
        Status = from == RequestStatus.InProgress && Claims.Length > 0 ? RequestStatus.InProgress : RequestStatus.Open;
        Record(actor, action, from, Status, note, now);
        OnStatusChanged(from, clock);
        Notify(volunteer, VolunteerAction.Released);
    }

    /// <summary>Accepts or rejects a completion; an acceptance credits the claimants and ends their claims.</summary>
    private void Conclude(Actor actor, bool approved, int? rating, string? comment, bool byCheckInCode, DateTimeOffset now, RatingBonus? bonus = null)
    {
        Verification = new Verification(approved, approved ? rating : null, comment, actor.Username, now, byCheckInCode);
        if (!approved)
        {
            // The work is not done after all: the time to complete counts to the next completion.
            CompletedAt = null;
            Move(actor, RequestAction.VerificationRejected, RequestStatus.InProgress, comment, now);
            return;
        }

        Move(actor, RequestAction.Verified, RequestStatus.Verified, comment, now);
        EarnPoints(actor.Username, rating, bonus);
        foreach (var claim in Claims)
        {
            Notify(claim.Volunteer, VolunteerAction.Completed);
        }
    }

    private Failure? Overturn(Actor actor, string? comment, DateTimeOffset now)
    {
        Verification = new Verification(false, null, comment, actor.Username, now);
        CompletedAt = null;
        Move(actor, RequestAction.VerificationOverturned, RequestStatus.InProgress, comment, now);
        ReversePoints(actor.Username);
        foreach (var claim in Claims)
        {
            Notify(claim.Volunteer, VolunteerAction.ClaimReinstated);
        }

        return null;
    }

    private Failure? CheckCode(Actor actor, string code, DateTimeOffset now)
    {
        if (CheckInCode.Length == 0)
        {
            return Failure.Conflict("noCheckInCode", "This request has no check-in code: staff verify it.");
        }

        if (FailedCheckIns >= MaxCheckInAttempts)
        {
            return Failure.Conflict("checkInLocked", "Too many wrong check-in codes were entered: staff verify this request.");
        }

        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(code), Encoding.UTF8.GetBytes(CheckInCode)))
        {
            return null;
        }

        FailedCheckIns++;
        Record(actor.Username, RequestAction.CheckInRejected, Status, Status, $"wrong code ({FailedCheckIns} of {MaxCheckInAttempts})", now);
        return new Failure(
            FailureKind.Invalid,
            "wrongCheckInCode",
            $"The check-in code does not match ({MaxCheckInAttempts - FailedCheckIns} attempts left).",
            "checkInCode");
    }

    private void Record(string actor, RequestAction action, RequestStatus? from, RequestStatus to, string? note, DateTimeOffset now)
    {
        UpdatedAt = now;
        History = History.Add(new HistoryEntry(Version + 1, now, actor, action, from, to, note));
        DecideNotices(History[^1]);
    }

    private static Failure NotClaimant(Actor actor) =>
        Failure.Forbidden("notClaimant", $"'{actor.Username}' does not hold a claim on this request.");

    private static Failure StaffOnly(string operation) =>
        Failure.Forbidden("staffOnly", $"Only staff may {operation} a request.");

    private Failure WrongStatus(string operation) =>
        Failure.Conflict("invalidTransition", $"Cannot {operation} a request that is {JsonNamingPolicy.CamelCase.ConvertName(Status.ToString())}.");
}

