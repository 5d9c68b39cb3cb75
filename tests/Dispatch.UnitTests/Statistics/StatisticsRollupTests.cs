using Dispatch.Points;
using Dispatch.Statistics;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Statistics;

/// <summary>A place's figures from its communities': sums, organisations counted once, one leaderboard.</summary>
public sealed class StatisticsRollupTests
{
    private static StatisticsTotals Community(int volunteers, int organisations, int pointsIssued) =>
        StatisticsTotals.Empty with { RegisteredVolunteers = volunteers, Organisations = organisations, PointsIssued = pointsIssued };

    [Fact]
    public void A_single_community_keeps_its_own_organisation_count()
    {
        var sum = StatisticsRollup.Sum([Community(3, 2, 40)], organisations: null);

        Assert.Equal((3, 2, 40), (sum.RegisteredVolunteers, sum.Organisations, sum.PointsIssued));
    }

    [Fact]
    public void Above_a_community_an_organisation_reporting_to_several_is_counted_once()
    {
        var sum = StatisticsRollup.Sum(
            [Community(3, 2, 40), Community(1, 2, 5)],
            [["power-supply-bureau", "tax-bureau"], ["power-supply-bureau", "school"]]);

        Assert.Equal((4, 3, 45), (sum.RegisteredVolunteers, sum.Organisations, sum.PointsIssued));
    }

    [Fact]
    public void No_communities_sum_to_nothing()
    {
        Assert.Equal(StatisticsTotals.Empty.Total, StatisticsRollup.Sum([], organisations: []).Total);
        Assert.Equal(0, StatisticsRollup.Sum([], organisations: []).Organisations);
    }

    [Fact]
    public void The_leaderboard_merges_the_communities_boards_into_one_order()
    {
        var ranked = StatisticsRollup.Leaderboard(
            [[new PointsTotals("b", Given.CommunityId, 1, 20, 20, 0)], [new PointsTotals("c", Given.OtherCommunityId, 1, 40, 40, 0), new PointsTotals("a", Given.OtherCommunityId, 1, 20, 20, 0)]],
            2);

        Assert.Equal(["c", "a"], ranked.Select(p => p.Username));
    }
}
