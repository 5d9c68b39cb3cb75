using Dispatch.Requests;
using Dispatch.Statistics;
using Dispatch.UnitTests.Support;
using static Dispatch.UnitTests.Statistics.Journeys;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Statistics;

/// <summary>A place's figures, worked out from summed totals: rates and averages only at the end.</summary>
public sealed class PlaceStatisticsTests
{
    private const string Town = "t";
    private const string Xinhua = Given.OtherCommunityId;

    [Fact]
    public void Figures_of_a_community_are_worked_out_from_its_totals()
    {
        var totals = TallyOf(Mixed().Select(j => j.Last)).Totals() with
        {
            RegisteredVolunteers = 25,
            Organisations = 2,
            PointsIssued = 140,
            PointsRedeemed = 60,
        };

        var stats = PlaceStatistics.From("m", 1, totals);

        Assert.Equal(("m", 1, 25, 2), (stats.PlaceId, stats.Communities, stats.RegisteredVolunteers, stats.Organisations));
        Assert.Equal(11, stats.Requests.Total);
        Assert.Equal(
            [("cancelled", 1), ("claimed", 1), ("completed", 1), ("inProgress", 2), ("open", 2), ("verified", 4)],
            stats.Requests.ByStatus.Select(p => (p.Key, p.Value)));
        Assert.Equal(["activity", "case", "errand", "wish"], stats.ByKind.Keys);
        Assert.Equal(7, stats.ByKind["wish"].Total);
        Assert.Equal(2, stats.ByKind["wish"].ByStatus["verified"]);
        Assert.Equal(1, stats.ByKind["activity"].ByStatus["verified"]);
        Assert.Equal(0, stats.ByKind["case"].ByStatus["verified"]);
        Assert.Equal(3, stats.Dispatches);
        Assert.Equal(new DispatchAnswers(1, 1, 1, 0, 0), stats.DispatchAnswers);
        Assert.Equal((2, 2), (stats.WishesFulfilled, stats.MattersDone));
        Assert.Equal((140, 60, 87), (stats.PointsIssued, stats.PointsRedeemed, stats.PointsAwarded));
        Assert.Equal(0.4, stats.CompletionRate);
        Assert.Equal(0.75, stats.OnTimeRate);
        Assert.Equal(TimeSpan.FromMinutes((40 + 65 + 65 + 50 + 120) / 5.0), stats.AverageTimeToComplete);
        Assert.InRange(stats.AverageTimeToClaim!.Value, TimeSpan.FromSeconds(712), TimeSpan.FromSeconds(713));
        Assert.Equal(3.33, stats.AverageRating);
        Assert.Equal(3, stats.Ratings);
    }

    [Fact]
    public void Rates_and_averages_are_null_when_undefined()
    {
        var stats = PlaceStatistics.From("m", 1, StatisticsTotals.Empty);

        Assert.Null(stats.CompletionRate);
        Assert.Null(stats.OnTimeRate);
        Assert.Null(stats.AverageTimeToClaim);
        Assert.Null(stats.AverageTimeToComplete);
        Assert.Null(stats.AverageRating);
        Assert.Equal(0, stats.Ratings);
        Assert.Equal(0, stats.Requests.Total);
        Assert.All(stats.ByKind.Values, k => Assert.Equal(0, k.Total));
        Assert.Equal(new DispatchAnswers(0, 0, 0, 0, 0), stats.DispatchAnswers);
    }

    [Fact]
    public void Only_cancelled_requests_leave_the_completion_rate_undefined()
    {
        var cancelled = Of(Given.Wish()).Then(r => Assert.Null(r.Cancel(Staff, "Duplicate", Min(1))));

        var stats = PlaceStatistics.From("m", 1, TallyOf([cancelled.Last]).Totals());

        Assert.Null(stats.CompletionRate);
        Assert.Null(stats.OnTimeRate);
    }

    [Fact]
    public void Requests_none_verified_have_a_zero_completion_rate_and_no_on_time_rate()
    {
        var open = Of(Given.Wish());

        var stats = PlaceStatistics.From("m", 1, TallyOf([open.Last]).Totals());

        Assert.Equal(0.0, stats.CompletionRate);
        Assert.Null(stats.OnTimeRate);
    }

    [Fact]
    public void Rates_are_rounded_to_four_places()
    {
        var journeys = new[] { VerifiedWish(), Of(Given.Wish()), Of(Given.Wish()) };

        var stats = PlaceStatistics.From("m", 1, TallyOf(journeys.Select(j => j.Last)).Totals());

        Assert.Equal(0.3333, stats.CompletionRate);
        Assert.Equal(1.0, stats.OnTimeRate);
    }

