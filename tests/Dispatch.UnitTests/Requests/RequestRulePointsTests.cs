using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.Schemes;
using Dispatch.UnitTests.Support;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Requests;

/// <summary>
/// A request's earnings name the <c>request.{kind}.{urgency}</c> rule its award was set by and
/// count against its cap; a high rating earns the <c>rating.high</c> bonus once per request.
/// </summary>
public sealed class RequestRulePointsTests
{
    private static readonly PostingRule WishNormal = new(PointsRuleNames.Request(RequestKind.Wish, Urgency.Normal), "c", 2, Cap: 25, CapPeriod.Month);
    private static readonly PostingRule WishUrgent = new(PointsRuleNames.Request(RequestKind.Wish, Urgency.Urgent), "c", 2, Cap: null, CapPeriod.Month);
    private static readonly RatingBonus HighRating = new(new PostingRule(PointsRuleNames.HighRating, "c", 2, Cap: null, CapPeriod.Month), 5);

    private static ServiceRequest Completed(int award, PostingRule? rule, string volunteer = "li.na")
    {
        var request = ServiceRequest.Create(Guid.NewGuid(), Given.Wish(), Given.GridWorker, Given.Morning, award: award, awardRule: rule);
        request.ApplyClaim(volunteer, Min(1));
        Assert.Null(request.Start(Given.Volunteer(volunteer), Min(2)));
        Assert.Null(request.Complete(Given.Volunteer(volunteer), "Delivered", Min(30)));
        return request;
    }

    /// <summary>Posts what the request owes to <paramref name="ledger"/> in order, as the follow-up does, and forgets it.</summary>
    private static List<Common.Outcome<LedgerEntry>> Deliver(ServiceRequest request, PointsLedger ledger, DateTimeOffset at)
    {
        var outcomes = request.PendingPostings.Select(p => ledger.Post(p.Posting, at)).ToList();
        request.MarkPosted(request.PendingPostings.Select(p => p.Posting.Key));
        return outcomes;
    }

    [Fact]
    public void A_request_created_under_a_rule_remembers_it_and_its_earnings_name_it_as_of_the_verification()
    {
        var request = Completed(award: 15, WishNormal);

        Assert.Null(request.Verify(Staff, approved: true, rating: 4, null, Min(40)));

        Assert.Equal(WishNormal, request.AwardRule);
        var earning = Assert.Single(request.PendingPostings).Posting;
        Assert.Equal((15, WishNormal, (DateTimeOffset?)Min(40)), (earning.Amount, earning.Under, earning.EarnedAt));
        var entry = new PointsLedger("li.na").Post(earning, Min(41)).Value!;
        Assert.Equal((WishNormal.Rule, (int?)2, "c", 15), (entry.Rule, entry.SchemeVersion, entry.SchemePlaceId, entry.Change));
    }

    [Fact]
    public void A_request_without_a_rule_posts_as_before()
    {
        var request = Completed(award: 15, rule: null);

        Assert.Null(request.Verify(Staff, approved: true, rating: 5, null, Min(40), HighRating));

        Assert.Null(request.AwardRule);
        var earning = request.PendingPostings[0].Posting;
        Assert.Equal((15, (PostingRule?)null, (DateTimeOffset?)null, (string?)null), (earning.Amount, earning.Under, earning.EarnedAt, earning.Reverses));
    }

    [Fact]
    public void A_rule_is_remembered_only_with_the_award_it_set_and_a_new_urgency_brings_its_own()
    {
        var request = ServiceRequest.Create(Guid.NewGuid(), Given.Wish(), Given.GridWorker, Given.Morning, award: null, awardRule: WishNormal);
        Assert.Null(request.AwardRule);

        request = ServiceRequest.Create(Guid.NewGuid(), Given.Wish(), Given.GridWorker, Given.Morning, award: 15, awardRule: WishNormal);
        Assert.Null(request.Edit(Staff, new RequestEdit(null, null, null, Urgency.Urgent), Min(1), award: 30, awardRule: WishUrgent));
        Assert.Equal((30, WishUrgent), (request.Award, request.AwardRule));

        Assert.Null(request.Edit(Staff, new RequestEdit(null, null, null, Urgency.Critical), Min(2), award: 36, awardRule: null));
        Assert.Equal((36, (PostingRule?)null), (request.Award, request.AwardRule));

        Assert.Null(request.Edit(Staff, new RequestEdit("Another title", null, null, null), Min(3)));
        Assert.Equal((36, (PostingRule?)null), (request.Award, request.AwardRule));
    }

