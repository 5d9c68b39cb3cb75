using System.Collections.Immutable;
using Dispatch.Dispatching;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;

namespace Dispatch.UnitTests.Dispatching;

public sealed class CandidateRankingTests
{
    private const int Limit = 5;

    private static readonly DateTimeOffset Now = Given.Morning;

    private static readonly ImmutableArray<string> GoodsAndRepair = ["goods", "repair"];

    private static readonly CandidateWeights Weights = CandidateWeights.Default;

    /// <summary>A volunteer of the test community with the given skills, claims and history entries (each some days ago).</summary>
    private static VolunteerView Volunteer(
        string username,
        string[]? skills = null,
        int activeClaims = 0,
        int claimLimit = Limit,
        params (VolunteerAction Action, double DaysAgo)[] history) =>
        new(
            username,
            $"User {username}",
            Given.CommunityId,
            [.. skills ?? []],
            [.. Enumerable.Range(0, activeClaims).Select(_ => Guid.NewGuid())],
            claimLimit,
            history.Count(h => h.Action == VolunteerAction.Completed),
            Now.AddDays(-400),
            [.. history.Select(h => new VolunteerHistoryEntry(Now.AddDays(-h.DaysAgo), h.Action, Guid.NewGuid()))],
            [],
            [],
            null);

    private static (VolunteerAction, double)[] Times(VolunteerAction action, int count, double daysAgo = 1) =>
        [.. Enumerable.Repeat((action, daysAgo), count)];

    private static string[] Order(ImmutableArray<Candidate> ranked) => [.. ranked.Select(c => c.Username)];

