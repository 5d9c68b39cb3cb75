using System.Collections.Immutable;
using Dispatch.Consoles;
using Dispatch.Points;
using Dispatch.Statistics;
using Dispatch.Requests;

namespace Dispatch.Communities;

/// <summary>
/// A community's demand list and counters, derived from its requests' summaries. Applying a
/// summary is idempotent and order-free (the highest version wins), so the board can be fed by
/// one-way messages and rebuilt from the request grains after a crash. It holds live work only:
/// unfinished requests and those finished within a window; older finished ones are retired
/// (<see cref="Retire"/>) into a <see cref="RetiredTally"/> of fixed size, so the counters and
/// statistics stay whole while storing the board costs as much as its live work, not its history.
/// Finished requests older than the window are read from the query store.
/// </summary>
[GenerateSerializer, Alias("Dispatch.CommunityBoard")]
public sealed class CommunityBoard
{
    public const int MaxPageSize = CommunityLimits.MaxPageSize;

    [Id(0)] private readonly Dictionary<Guid, RequestSummary> requests = [];
    [Id(1)] private readonly HashSet<string> volunteers = new(StringComparer.Ordinal);
    [Id(2)] private readonly HashSet<string> organisations = new(StringComparer.Ordinal);

    // The latest points totals of each volunteer registered here, as their ledgers report them.
    [Id(3)] private readonly Dictionary<string, PointsTotals> points = new(StringComparer.Ordinal);

    // What the retired requests count for; kept here (not recounted) since they are gone.
    [Id(4)] private RetiredTally retired = RetiredTally.None;

    // Volunteers whose accounts are disabled: off the list (the candidate pool), still known so
    // that staff find them to enable again. Null in boards stored before it existed.
    [Id(5)] private HashSet<string>? disabledVolunteers;

    // Derived from the summaries: counted again after loading rather than stored.
    [NonSerialized] private RequestTally? tally;

    public int RequestCount => requests.Count;

    public IEnumerable<Guid> UnfinishedRequestIds =>
        requests.Values.Where(r => !r.Status.IsFinal()).Select(r => r.Id);

    /// <summary>Records the summary if it is newer than the one held. True when the board changed.</summary>
    public bool Apply(RequestSummary summary) => Tally.Apply(summary);

    /// <summary>A finished request came back to work (see <see cref="RequestTally.Reopen"/>). True when the board changed.</summary>
    public bool Reopen(RequestSummary finished, RequestSummary current)
    {
        var changed = Tally.Reopen(finished, current);
        retired = Tally.Retired;
        return changed;
    }

    /// <summary>Forgets the requests finished before <paramref name="cutoff"/>, keeping what they count for. Returns how many.</summary>
    public int Retire(DateTimeOffset cutoff)
    {
        var count = Tally.Retire(cutoff);
        retired = Tally.Retired;
        return count;
    }

    /// <summary>What the requests no longer held count for.</summary>
    public RetiredTally Retired => Tally.Retired;

    public int VolunteerCount => volunteers.Count;

    public ImmutableArray<string> Volunteers => [.. volunteers.Order(StringComparer.Ordinal)];

    public IEnumerable<RequestSummary> Summaries => requests.Values;

    /// <summary>The volunteers of the community whose accounts are disabled.</summary>
    public ImmutableArray<string> DisabledVolunteers => [.. (disabledVolunteers ?? []).Order(StringComparer.Ordinal)];

    /// <summary>True when the volunteer was not registered before (a disabled one enabled again counts as new).</summary>
    public bool RegisterVolunteer(string username) => (disabledVolunteers?.Remove(username) ?? false) | volunteers.Add(username);

    /// <summary>The volunteer leaves the community altogether (moved elsewhere).</summary>
    public bool UnregisterVolunteer(string username) => (disabledVolunteers?.Remove(username) ?? false) | volunteers.Remove(username);

    /// <summary>The volunteer's account is disabled: off the list and the candidate pool, still on record here.</summary>
    public bool DisableVolunteer(string username) =>
        volunteers.Remove(username) | (disabledVolunteers ??= new(StringComparer.Ordinal)).Add(username);

    public int OrganisationCount => organisations.Count;

    public ImmutableArray<string> Organisations => [.. organisations.Order(StringComparer.Ordinal)];

    /// <summary>True when the organisation was not registered before.</summary>
    public bool RegisterOrganisation(string organisationId) => organisations.Add(organisationId);

    public bool UnregisterOrganisation(string organisationId) => organisations.Remove(organisationId);

    public IReadOnlyCollection<PointsTotals> Points => points.Values;

    /// <summary>Records a volunteer's totals if newer than those held. True when something changed.</summary>
    public bool ApplyPoints(PointsTotals totals)
    {
        if (points.TryGetValue(totals.Username, out var held) && held.Version >= totals.Version)
        {
            return false;
        }

        points[totals.Username] = totals;
        return true;
    }

    public PlaceCounters Counters() => Tally.Counters(volunteers.Count);

    /// <summary>The sums behind the community's statistics.</summary>
    public StatisticsTotals Totals() => Tally.Totals() with
    {
        RegisteredVolunteers = volunteers.Count,
        Organisations = organisations.Count,
        PointsIssued = points.Values.Sum(p => p.Earned),
        PointsRedeemed = points.Values.Sum(p => p.Redeemed),
    };

    /// <summary>The volunteers who earned the most points, most first (ties by username), at most <paramref name="top"/>.</summary>
    public ImmutableArray<PointsTotals> Leaderboard(int top) => Rank(points.Values, top);

    /// <summary>The order of every leaderboard: points earned, most first, then username.</summary>
    public static ImmutableArray<PointsTotals> Rank(IEnumerable<PointsTotals> totals, int top) =>
        [.. totals.Where(p => p.Earned > 0)
            .OrderByDescending(p => p.Earned)
            .ThenBy(p => p.Username, StringComparer.Ordinal)
            .Take(top)];

    /// <summary>The overdue requests, highest escalation level first, then oldest first.</summary>
    public ImmutableArray<RequestSummary> Overdue() =>
        [.. requests.Values.Where(r => r.Overdue).OrderByDescending(r => r.EscalationLevel).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id)];

    /// <summary>One page of the board: most urgent first, then oldest first.</summary>
    public BoardPage Query(BoardQuery query)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var page = Math.Max(query.Page, 1);
        var matching = requests.Values
            .Where(r => query.Status is not { } status || r.Status == status)
            .Where(r => query.Kind is not { } kind || r.Kind == kind)
            .Where(r => query.Category is not { } category || r.Categories.Contains(category, StringComparer.OrdinalIgnoreCase))
            .OrderByDescending(r => r.Urgency)
            .ThenBy(r => r.CreatedAt)
            .ThenBy(r => r.Id)
            .ToList();
        // In long: a page far beyond the end must give an empty page, not wrap around to the first.
        var offset = (long)(page - 1) * pageSize;
        var items = offset >= matching.Count ? [] : matching.Skip((int)offset).Take(pageSize).ToImmutableArray();
        return new BoardPage(items, matching.Count, page, pageSize);
    }

    private RequestTally Tally => tally ??= new RequestTally(requests, retired);
}
