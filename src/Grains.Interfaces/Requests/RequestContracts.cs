using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Escalation;

namespace Dispatch.Requests;

public enum RequestKind
{
    /// <summary>A small need of a person in difficulty; one claimant.</summary>
    Wish,

    /// <summary>Something done on a resident's behalf (book, handle, look up); one claimant.</summary>
    Errand,

    /// <summary>A grievance or dispute handled on a resident's behalf; one claimant.</summary>
    Case,

    /// <summary>A service activity with N places; N claimants.</summary>
    Activity,
}

public enum Urgency
{
    Normal,
    Urgent,
    Critical,
}

public enum RequestStatus
{
    Open,
    Claimed,
    InProgress,
    Completed,
    Verified,
    Cancelled,
}

/// <summary>Why a claim attempt lost. Every attempt gets either a win or one of these.</summary>
public enum ClaimLoss
{
    /// <summary>Every place is taken.</summary>
    Full,

    /// <summary>The request is not taking claims (in progress, completed, verified or cancelled).</summary>
    NotOpen,

    /// <summary>The volunteer already holds a claim on this request.</summary>
    AlreadyClaimed,

    /// <summary>The volunteer already holds as many active claims as allowed.</summary>
    ClaimLimit,

    /// <summary>The request belongs to another community than the volunteer's.</summary>
    OutsideCommunity,

    /// <summary>The request does not exist.</summary>
    NotFound,

    /// <summary>The last free place is reserved for a volunteer staff dispatched it to.</summary>
    Reserved,

    /// <summary>Fewer places are free than an organisation asked for (its claim is all-or-nothing).</summary>
    NotEnoughPlaces,

    /// <summary>The volunteer released this request a moment ago: they may claim it again after the cool-down (<c>Dispatch:Requests:ReclaimCoolDown</c>).</summary>
    CoolingDown,
}

public enum RequestAction
{
    Created,
    Claimed,
    Released,
    Started,
    Completed,
    Verified,
    VerificationRejected,
    Cancelled,

    /// <summary>A deadline passed: the request climbed one level (or stayed at the top, still overdue).</summary>
    Escalated,

    /// <summary>A claim not started in time was released.</summary>
    ClaimExpired,

    /// <summary>Staff took the request up: the first becomes its owner, later ones supervisors.</summary>
    Acknowledged,

    /// <summary>Staff joined as supervisors because the request escalated to their level.</summary>
    SupervisorsAdded,

    HandoverOffered,
    HandoverAccepted,

    /// <summary>Staff (or the cascade after a decline or lapse) offered the request to a volunteer.</summary>
    Offered,
    OfferAccepted,
    OfferDeclined,

    /// <summary>An offer was not answered within the policy's <c>offerWithin</c>.</summary>
    OfferLapsed,

    /// <summary>A pending offer ended because the request moved on (work started, cancelled).</summary>
    OfferWithdrawn,

    /// <summary>A wrong check-in code was entered; the request did not change otherwise.</summary>
    CheckInRejected,

    /// <summary>Staff overturned an earlier verification: the work is back in progress and its points are reversed.</summary>
    VerificationOverturned,

    /// <summary>Staff changed an open request's title, description, categories or urgency; the note names the fields.</summary>
    Edited,

    /// <summary>The resident who filed it confirmed through their tracking code that the work is done.</summary>
    ResidentConfirmed,

    /// <summary>The resident who filed it said through their tracking code that the work is not done.</summary>
    ResidentNotDone,

    /// <summary>The resident rated the work (群众评议); the note holds the rating in words and their comment.</summary>
    ResidentRated,

    /// <summary>A resident's "not done" or "unsatisfied" sent the request back to staff: completed, waiting for staff to verify it again.</summary>
    ResidentReopened,

    /// <summary>The offered volunteer's phone confirmed the offer reached it: the offer now lapses the policy's <c>offerWithin</c> after that (never sooner).</summary>
    OfferReached,
}

/// <summary>The beneficiary's contact: private, shown only to staff in scope and current claimants.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Beneficiary")]
public sealed record Beneficiary(
    [property: PersonalData] string Name,
    [property: PersonalData] string? Phone,
    [property: PersonalData] string? Address)
{
    public override string ToString() => ClassifiedText.Of(this);
}

[GenerateSerializer, Immutable, Alias("Dispatch.NewRequest")]
public sealed record NewRequest(
    string CommunityId,
    RequestKind Kind,
    string Title,
    string? Description,
    ImmutableArray<string> Categories,
    Urgency Urgency,
    int Places,
    int Points,
    Beneficiary? Beneficiary);

/// <param name="ByCheckInCode">Verified by the claimant entering the beneficiary's check-in code rather than by staff.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.Verification")]
public sealed record Verification(bool Approved, int? Rating, string? Comment, string By, DateTimeOffset At, bool ByCheckInCode = false);

/// <summary>One claim on a request: who, since when (it expires if not started in time), and how many places.</summary>
/// <param name="OrganisationId">Set when a member claimed on behalf of their organisation.</param>
/// <param name="Places">Places held by this claim; more than one only for an organisation's claim. Read <see cref="PlaceCount"/>.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.ClaimRecord")]
public sealed record ClaimRecord(string Volunteer, DateTimeOffset At, string? OrganisationId = null, int Places = 1)
{
    /// <summary>Places held; claims stored before organisations existed read as one.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int PlaceCount => Math.Max(1, Places);
}

