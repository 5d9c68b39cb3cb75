using System.Collections.Immutable;

namespace Dispatch.Notifications;

/// <summary>What a notice in a person's inbox tells them.</summary>
public enum NoticeKind
{
    /// <summary>A request was offered to me (precise dispatch); <see cref="InboxNotice.Until"/> is when the offer lapses.</summary>
    Offered,

    /// <summary>A volunteer claimed (or accepted an offer of) a request I own.</summary>
    Claimed,

    /// <summary>Staff (or the beneficiary's check-in code) verified work I completed.</summary>
    Verified,

    /// <summary>Staff sent work I completed back: it is in progress again.</summary>
    VerificationRejected,

    /// <summary>Staff overturned the verification of my work: back in progress, its points reversed.</summary>
    VerificationOverturned,

    /// <summary>A request climbed to my place (I am its staff); <see cref="InboxNotice.Level"/> is the level reached.</summary>
    Escalated,

    /// <summary>Staff handed a request over to me: it is mine once I accept.</summary>
    HandoverOffered,

    /// <summary>A person or unit reported in to my community and waits for staff to decide.</summary>
    ApplicationWaiting,

    /// <summary>I earned points for verified work; <see cref="InboxNotice.Amount"/> is how many.</summary>
    PointsEarned,

    /// <summary>Staff marked my shop order handed over: the goods are ready for me; <see cref="InboxNotice.Subject"/> is the item.</summary>
    OrderReady,

    /// <summary>The resident said a request I own (or of my community) is not done, or is unsatisfied: it waits for staff to review it.</summary>
    ResidentUnsatisfied,

    /// <summary>A suggestion was handed over (交办) to my department: it is ours to answer by its deadline; <see cref="InboxNotice.Until"/> is the deadline.</summary>
    SuggestionAssigned,

    /// <summary>The department answered the suggestion I filed: I may read the answer and rate it.</summary>
    SuggestionAnswered,

    /// <summary>A suggestion handed to my department passed its deadline unanswered and climbed; <see cref="InboxNotice.Level"/> is the level reached.</summary>
    SuggestionOverdue,
}

/// <summary>
/// A notice as the grain that decided it hands it to an inbox. <paramref name="Key"/> is fixed by
/// the change that caused it (a request's history entry and the recipient), so delivering it
/// again after a failure is recognised and kept once. It never carries a beneficiary's contact:
/// only the subject (a request's title, an applicant's display name), who acted and figures.
/// </summary>
/// <param name="Subject">What it is about, as people read it: a request's title, an applicant's name.</param>
/// <param name="PlaceId">The place it concerns: a request's community, the place an escalation reached.</param>
/// <param name="By">Who acted (a username, or "system" for the request's own clock).</param>
[GenerateSerializer, Immutable, Alias("Dispatch.InboxNotice")]
public sealed record InboxNotice(
    string Key,
    NoticeKind Kind,
    DateTimeOffset At,
    string Subject,
    string? PlaceId,
    Guid? RequestId,
    string? By,
    int? Amount = null,
    int? Level = null,
    DateTimeOffset? Until = null,
    string? ApplicationId = null,
    string? SuggestionId = null);

/// <summary>One notice in an inbox, numbered by the inbox; unread until <see cref="ReadAt"/> is set.</summary>
/// <param name="SuggestionId">The suggestion a notice of a suggestion is about (null for every other notice).</param>
[GenerateSerializer, Immutable, Alias("Dispatch.InboxItem")]
public sealed record InboxItem(
    long Id,
    string Key,
    NoticeKind Kind,
    DateTimeOffset At,
    string Subject,
    string? PlaceId,
    Guid? RequestId,
    string? By,
    int? Amount,
    int? Level,
    DateTimeOffset? Until,
    string? ApplicationId,
    DateTimeOffset? ReadAt,
    string? SuggestionId = null)
{
    public bool Read => ReadAt is not null;

    public static InboxItem From(long id, InboxNotice notice) => new(
        id, notice.Key, notice.Kind, notice.At, notice.Subject, notice.PlaceId, notice.RequestId, notice.By,
        notice.Amount, notice.Level, notice.Until, notice.ApplicationId, ReadAt: null, notice.SuggestionId);
}

/// <summary>A page of an inbox, newest first; <see cref="Total"/> counts what the filter matched, <see cref="Unread"/> the whole inbox's unread notices.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.InboxPage")]
public sealed record InboxPage(ImmutableArray<InboxItem> Items, int Total, int Page, int Unread);

/// <summary>What changed in a person's inbox, pushed live: a new notice (<see cref="Item"/>), or only the unread count (marked read).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.InboxChange")]
public sealed record InboxChange(string Username, InboxItem? Item, int Unread);

/// <summary>Bounds of an inbox and of its pages.</summary>
public static class InboxLimits
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxPage = 1000;
}
