using Dispatch.Requests;
using Dispatch.Statistics;
using static Dispatch.UnitTests.Statistics.Journeys;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Statistics;

/// <summary>The residents' satisfaction (群众满意度): their ratings counted apart from staff's verification rating.</summary>
public sealed class ResidentSatisfactionTests
{
    private static Journey RatedByResident(ResidentRating rating, string volunteer = "li.na") =>
        VerifiedWish(rating: 5, volunteer: volunteer)
            .Then(r => Assert.Null(r.ConfirmByResident(done: true, Min(95))))
            .Then(r => Assert.Null(r.RateByResident(rating, "谢谢", Min(96))));

    [Fact]
    public void Each_rating_is_counted_once_however_often_and_in_whatever_order_its_summaries_arrive()
    {
        var journeys = new[]
        {
            RatedByResident(ResidentRating.Satisfied, "a"),
            RatedByResident(ResidentRating.Satisfied, "b"),
            RatedByResident(ResidentRating.BasicallySatisfied, "c"),
            RatedByResident(ResidentRating.Unsatisfied, "d"),
            VerifiedWish(rating: 4, volunteer: "e"),
        };
        var everyVersionTwiceNewestFirst = journeys
            .SelectMany(j => j.Summaries.Reverse().Concat(j.Summaries))
            .ToList();

        var totals = TallyOf(everyVersionTwiceNewestFirst).Totals();

        Assert.Equal((2, 1, 1, 4), (totals.Satisfied, totals.BasicallySatisfied, totals.Unsatisfied, totals.ResidentRated));
        var stats = PlaceStatistics.From("m", 1, totals);
        Assert.Equal((2, 1, 1), (stats.Satisfied, stats.BasicallySatisfied, stats.Unsatisfied));
        Assert.Equal(0.75, stats.ResidentSatisfaction);

        // Staff's verification rating is a figure of its own: the unsatisfied resident's request,
        // reopened, lost its verification; the four still verified were rated 5, 5, 5 and 4.
        Assert.Equal((4, 19), (stats.Ratings, totals.RatingSum));
    }

    [Fact]
    public void An_unsatisfied_rating_reopens_the_request_and_still_counts_once_after_staff_verify_it_again()
    {
        var journey = RatedByResident(ResidentRating.Unsatisfied);
        var tally = new RequestTally();

        tally.Apply(journey.Last);
        var reopened = tally.Totals();
        journey.Then(r => Assert.Null(r.Verify(Staff, approved: true, rating: 3, null, Min(120))));
        tally.Apply(journey.Last);
        var verifiedAgain = tally.Totals();

        Assert.Equal((1, 1), (reopened.Count(RequestStatus.Completed), reopened.Unsatisfied));
        Assert.Equal((1, 1, 0, 0), (verifiedAgain.Count(RequestStatus.Verified), verifiedAgain.Unsatisfied, verifiedAgain.Satisfied, verifiedAgain.BasicallySatisfied));
        Assert.Equal(0.0, PlaceStatistics.From("m", 1, verifiedAgain).ResidentSatisfaction);
    }

    [Fact]
    public void A_rating_given_after_a_request_was_counted_moves_it_from_unrated_to_rated()
    {
        var journey = VerifiedWish();
        var tally = new RequestTally();
        tally.Apply(journey.Last);
        var before = tally.Totals();

        journey
            .Then(r => Assert.Null(r.ConfirmByResident(done: true, Min(95))))
            .Then(r => Assert.Null(r.RateByResident(ResidentRating.BasicallySatisfied, null, Min(96))));
        tally.Apply(journey.Last);
        var after = tally.Totals();

        Assert.Equal(0, before.ResidentRated);
        Assert.Null(PlaceStatistics.From("m", 1, before).ResidentSatisfaction);
        Assert.Equal((0, 1, 0), (after.Satisfied, after.BasicallySatisfied, after.Unsatisfied));
        Assert.Equal(1.0, PlaceStatistics.From("m", 1, after).ResidentSatisfaction);
    }

    [Fact]
    public void Retired_ratings_stay_in_the_totals_and_leave_them_when_the_request_comes_back()
    {
        var satisfied = RatedByResident(ResidentRating.Satisfied, "a");
        var basically = RatedByResident(ResidentRating.BasicallySatisfied, "b");
        var tally = TallyOf([satisfied.Last, basically.Last]);
        var held = tally.Totals();

        Assert.Equal(2, tally.Retire(Min(1000)));
        AssertSame(held, tally.Totals());
        Assert.Equal((1, 1), (tally.Retired.Totals.Satisfied, tally.Retired.Totals.BasicallySatisfied));

        var finished = satisfied.Last;
        satisfied.Then(r => Assert.Null(r.Verify(Staff, approved: false, rating: null, "overturned", Min(1100))));
        Assert.True(tally.Reopen(finished, satisfied.Last));

        // The request is held again with its rating: counted once, not twice, and not lost.
        var totals = tally.Totals();
        Assert.Equal((1, 1, 0), (totals.Satisfied, totals.BasicallySatisfied, totals.Unsatisfied));
        Assert.Equal((0, 1), (tally.Retired.Totals.Satisfied, tally.Retired.Totals.BasicallySatisfied));
    }

    [Fact]
    public void Totals_add_and_negate_the_resident_ratings()
    {
        var totals = StatisticsTotals.Empty with { Satisfied = 3, BasicallySatisfied = 2, Unsatisfied = 1 };

        AssertSame(StatisticsTotals.Empty, totals.Add(totals.Negate()));
        var doubled = totals.Add(totals);
        Assert.Equal((6, 4, 2, 12), (doubled.Satisfied, doubled.BasicallySatisfied, doubled.Unsatisfied, doubled.ResidentRated));
        Assert.Equal(0.8333, PlaceStatistics.From("m", 1, doubled).ResidentSatisfaction);
    }
}
