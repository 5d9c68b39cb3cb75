using System.Collections.Immutable;
using Dispatch.Communities;
using Dispatch.Points;

namespace Dispatch.Statistics;

/// <summary>How the figures of several communities add up to their place's: plain C#, no grains.</summary>
public static class StatisticsRollup
{
    /// <summary>
    /// Sums the communities' totals. <paramref name="organisations"/> holds each community's
    /// organisations, or is null for a single community: an organisation may report in to several
    /// communities, so above a community it is counted once.
    /// </summary>
    public static StatisticsTotals Sum(IEnumerable<StatisticsTotals> totals, IEnumerable<ImmutableArray<string>>? organisations)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var sum = totals.Aggregate(StatisticsTotals.Empty, (all, next) => all.Add(next));
        return organisations is null
            ? sum
            : sum with { Organisations = organisations.SelectMany(o => o).Distinct(StringComparer.Ordinal).Count() };
    }

    /// <summary>One leaderboard from the communities' own, ranked by the same rule as each community's.</summary>
    public static ImmutableArray<PointsTotals> Leaderboard(IEnumerable<ImmutableArray<PointsTotals>> boards, int top)
    {
        ArgumentNullException.ThrowIfNull(boards);
        return CommunityBoard.Rank(boards.SelectMany(b => b), top);
    }
}
