using System.Collections.Immutable;

namespace Dispatch.Suggestions;

/// <summary>The title that lets an account file suggestions (两代表一委员).</summary>
public enum RepresentativeTitle
{
    /// <summary>党代表: a deputy to a Party congress.</summary>
    PartyCongress,

    /// <summary>人大代表: a deputy to a people's congress.</summary>
    PeoplesCongress,

    /// <summary>政协委员: a member of a CPPCC committee.</summary>
    Cppcc,
}

/// <summary>建议 (a deputy's suggestion) or 提案 (a committee member's proposal): handled alike.</summary>
public enum SuggestionKind
{
    Suggestion,
    Proposal,
}

public enum SuggestionStatus
{
    /// <summary>Filed by its representative, waiting for staff to hand it over.</summary>
    Filed,

    /// <summary>Handed over to a department, which has not answered yet.</summary>
    HandedOver,

    /// <summary>The department answered (办理结果); the representative may rate the answer.</summary>
    Answered,
}

/// <summary>The representative's rating of the answer: 满意, 基本满意, 不满意.</summary>
public enum SuggestionRating
{
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

public enum SuggestionAction
{
    Filed,
    HandedOver,
    Escalated,
    Answered,
    Rated,
}

/// <summary>What a representative files: the place concerned is a place on the tree.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.NewSuggestion")]
public sealed record NewSuggestion(SuggestionKind Kind, string Title, string Content, string PlaceId);

/// <summary>One entry of a suggestion's history: who did what, when, and at which level and place.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.SuggestionEvent")]
public sealed record SuggestionEvent(SuggestionAction Action, string By, DateTimeOffset At, string? Note = null, int? Level = null, string? PlaceId = null);

/// <summary>A hand-over as staff ask for it: to which department, until when.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.SuggestionHandover")]
public sealed record SuggestionHandover(string DepartmentId, DateTimeOffset Deadline, TimeSpan EscalateEvery);

/// <summary>
/// A representative's suggestion or proposal and where it stands. <see cref="PlacePath"/> is the
/// place concerned's path from the root: the ladder an unanswered one climbs after its deadline.
/// </summary>
/// <param name="Level">0 until the deadline passes unanswered; then one step up the place path per climb (as requests: 1 town, 2 county, 3 region).</param>
/// <param name="EscalatedAt">When it last climbed; the next climb is <see cref="EscalateEvery"/> later.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.SuggestionView")]
public sealed record SuggestionView(
    string Id,
    SuggestionKind Kind,
    string Title,
    string Content,
    string PlaceId,
    ImmutableArray<string> PlacePath,
    string Author,
    RepresentativeTitle AuthorTitle,
    DateTimeOffset FiledAt,
    SuggestionStatus Status,
    string? DepartmentId = null,
    string? HandedOverBy = null,
    DateTimeOffset? HandedOverAt = null,
    DateTimeOffset? Deadline = null,
    TimeSpan? EscalateEvery = null,
    int Level = 0,
    DateTimeOffset? EscalatedAt = null,
    string? Answer = null,
    string? AnsweredBy = null,
    DateTimeOffset? AnsweredAt = null,
    SuggestionRating? Rating = null,
    DateTimeOffset? RatedAt = null)
{
    /// <summary>The deadline passed before an answer came (or has passed with none yet).</summary>
    public bool Overdue => Level > 0;

    /// <summary>Answered before the deadline (at the deadline it has climbed already: the two always agree).</summary>
    public bool AnsweredOnTime => AnsweredAt is { } answered && Deadline is { } deadline && answered < deadline;
}