/// <summary>A request reserved for one volunteer until they accept, decline, or the offer lapses.</summary>
/// <param name="Auto">Part of an automatic cascade through the ranked candidates.</param>
/// <param name="ReachedAt">
/// When the volunteer's phone confirmed the offer reached it (the app's live connection
/// acknowledged its notice); <see cref="ExpiresAt"/> then counts from here. Null until then.
/// </param>
[GenerateSerializer, Immutable, Alias("Dispatch.DispatchOffer")]
public sealed record DispatchOffer(string Volunteer, string By, DateTimeOffset At, DateTimeOffset ExpiresAt, bool Auto, DateTimeOffset? ReachedAt = null);

/// <summary>How often a request was dispatched (offered) and how the offers were answered.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.DispatchCounts")]
public sealed record DispatchCounts(int Offers, int Accepted, int Declined, int Lapsed)
{
    public static readonly DispatchCounts None = new(0, 0, 0, 0);
}

/// <summary>
/// Everything about a request. The web host removes <see cref="Beneficiary"/> for readers who may
/// not see it, and <see cref="CheckInCode"/> for everyone but staff.
/// </summary>
/// <param name="Award">Points each claimant earns per place when the work is verified (the request's points weighted by urgency).</param>
[GenerateSerializer, Immutable, Alias("Dispatch.RequestView")]
public sealed record RequestView(
    Guid Id,
    string CommunityId,
    RequestKind Kind,
    string Title,
    string? Description,
    ImmutableArray<string> Categories,
    Urgency Urgency,
    RequestStatus Status,
    int Places,
    ImmutableArray<string> Claimants,
    int EscalationLevel,
    int Points,
    Beneficiary? Beneficiary,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    string? CompletionNote,
    Verification? Verification,
    string? CancelReason,
    bool Overdue,
    Stage? OverdueStage,
    string EscalationPlaceId,
    ImmutableArray<Deadline> Deadlines,
    EscalationPolicy Policy,
    string? Owner,
    ImmutableArray<string> Supervisors,
    string? HandoverTo,
    ImmutableArray<ClaimRecord> Claims,
    DispatchOffer? Offer,
    int Award,
    [property: SecretData] string? CheckInCode)
{
    public override string ToString() => ClassifiedText.Of(this);

    /// <summary>Members of the claiming organisations named as having taken part (at completion; confirmed by staff at verification).</summary>
    [Id(40)] public ImmutableArray<string> Participants { get; init; } = [];

    /// <summary>What the resident who filed it answered through their tracking code, apart from staff's verification.</summary>
    [Id(41)] public ResidentFeedback? ResidentFeedback { get; init; }

    /// <summary>Places still open to a claim: neither claimed nor reserved by a pending offer.</summary>
    public int FreePlaces => Places - Claims.Sum(c => c.PlaceCount) - (Offer is null ? 0 : 1);
}

/// <summary>
/// The part of a request that boards, counters and statistics need. <see cref="Version"/> grows with every
/// transition, so a receiver can apply summaries in any order and any number of times.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RequestSummary")]
public sealed record RequestSummary(
    Guid Id,
    string CommunityId,
    RequestKind Kind,
    string Title,
    ImmutableArray<string> Categories,
    Urgency Urgency,
    RequestStatus Status,
    int Places,
    int ClaimantCount,
    int EscalationLevel,
    int Points,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    bool Overdue,
    string? Owner,
    ImmutableArray<string> Claimants,
    RequestAction LastAction,
    string EscalationPlaceId,
    int PlacesTaken,
    string? OfferTo,
    DispatchCounts Dispatches,
    DateTimeOffset? FirstClaimedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? VerifiedAt,
    int? Rating,
    int PointsAwarded)
{
    /// <summary>The resident's rating (群众评议), once they gave one: the satisfaction figure counts it.</summary>
    [Id(100)] public ResidentRating? ResidentRating { get; init; }

    /// <summary>Places still open to a claim: neither claimed nor reserved by a pending offer.</summary>
    public int FreePlaces => Places - PlacesTaken - (OfferTo is null ? 0 : 1);
}

/// <summary>
/// Someone was shown the beneficiary's contact. A reader is recorded once per
/// <see cref="RequestLimits.ContactReadSpan"/>: a page that reloads does not fill the trail.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ContactRead")]
public sealed record ContactRead(string By, DateTimeOffset At);

/// <summary>One entry of a request's audit trail: who did what, when and why.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.HistoryEntry")]
public sealed record HistoryEntry(
    int Seq,
    DateTimeOffset At,
    string Actor,
    RequestAction Action,
    RequestStatus? From,
    RequestStatus To,
    string? Note);

/// <summary>
/// Who claims: a volunteer and the community they claim in (their own, or for an organisation's
/// claim one the web host checked the organisation reports to), and how many places.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Claimant")]
public sealed record Claimant(string Username, string CommunityId, string? OrganisationId = null, int Places = 1);

/// <summary>A staff member a request can be handed over to, and the place they stand at on its ladder.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.HandoverReceiver")]
public sealed record HandoverReceiver(string Username, string DisplayName, string PlaceId, string PlaceName);
