using System.Collections.Immutable;
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
}

/// <summary>The beneficiary's contact: private, shown only to staff in scope and current claimants.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Beneficiary")]
public sealed record Beneficiary(string Name, string? Phone, string? Address);

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

[GenerateSerializer, Immutable, Alias("Dispatch.Verification")]
public sealed record Verification(bool Approved, int? Rating, string? Comment, string By, DateTimeOffset At);

/// <summary>Everything about a request. The web host removes <see cref="Beneficiary"/> for readers who may not see it.</summary>
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
    string? HandoverTo)
{
    public int FreePlaces => Places - Claimants.Length;
}

/// <summary>
/// The part of a request that boards and counters need. <see cref="Version"/> grows with every
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
    string EscalationPlaceId)
{
    public int FreePlaces => Places - ClaimantCount;
}

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

/// <summary>The answer to a claim attempt: the request as won, or the reason it was lost.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ClaimResult")]
public sealed record ClaimResult(RequestView? Request, ClaimLoss? Loss)
{
    // Losers vastly outnumber winners in a claim storm; answering them with shared immutable
    // instances keeps the losing path free of allocation and copying.
    public static readonly ClaimResult Full = new(null, ClaimLoss.Full);
    public static readonly ClaimResult NotOpen = new(null, ClaimLoss.NotOpen);
    public static readonly ClaimResult AlreadyClaimed = new(null, ClaimLoss.AlreadyClaimed);
    public static readonly ClaimResult ClaimLimit = new(null, ClaimLoss.ClaimLimit);
    public static readonly ClaimResult OutsideCommunity = new(null, ClaimLoss.OutsideCommunity);
    public static readonly ClaimResult NotFound = new(null, ClaimLoss.NotFound);

    public bool Won => Loss is null;

    public static ClaimResult Lost(ClaimLoss loss) => loss switch
    {
        ClaimLoss.Full => Full,
        ClaimLoss.NotOpen => NotOpen,
        ClaimLoss.AlreadyClaimed => AlreadyClaimed,
        ClaimLoss.ClaimLimit => ClaimLimit,
        ClaimLoss.OutsideCommunity => OutsideCommunity,
        ClaimLoss.NotFound => NotFound,
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, null),
    };
}

/// <summary>Who claims: a volunteer and the community they are registered with.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Claimant")]
public sealed record Claimant(string Username, string CommunityId);
