using Dispatch.Consoles;
using Dispatch.Requests;
using Dispatch.Statistics;
using Dispatch.UnitTests.Support;
using static Dispatch.UnitTests.Statistics.Journeys;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Statistics;

/// <summary>The running sums behind the statistics, kept from requests' summaries in any order.</summary>
public sealed class RequestTallyTests
{
    [Fact]
    public void An_empty_tally_sums_to_the_empty_totals()
    {
        var totals = new RequestTally().Totals();

        AssertSame(StatisticsTotals.Empty, totals);
        Assert.Equal(StatisticsTotals.KindCount * StatisticsTotals.StatusCount, totals.ByKindAndStatus.Length);
        Assert.Equal(0, totals.Total);
    }

    [Fact]
    public void The_tally_counts_requests_by_kind_and_status()
    {
        var totals = TallyOf(Mixed().Select(j => j.Last)).Totals();

        Assert.Equal(11, totals.Total);
        Assert.Equal(
            [2, 1, 2, 1, 4, 1],
            Enum.GetValues<RequestStatus>().Select(totals.Count));
        Assert.Equal(
            [7, 2, 1, 1],
            Enum.GetValues<RequestKind>().Select(totals.Count));
        Assert.Equal(2, totals.Count(RequestKind.Wish, RequestStatus.Verified));
        Assert.Equal(1, totals.Count(RequestKind.Wish, RequestStatus.Cancelled));
        Assert.Equal(1, totals.Count(RequestKind.Errand, RequestStatus.Claimed));
        Assert.Equal(1, totals.Count(RequestKind.Errand, RequestStatus.Verified));
        Assert.Equal(1, totals.Count(RequestKind.Case, RequestStatus.InProgress));
        Assert.Equal(1, totals.Count(RequestKind.Activity, RequestStatus.Verified));
    }

    [Fact]
    public void The_tally_sums_dispatches_claims_completions_ratings_on_time_verifications_and_points()
    {
        var totals = TallyOf(Mixed().Select(j => j.Last)).Totals();

        Assert.Equal((3, 1, 1, 1), (totals.Offers, totals.OffersAccepted, totals.OffersDeclined, totals.OffersLapsed));
        Assert.Equal(8, totals.Claimed);
        Assert.Equal(TimeSpan.FromMinutes(3 + 20 + 2 + 5 + 5 + 40 + 5 + 15).Ticks, totals.TicksToClaim);
        // The overturned wish is back in progress: its completion no longer counts.
        Assert.Equal(5, totals.Completed);
        Assert.Equal(TimeSpan.FromMinutes(40 + 65 + 65 + 50 + 120).Ticks, totals.TicksToComplete);
        Assert.Equal((3, 10), (totals.Rated, totals.RatingSum));
        Assert.Equal(3, totals.VerifiedOnTime);
        // The activity: g's own place, and the organisation's three places credit its claimant once (nobody was named).
        Assert.Equal(10 + 10 + 7 + 0 + 60, totals.PointsAwarded);

        // What only the board knows stays zero in the tally.
        Assert.Equal((0, 0, 0, 0), (totals.RegisteredVolunteers, totals.Organisations, totals.PointsIssued, totals.PointsRedeemed));
    }

    [Fact]
    public void The_counters_show_dispatches_wishes_fulfilled_and_matters_done()
    {
        var tally = TallyOf(Mixed().Select(j => j.Last));

        Assert.Equal(new PlaceCounters(2, 1, 2, 1, 4, 1, 0, 12, 3, 2, 2), tally.Counters(registeredVolunteers: 12));
    }

