using System.Collections.Immutable;
using Dispatch.Requests;

namespace Dispatch.Queries;

/// <summary>The orders a list of requests can be read in (<c>sort=</c>).</summary>
public enum RequestSort
{
    /// <summary>Newest first (the default).</summary>
    Newest,
    Oldest,

    /// <summary>Most recently changed first.</summary>
    Updated,

    /// <summary>Most urgent first, then newest.</summary>
    Urgency,

    /// <summary>Highest escalation level first, then oldest.</summary>
    Level,

    /// <summary>Soonest next deadline first; requests with none last.</summary>
    Due,
}

/// <summary>How statistics by period are broken down (<c>groupBy=</c>).</summary>
public enum StatisticsGrouping
{
    Community,
    Town,
    County,
    Month,
    Week,
    Kind,

    /// <summary>The creation day ('2026-12-07') on the reader's calendar (<see cref="IRequestQueries.Totals"/>' offset).</summary>
    Day,
}

/// <summary>
/// Which requests a list, an export or a statistic covers: every request at or below a place
/// (<paramref name="PlacePath"/>: ids from the root down to it), finished ones included, narrowed
/// by the optional filters. Periods are half-open, on the creation time.
/// </summary>
/// <param name="Text">A substring of the title or description (any script; case-insensitive for Latin letters).</param>
public sealed record RequestFilter(
    ImmutableArray<string> PlacePath,
    ImmutableArray<RequestStatus> Statuses,
    RequestKind? Kind = null,
    Urgency? Urgency = null,
    string? Category = null,
    bool? Overdue = null,
    string? Text = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);

/// <summary>One request as lists and exports show it: never the beneficiary, never the check-in code.</summary>
public sealed record RequestListItem(
    Guid Id,
    string CommunityId,
    ImmutableArray<string> PlacePath,
    RequestKind Kind,
    string Title,
    string? Description,
    ImmutableArray<string> Categories,
    Urgency Urgency,
    RequestStatus Status,
    int Places,
    int PlacesTaken,
    ImmutableArray<string> Claimants,
    string? Owner,
    int EscalationLevel,
    bool Overdue,
    DateTimeOffset? NextDue,
    int Points,
    int PointsAwarded,
    string? OfferTo,
    int? Rating,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    int Version);

public sealed record RequestPage(ImmutableArray<RequestListItem> Items, int Total, int Page, int PageSize);

/// <summary>A page of a request's audit trail, oldest first; <paramref name="Version"/> is the request version it was projected from.</summary>
public sealed record HistoryPage(ImmutableArray<HistoryEntry> Items, int Total, int Page, int PageSize, int Version);

/// <summary>The sums behind the request figures of a statistic, for one group (or for all).</summary>
public sealed record RequestTotals(
    string Key,
    ImmutableArray<int> ByKindAndStatus,
    int Offers,
    int OffersAccepted,
    int OffersDeclined,
    int OffersLapsed,
    int OffersPending,
    int Claimed,
    long TicksToClaim,
    int Completed,
    long TicksToComplete,
    int Rated,
    int RatingSum,
    int VerifiedOnTime,
    int PointsAwarded)
{
    /// <summary>Requests the resident rated 满意, 基本满意 and 不满意 (群众评议).</summary>
    public int Satisfied { get; init; }

    public int BasicallySatisfied { get; init; }

    public int Unsatisfied { get; init; }
}

/// <summary>Requests that climbed to a level of the ladder (1 the town, 2 the county, 3 the region) and stopped there.</summary>
public sealed record LevelCount(int Level, int Requests);

/// <summary>Requests carrying a category (as stored: trimmed, lower case).</summary>
public sealed record CategoryCount(string Category, int Requests);

/// <summary>
/// Reads the query store: the relational projection of every request (one row each, plus its
/// history), kept by the silos a moment behind the request grains, which stay the truth. It
/// answers what no grain can cheaply: lists over a whole subtree with filters and text search,
/// figures by period, exports. Callers check scope first; nothing it returns is private.
/// </summary>
public interface IRequestQueries
{
    Task<RequestPage> List(RequestFilter filter, RequestSort sort, int page, int pageSize, CancellationToken cancellationToken);

    /// <summary>Every matching request in <paramref name="sort"/> order, read as it is consumed (nothing is buffered).</summary>
    IAsyncEnumerable<RequestListItem> Export(RequestFilter filter, RequestSort sort, CancellationToken cancellationToken);

    /// <summary>A page of the request's projected history; null when the store has no row for it (yet).</summary>
    Task<HistoryPage?> History(Guid id, int page, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// The sums for the requests matching <paramref name="filter"/>: one entry per group, or one (key "") without grouping.
    /// Days, weeks and months are those of the calendar <paramref name="utcOffset"/> ahead of UTC (zero: UTC's own).
    /// </summary>
    Task<ImmutableArray<RequestTotals>> Totals(RequestFilter filter, StatisticsGrouping? groupBy, TimeSpan utcOffset, CancellationToken cancellationToken);

    /// <summary>The matching requests by the highest escalation level each reached, one entry per level of the ladder above the community.</summary>
    Task<ImmutableArray<LevelCount>> Escalations(RequestFilter filter, CancellationToken cancellationToken);

    /// <summary>The <paramref name="top"/> categories the most matching requests carry, most first (ties by name).</summary>
    Task<ImmutableArray<CategoryCount>> TopCategories(RequestFilter filter, int top, CancellationToken cancellationToken);
}
