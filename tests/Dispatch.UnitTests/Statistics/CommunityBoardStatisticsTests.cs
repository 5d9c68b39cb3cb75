using Dispatch.Communities;
using Dispatch.Points;
using Dispatch.UnitTests.Support;
using static Dispatch.UnitTests.Statistics.Journeys;

namespace Dispatch.UnitTests.Statistics;

/// <summary>A community board's totals: its requests' sums plus volunteers, organisations and points.</summary>
public sealed class CommunityBoardStatisticsTests
{
    private static PointsTotals Points(string username, long version, int earned, int redeemed = 0) =>
        new(username, Given.CommunityId, version, earned - redeemed, earned, redeemed);

    [Fact]
    public void Totals_add_volunteers_organisations_and_points_to_the_requests_sums()
    {
        var board = new CommunityBoard();
        var journeys = Mixed();
        foreach (var summary in journeys.SelectMany(j => j.Summaries).Reverse())
        {
            board.Apply(summary);
        }

        board.RegisterVolunteer("li.na");
        board.RegisterVolunteer("zhao.lei");
        board.RegisterOrganisation(GivenDispatch.Organisation);
        board.ApplyPoints(Points("li.na", 3, earned: 30, redeemed: 10));
        board.ApplyPoints(Points("zhao.lei", 1, earned: 5));

        var totals = board.Totals();

        AssertSame(
            TallyOf(journeys.Select(j => j.Last)).Totals() with { RegisteredVolunteers = 2, Organisations = 1, PointsIssued = 35, PointsRedeemed = 10 },
            totals);
    }

    [Fact]
    public void An_organisation_is_registered_once()
    {
        var board = new CommunityBoard();

        Assert.True(board.RegisterOrganisation("power-supply-bureau"));
        Assert.False(board.RegisterOrganisation("power-supply-bureau"));
        Assert.True(board.RegisterOrganisation("tax-bureau"));

        Assert.Equal(2, board.OrganisationCount);
        Assert.Equal(2, board.Totals().Organisations);
    }

    [Fact]
    public void Points_totals_of_an_older_or_equal_version_are_ignored()
    {
        var board = new CommunityBoard();

        Assert.True(board.ApplyPoints(Points("li.na", 5, earned: 50)));
        Assert.False(board.ApplyPoints(Points("li.na", 4, earned: 40)));
        Assert.False(board.ApplyPoints(Points("li.na", 5, earned: 99)));

        Assert.Equal(50, Assert.Single(board.Points).Earned);
        Assert.Equal(50, board.Totals().PointsIssued);

        Assert.True(board.ApplyPoints(Points("li.na", 6, earned: 45, redeemed: 20)));
        Assert.Equal((45, 20), (board.Totals().PointsIssued, board.Totals().PointsRedeemed));
    }

    [Fact]
    public void The_leaderboard_ranks_by_points_earned_then_username_and_leaves_out_those_with_none()
    {
        var board = new CommunityBoard();
        board.ApplyPoints(Points("wu", 1, earned: 30));
        board.ApplyPoints(Points("an", 1, earned: 30));
        board.ApplyPoints(Points("li.na", 1, earned: 80, redeemed: 70));
        board.ApplyPoints(Points("zero", 1, earned: 0));
        board.ApplyPoints(Points("zhao", 1, earned: 10));

        Assert.Equal(["li.na", "an", "wu", "zhao"], board.Leaderboard(10).Select(p => p.Username));
        Assert.Equal(["li.na", "an"], board.Leaderboard(2).Select(p => p.Username));
        Assert.Empty(board.Leaderboard(0));
    }

    [Fact]
    public void Rank_merges_several_communities_boards_into_one_order()
    {
        var hongqi = new[] { Points("b", 1, 20), Points("d", 1, 5) };
        var xinhua = new[] { new PointsTotals("a", Given.OtherCommunityId, 1, 20, 20, 0), new PointsTotals("c", Given.OtherCommunityId, 1, 40, 40, 0) };

        var ranked = CommunityBoard.Rank(hongqi.Concat(xinhua), 3);

        Assert.Equal([("c", 40), ("a", 20), ("b", 20)], ranked.Select(p => (p.Username, p.Earned)));
    }

    [Fact]
    public void Usernames_tie_break_by_ordinal_order()
    {
        var ranked = CommunityBoard.Rank([Points("b", 1, 10), Points("B", 1, 10), Points("a", 1, 10)], 10);

        Assert.Equal(["B", "a", "b"], ranked.Select(p => p.Username));
    }
}