    [Fact]
    public void Two_communities_totals_added_equal_one_tally_of_all_their_requests()
    {
        var hongqi = Mixed(Given.CommunityId);
        var xinhua = Mixed(Xinhua).Take(6).Concat([VerifiedWish(Xinhua, rating: 1)]).ToList();
        var hongqiTotals = TallyOf(hongqi.Select(j => j.Last)).Totals() with { RegisteredVolunteers = 10, Organisations = 1, PointsIssued = 100, PointsRedeemed = 30 };
        var xinhuaTotals = TallyOf(xinhua.Select(j => j.Last)).Totals() with { RegisteredVolunteers = 4, Organisations = 2, PointsIssued = 20, PointsRedeemed = 5 };

        var town = hongqiTotals.Add(xinhuaTotals);

        var together = TallyOf(hongqi.Concat(xinhua).Select(j => j.Last)).Totals() with { RegisteredVolunteers = 14, Organisations = 3, PointsIssued = 120, PointsRedeemed = 35 };
        AssertSame(together, town);
        AssertSame(town, xinhuaTotals.Add(hongqiTotals));
        AssertSame(town, StatisticsTotals.Empty.Add(hongqiTotals).Add(xinhuaTotals));

        // Rates of the sum, not the average of the rates.
        var stats = PlaceStatistics.From(Town, 2, town);
        Assert.Equal(2, stats.Communities);
        Assert.Equal(18, stats.Requests.Total);
        Assert.Equal(Math.Round(6.0 / 17, 4), stats.CompletionRate);
        Assert.Equal(Math.Round(5.0 / 6, 4), stats.OnTimeRate);
        Assert.Equal(Math.Round((5.0 + 2 + 3 + 5 + 1) / 5, 2), stats.AverageRating);
        Assert.Equal(5, stats.Ratings);
    }

    [Fact]
    public void Adding_the_empty_totals_changes_nothing()
    {
        var totals = TallyOf(Mixed().Select(j => j.Last)).Totals() with { RegisteredVolunteers = 3 };

        AssertSame(totals, totals.Add(StatisticsTotals.Empty));
        AssertSame(totals, StatisticsTotals.Empty.Add(totals));
    }

    [Fact]
    public void A_pending_offer_is_counted_as_pending()
    {
        var offered = Of(Given.Wish()).Then(r => Assert.Null(r.Dispatch(Staff, ["a"], auto: false, Min(1))));

        var stats = PlaceStatistics.From("m", 1, TallyOf([offered.Last]).Totals());

        Assert.Equal(new DispatchAnswers(0, 0, 0, 0, 1), stats.DispatchAnswers);
    }

    [Fact]
    public void A_withdrawn_offer_is_not_counted_as_pending_in_the_statistics()
    {
        // Offered, then the work started (another claimant) or the request was cancelled: no offer is
        // waiting any more, so none may show as pending.
        var started = Of(Given.Activity(2))
            .Then(r => Assert.Null(r.Dispatch(Staff, ["a"], auto: false, Min(1))))
            .Then(r => r.ApplyClaim("b", Min(2)))
            .Then(r => Assert.Null(r.Start(Given.Volunteer("b"), Min(3))));
        var cancelled = Of(Given.Wish())
            .Then(r => Assert.Null(r.Dispatch(Staff, ["a"], auto: false, Min(1))))
            .Then(r => Assert.Null(r.Cancel(Staff, "Duplicate", Min(2))));
        Assert.Null(started.Last.OfferTo);
        Assert.Null(cancelled.Last.OfferTo);

        var stats = PlaceStatistics.From("m", 1, TallyOf([started.Last, cancelled.Last]).Totals());

        Assert.Equal(2, stats.Dispatches);
        Assert.Equal(0, stats.DispatchAnswers.Pending);
    }

    [Fact]
    public void Averages_are_whole_seconds()
    {
        var journey = Of(Given.Wish())
            .Then(r => r.ApplyClaim("li.na", Given.Morning + TimeSpan.FromMilliseconds(90_400)))
            .Then(r => Assert.Null(r.Start(Given.Volunteer("li.na"), Min(2))))
            .Then(r => Assert.Null(r.Complete(Given.Volunteer("li.na"), null, Given.Morning + TimeSpan.FromMilliseconds(600_700))));

        var stats = PlaceStatistics.From("m", 1, TallyOf([journey.Last]).Totals());

        Assert.Equal(TimeSpan.FromSeconds(90), stats.AverageTimeToClaim);
        Assert.Equal(TimeSpan.FromSeconds(601), stats.AverageTimeToComplete);
    }
}