    private static ImmutableArray<Candidate> Rank(params VolunteerView[] volunteers) => CandidateRanking.Rank(GoodsAndRepair, volunteers, Now);

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        Assert.Equal((20d, -4d, 2d, 5, -6d), (Weights.PerMatchedSkill, Weights.PerActiveClaim, Weights.PerRecentCompletion, Weights.MaxRecentCompletions, Weights.PerRecentDecline));
        Assert.Equal(TimeSpan.FromDays(30), Weights.RecentWindow);
    }

    [Fact]
    public void A_volunteer_with_nothing_to_say_scores_zero_with_no_reasons()
    {
        var candidate = Assert.Single(Rank(Volunteer("plain")));

        Assert.Equal(0, candidate.Score);
        Assert.Empty(candidate.Reasons);
        Assert.True(candidate.Available);
        Assert.Equal(("plain", "User plain", Given.CommunityId, 0, Limit, 0, 0), (candidate.Username, candidate.DisplayName, candidate.CommunityId, candidate.ActiveClaims, candidate.ClaimLimit, candidate.RecentCompletions, candidate.RecentDeclines));
        Assert.Empty(candidate.MatchedSkills);
    }

    [Fact]
    public void Each_matching_skill_raises_the_score()
    {
        var ranked = Rank(Volunteer("none", ["tutoring"]), Volunteer("one", ["goods", "tutoring"]), Volunteer("two", ["repair", "goods"]));

        Assert.Equal(["two", "one", "none"], Order(ranked));
        var two = ranked[0];
        Assert.Equal(2 * Weights.PerMatchedSkill, two.Score);
        Assert.Equal<string>(["repair", "goods"], two.MatchedSkills);
        var reason = Assert.Single(two.Reasons);
        Assert.Equal(new ScoreReason("skills", 40, "matches repair, goods"), reason);
    }

    [Fact]
    public void Skills_match_categories_trimmed_and_whatever_the_case()
    {
        var candidate = Assert.Single(CandidateRanking.Rank([" Goods ", "REPAIR"], [Volunteer("li", ["goods  ", " Repair", "GOODS", " ", "tutoring"])], Now));

        Assert.Equal<string>(["goods", "Repair"], candidate.MatchedSkills);
        Assert.Equal(2 * Weights.PerMatchedSkill, candidate.Score);
    }

    [Fact]
    public void A_skill_matches_a_whole_category_only()
    {
        var candidate = Assert.Single(CandidateRanking.Rank(["car repair"], [Volunteer("li", ["repair", "car"])], Now));

        Assert.Empty(candidate.MatchedSkills);
        Assert.Equal(0, candidate.Score);
    }

    [Fact]
    public void With_no_categories_nobody_matches_and_the_other_factors_still_rank()
    {
        ImmutableArray<string>[] empties = [[], default, ["", "  "]];
        foreach (var categories in empties)
        {
            var ranked = CandidateRanking.Rank(categories, [Volunteer("busy", ["goods"], activeClaims: 2), Volunteer("idle", ["goods"])], Now);

            Assert.Equal(["idle", "busy"], Order(ranked));
            Assert.All(ranked, c => Assert.Empty(c.MatchedSkills));
            Assert.DoesNotContain(ranked.SelectMany(c => c.Reasons), r => r.Factor == "skills");
        }
    }

    [Fact]
    public void Each_active_claim_lowers_the_score()
    {
        var ranked = Rank(Volunteer("three", activeClaims: 3), Volunteer("zero"), Volunteer("one", activeClaims: 1));

        Assert.Equal(["zero", "one", "three"], Order(ranked));
        Assert.Equal(new ScoreReason("activeClaims", 3 * Weights.PerActiveClaim, "3 active claims"), Assert.Single(ranked[2].Reasons));
        Assert.Equal("1 active claim", Assert.Single(ranked[1].Reasons).Detail);
    }

    [Fact]
    public void A_matching_skill_outweighs_any_load_short_of_the_limit_with_the_defaults()
    {
        var ranked = Rank(Volunteer("idle-unskilled"), Volunteer("busy-skilled", ["goods"], activeClaims: Limit - 1));

        Assert.Equal(["busy-skilled", "idle-unskilled"], Order(ranked));
    }

    [Fact]
    public void Recent_completions_raise_the_score_up_to_the_cap()
    {
        var ranked = Rank(
            Volunteer("one", history: Times(VolunteerAction.Completed, 1)),
            Volunteer("eight", history: Times(VolunteerAction.Completed, 8)),
            Volunteer("none"),
            Volunteer("three", history: Times(VolunteerAction.Completed, 3)));

        Assert.Equal(["eight", "three", "one", "none"], Order(ranked));
        var eight = ranked[0];
        Assert.Equal(8, eight.RecentCompletions);
        Assert.Equal(
            new ScoreReason("recentCompletions", Weights.MaxRecentCompletions * Weights.PerRecentCompletion, "8 completions in the last 30 days (counted up to 5)"),
            Assert.Single(eight.Reasons));
        Assert.Equal("1 completion in the last 30 days", Assert.Single(ranked[2].Reasons).Detail);
    }

    [Fact]
    public void Completions_beyond_the_cap_earn_nothing_more_so_fewer_active_claims_decide()
    {
        var ranked = Rank(
            Volunteer("b-twelve", history: Times(VolunteerAction.Completed, 12)),
            Volunteer("a-five", history: Times(VolunteerAction.Completed, 5)));

        Assert.Equal(ranked[0].Score, ranked[1].Score);
        Assert.Equal(["a-five", "b-twelve"], Order(ranked));
    }

    [Fact]
    public void Recent_declines_and_lapses_lower_the_score()
    {
        var ranked = Rank(
            Volunteer("declined-and-lapsed", history: [(VolunteerAction.OfferDeclined, 2), (VolunteerAction.OfferLapsed, 3)]),
            Volunteer("clean"),
            Volunteer("declined", history: [(VolunteerAction.OfferDeclined, 1)]));

        Assert.Equal(["clean", "declined", "declined-and-lapsed"], Order(ranked));
        Assert.Equal(2, ranked[2].RecentDeclines);
        Assert.Equal(
            new ScoreReason("recentDeclines", 2 * Weights.PerRecentDecline, "1 offer declined and 1 offer lapsed in the last 30 days"),
            Assert.Single(ranked[2].Reasons));
        Assert.Equal("1 offer declined in the last 30 days", Assert.Single(ranked[1].Reasons).Detail);
    }

    [Fact]
    public void Offers_made_and_accepted_and_other_history_do_not_count()
    {
        var candidate = Assert.Single(Rank(Volunteer(
            "li",
            history: [(VolunteerAction.Registered, 1), (VolunteerAction.Offered, 1), (VolunteerAction.OfferAccepted, 1), (VolunteerAction.Claimed, 1), (VolunteerAction.Released, 1), (VolunteerAction.ClaimEnded, 1)])));

        Assert.Equal((0, 0, 0d), (candidate.RecentCompletions, candidate.RecentDeclines, candidate.Score));
        Assert.Empty(candidate.Reasons);
    }

    [Fact]
    public void Entries_outside_the_window_are_ignored()
    {
        var candidate = Assert.Single(Rank(Volunteer(
            "veteran",
            history: [(VolunteerAction.Completed, 31), (VolunteerAction.Completed, 400), (VolunteerAction.OfferDeclined, 30.5), (VolunteerAction.OfferLapsed, 45), (VolunteerAction.Completed, 30)])));

        Assert.Equal(1, candidate.RecentCompletions);
        Assert.Equal(0, candidate.RecentDeclines);
        Assert.Equal(Weights.PerRecentCompletion, candidate.Score);
    }

    [Fact]
    public void The_window_is_a_weight()
    {
        var volunteer = Volunteer("li", history: [(VolunteerAction.Completed, 5), (VolunteerAction.OfferDeclined, 10)]);

        var week = Assert.Single(CandidateRanking.Rank(GoodsAndRepair, [volunteer], Now, Weights with { RecentWindow = TimeSpan.FromDays(7) }));

        Assert.Equal((1, 0), (week.RecentCompletions, week.RecentDeclines));
        Assert.Equal("1 completion in the last 7 days", Assert.Single(week.Reasons).Detail);
    }

    [Fact]
    public void A_volunteer_at_the_claim_limit_is_unavailable_and_ranks_after_every_available_one()
    {
        var ranked = Rank(
            Volunteer("full-star", ["goods", "repair"], activeClaims: Limit, history: Times(VolunteerAction.Completed, 5)),
            Volunteer("reluctant", history: Times(VolunteerAction.OfferDeclined, 6)),
            Volunteer("over-limit", ["goods"], activeClaims: 3, claimLimit: 2));

        Assert.Equal(["reluctant", "full-star", "over-limit"], Order(ranked));
        Assert.True(ranked[0].Available);
        Assert.True(ranked[0].Score < ranked[1].Score);
        Assert.All(ranked.Skip(1), c => Assert.False(c.Available));
        Assert.Equal(new ScoreReason("availability", 0, "at the claim limit (5 of 5)"), ranked[1].Reasons[^1]);
        Assert.Equal("at the claim limit (3 of 2)", ranked[2].Reasons[^1].Detail);
    }

    [Fact]
    public void One_claim_below_the_limit_is_still_available()
    {
        var candidate = Assert.Single(Rank(Volunteer("li", activeClaims: Limit - 1)));

        Assert.True(candidate.Available);
        Assert.DoesNotContain(candidate.Reasons, r => r.Factor == "availability");
    }

    [Fact]
    public void The_score_is_the_sum_of_the_reasons_and_every_factor_is_explained()
    {
        var candidate = Assert.Single(Rank(Volunteer(
            "li", ["Goods"], activeClaims: 2,
            history: [.. Times(VolunteerAction.Completed, 3), (VolunteerAction.OfferLapsed, 4)])));

        Assert.Equal(["skills", "activeClaims", "recentCompletions", "recentDeclines"], candidate.Reasons.Select(r => r.Factor));
        Assert.Equal(candidate.Reasons.Sum(r => r.Points), candidate.Score);
        Assert.Equal(20 - 8 + 6 - 6, candidate.Score);
    }

    [Fact]
    public void Reasons_sum_to_the_score_for_every_candidate_of_a_mixed_crowd()
    {
        var random = new Random(5);
        VolunteerAction[] actions = [VolunteerAction.Completed, VolunteerAction.OfferDeclined, VolunteerAction.OfferLapsed, VolunteerAction.Offered, VolunteerAction.Claimed];
        string[] skills = ["goods", "repair", "tutoring", "first aid", "REPAIR"];
        var crowd = Enumerable.Range(0, 200).Select(i => Volunteer(
            $"vol-{i:D3}",
            [.. skills.Where(_ => random.Next(3) == 0)],
            activeClaims: random.Next(0, 7),
            history: [.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => (actions[random.Next(actions.Length)], random.NextDouble() * 60))])).ToArray();

        var ranked = Rank(crowd);

        Assert.Equal(200, ranked.Length);
        Assert.All(ranked, c => Assert.Equal(c.Reasons.Sum(r => r.Points), c.Score));
        Assert.All(ranked, c => Assert.Equal(c.ActiveClaims < c.ClaimLimit, c.Available));
        Assert.Equal(ranked.Count(c => c.Available), ranked.TakeWhile(c => c.Available).Count());
    }

    [Fact]
    public void Ties_go_to_fewer_active_claims_then_to_the_username_in_ordinal_order()
    {
        // Equal scores of 0: "a-heavy" loses 4 for its claim and gains 4 for two completions.
        var heavy = Volunteer("a-heavy", activeClaims: 1, history: Times(VolunteerAction.Completed, 2));
        var light = Volunteer("z-light");
        var upper = Volunteer("Z-light");

        var ranked = Rank(heavy, light, upper);

        Assert.All(ranked, c => Assert.Equal(0, c.Score));
        Assert.Equal(["Z-light", "z-light", "a-heavy"], Order(ranked));
    }

    [Fact]
    public void The_order_is_the_same_whatever_order_the_volunteers_come_in()
    {
        var random = new Random(11);
        var crowd = Enumerable.Range(0, 60).Select(i => Volunteer(
            $"vol-{i % 7}-{i}",
            i % 3 == 0 ? ["goods"] : [],
            activeClaims: i % 4,
            history: Times(VolunteerAction.Completed, i % 3))).ToArray();

        var expected = Order(Rank(crowd));
        for (var round = 0; round < 5; round++)
        {
            Assert.Equal(expected, Order(Rank([.. crowd.OrderBy(_ => random.Next())])));
        }
    }

    [Fact]
    public void A_volunteer_listed_twice_is_ranked_once()
    {
        var ranked = Rank(Volunteer("li", ["goods"]), Volunteer("wang"), Volunteer("li"));

        Assert.Equal(["li", "wang"], Order(ranked));
        Assert.Equal(Weights.PerMatchedSkill, ranked[0].Score);
    }

    [Fact]
    public void Custom_weights_change_the_order()
    {
        var skilled = Volunteer("skilled", ["goods"], activeClaims: 2);
        var idle = Volunteer("idle");

        Assert.Equal(["skilled", "idle"], Order(Rank(skilled, idle)));
        var loadFirst = Weights with { PerActiveClaim = -15 };
        Assert.Equal(["idle", "skilled"], Order(CandidateRanking.Rank(GoodsAndRepair, [skilled, idle], Now, loadFirst)));
    }

    [Fact]
    public void A_factor_weighted_zero_gives_no_reason()
    {
        var weights = Weights with { PerActiveClaim = 0 };

        var candidate = Assert.Single(CandidateRanking.Rank(GoodsAndRepair, [Volunteer("li", activeClaims: 2)], Now, weights));

        Assert.Empty(candidate.Reasons);
        Assert.Equal(2, candidate.ActiveClaims);
    }

    [Fact]
    public void No_volunteers_give_no_candidates()
    {
        Assert.Empty(CandidateRanking.Rank(GoodsAndRepair, [], Now));
        Assert.Throws<ArgumentNullException>(() => CandidateRanking.Rank(GoodsAndRepair, null!, Now));
    }
}