    public static TheoryData<int> Seeds => new() { 1, 7, 42, 2025, 90_000 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_version_applied_in_random_order_sums_to_the_same_as_the_latest_versions_alone(int seed)
    {
        var random = new Random(seed);
        var journeys = Mixed();
        var everything = journeys.SelectMany(j => j.Summaries).ToList();

        // Late, repeated and out of order: each summary up to three times, shuffled.
        var shuffled = everything.SelectMany(s => Enumerable.Repeat(s, random.Next(1, 4))).OrderBy(_ => random.Next()).ToList();
        var tally = TallyOf(shuffled);

        AssertSame(TallyOf(journeys.Select(j => j.Last)).Totals(), tally.Totals());
        Assert.Equal(TallyOf(journeys.Select(j => j.Last)).Counters(0), tally.Counters(0));
        Assert.Equal(
            journeys.Select(j => (j.Request.Id, j.Last.Version)).OrderBy(x => x.Id),
            tally.Summaries.Select(s => (s.Id, s.Version)).OrderBy(x => x.Id));
    }

    [Fact]
    public void Each_journey_has_several_versions_so_the_shuffle_tests_something()
    {
        Assert.True(Mixed().Sum(j => j.Summaries.Length) > 30);
        Assert.All(Mixed().Skip(1), j => Assert.True(j.Summaries.Length > 1));
    }

    [Fact]
    public void Apply_takes_only_a_newer_version()
    {
        var journey = VerifiedWish();
        var tally = new RequestTally();

        Assert.True(tally.Apply(journey.Summaries[2]));
        Assert.False(tally.Apply(journey.Summaries[2]));
        Assert.False(tally.Apply(journey.Summaries[1]));
        Assert.True(tally.Apply(journey.Summaries[^1]));
        Assert.False(tally.Apply(journey.Summaries[3]));

        Assert.Equal(1, tally.Totals().Count(RequestStatus.Verified));
        Assert.Equal(1, tally.Totals().Total);
    }

    [Fact]
    public void A_newer_version_takes_back_what_the_older_one_counted()
    {
        var journey = VerifiedWish(rating: 5).Then(r => Assert.Null(r.Verify(Staff, approved: false, rating: null, "overturned", Min(100))));
        var tally = new RequestTally();

        tally.Apply(journey.Summaries[^2]);
        var verified = tally.Totals();
        tally.Apply(journey.Summaries[^1]);
        var overturned = tally.Totals();

        Assert.Equal((1, 1, 5, 1, 10), (verified.Count(RequestStatus.Verified), verified.Rated, verified.RatingSum, verified.VerifiedOnTime, verified.PointsAwarded));
        Assert.Equal((0, 0, 0, 0, 0), (overturned.Count(RequestStatus.Verified), overturned.Rated, overturned.RatingSum, overturned.VerifiedOnTime, overturned.PointsAwarded));
        Assert.Equal(1, overturned.Count(RequestStatus.InProgress));
        Assert.Equal((1, 0), (overturned.Claimed, overturned.Completed));
    }

    [Fact]
    public void A_tally_built_from_a_loaded_board_counts_what_it_was_given()
    {
        var journeys = Mixed();
        var loaded = new RequestTally(journeys.ToDictionary(j => j.Request.Id, j => j.Last));

        AssertSame(TallyOf(journeys.Select(j => j.Last)).Totals(), loaded.Totals());
    }

    [Fact]
    public void An_escalated_request_verified_later_is_not_on_time()
    {
        var policy = Given.PolicyOf(TimeSpan.FromMinutes(30));
        var journey = Of(Given.Wish(), policy: policy)
            .Then(r => r.ApplyClaim("li.na", Min(1)))
            .Then(r => Assert.Null(r.Start(Given.Volunteer("li.na"), Min(2))))
            .Then(r => Assert.Null(r.Complete(Given.Volunteer("li.na"), null, Min(3))))
            .Then(r => r.Advance(Min(40)))
            .Then(r => Assert.Null(r.Verify(Staff, approved: true, rating: 5, null, Min(41))));
        Assert.Equal(1, journey.Last.EscalationLevel);

        var totals = TallyOf([journey.Last]).Totals();

        Assert.Equal(0, totals.VerifiedOnTime);
        Assert.Equal(0.0, PlaceStatistics.From("m", 1, totals).OnTimeRate);
    }
}