    [Fact]
    public void An_earning_beyond_the_rules_cap_is_cut_and_its_overturn_takes_back_only_what_was_credited()
    {
        var ledger = new PointsLedger("li.na");
        Assert.NotNull(ledger.Post(new PointsPosting("earlier", Given.CommunityId, 20, PostingKind.Earning, "earlier", "wish", "s", Under: WishNormal, EarnedAt: Min(0)), Min(0)).Value);
        var request = Completed(award: 15, WishNormal);
        Assert.Null(request.Verify(Staff, approved: true, rating: null, null, Min(40)));

        var earned = Assert.Single(Deliver(request, ledger, Min(41))).Value!;
        Assert.Null(request.Verify(Staff, approved: false, rating: null, "Not done after all", Min(50)));
        var reversed = Assert.Single(Deliver(request, ledger, Min(51))).Value!;

        Assert.Equal((5, (int?)15), (earned.Change, earned.Asked));
        Assert.Contains("cap of 25", earned.Reason, StringComparison.Ordinal);
        Assert.Equal((-5, (int?)null, WishNormal.Rule, (DateTimeOffset?)Min(40)), (reversed.Change, reversed.Asked, reversed.Rule, reversed.EarnedAt));
        Assert.Contains("only 5 were credited", reversed.Reason, StringComparison.Ordinal);
        Assert.Equal(20, ledger.Balance);
        Assert.Equal(20, ledger.EarnedUnder(WishNormal.Rule, CapPeriod.Month, Min(60)));
    }

    [Fact]
    public void An_earning_the_cap_refused_reverses_nothing_and_a_verification_again_earns_what_the_cap_has_left()
    {
        var ledger = new PointsLedger("li.na");
        ledger.Post(new PointsPosting("earlier", Given.CommunityId, 25, PostingKind.Earning, "earlier", "wish", "s", Under: WishNormal, EarnedAt: Min(0)), Min(0));
        var request = Completed(award: 15, WishNormal);
        Assert.Null(request.Verify(Staff, approved: true, rating: null, null, Min(40)));

        Assert.Equal("pointsCapReached", Assert.Single(Deliver(request, ledger, Min(41))).Failure?.Code);
        Assert.Null(request.Verify(Staff, approved: false, rating: null, "Not done after all", Min(50)));
        Assert.Equal("nothingToReverse", Assert.Single(Deliver(request, ledger, Min(51))).Failure?.Code);

        Assert.Equal((25, 1), (ledger.Balance, ledger.Count));
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(4, false)]
    [InlineData(null, false)]
    public void A_verification_rated_five_stars_owes_each_claimant_the_bonus_under_its_rule(int? rating, bool earns)
    {
        var request = Completed(award: 15, WishNormal);

        Assert.Null(request.Verify(Staff, approved: true, rating, null, Min(40), HighRating));

        var bonus = request.PendingPostings.Where(p => p.Posting.Under?.Rule == PointsRuleNames.HighRating).ToList();
        Assert.Equal(earns ? 1 : 0, bonus.Count);
        if (earns)
        {
            var posting = bonus[0].Posting;
            Assert.Equal(($"rating:{request.Id}:li.na", 5, PostingKind.Earning, (DateTimeOffset?)Min(40)), (posting.Key, posting.Amount, posting.Kind, posting.EarnedAt));
            Assert.Equal(PointsRuleNames.Request(RequestKind.Wish, Urgency.Normal), request.PendingPostings[0].Posting.Under?.Rule);
        }
    }

    [Fact]
    public void The_bonus_is_posted_once_per_request_and_a_later_lower_rating_does_not_take_it_back()
    {
        var ledger = new PointsLedger("li.na");
        var request = Completed(award: 10, rule: null);

        Assert.Null(request.Verify(Staff, approved: true, rating: 5, null, Min(40), HighRating));
        Deliver(request, ledger, Min(41));
        Assert.Null(request.Verify(Staff, approved: true, rating: 5, null, Min(42), HighRating));
        Assert.Empty(request.PendingPostings);

        Assert.Null(request.Verify(Staff, approved: false, rating: null, "Not done after all", Min(50)));
        Assert.DoesNotContain(request.PendingPostings, p => p.Posting.Key.StartsWith("rating:", StringComparison.Ordinal));
        Deliver(request, ledger, Min(51));
        Assert.Null(request.Complete(Given.Volunteer("li.na"), "Done now", Min(60)));
        Assert.Null(request.Verify(Staff, approved: true, rating: 5, null, Min(70), HighRating));
        Deliver(request, ledger, Min(71));
        Assert.Null(request.Verify(Staff, approved: false, rating: null, "Again not done", Min(80)));
        Assert.Null(request.Complete(Given.Volunteer("li.na"), "Done at last", Min(90)));
        Assert.Null(request.Verify(Staff, approved: true, rating: 2, null, Min(100), HighRating));
        Deliver(request, ledger, Min(101));

        Assert.Single(ledger.Entries, e => e.Rule == PointsRuleNames.HighRating);
        Assert.Equal(5 + 10, ledger.Balance);
    }
}
