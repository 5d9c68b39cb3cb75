using System.Collections.Immutable;
using Dispatch.Dispatching;
using Dispatch.Posts;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;

namespace Dispatch.UnitTests.Dispatching;

/// <summary>The ranking's use of declared service posts and their time slots (Given.Morning is Wednesday 09:00 China time).</summary>
public sealed class CandidatePostsRankingTests
{
    private static readonly DateTimeOffset Now = Given.Morning;
    private static readonly ImmutableArray<string> Legal = ["法律咨询"];

    private static VolunteerView Volunteer(string username, params string[] skills) =>
        new(username, $"User {username}", Given.CommunityId, [.. skills], [], 5, 0, Now.AddDays(-400), [], [], [], null);

    private static PostDeclaration Declared(string username, string post, DayOfWeek day, int fromHour, int toHour) =>
        new(Guid.NewGuid(), Given.CommunityId, Guid.NewGuid(), post, new(ProviderKind.Volunteer, username, $"User {username}"),
            "What they do", [new(day, new(fromHour, 0), new(toHour, 0))], [], username, Now.AddDays(-1));

    [Fact]
    public void A_declared_post_named_like_a_category_and_a_slot_covering_now_count_with_their_reasons()
    {
        var ranked = CandidateRanking.Rank(Legal, [Volunteer("plain"), Volunteer("lawyer")], Now,
            declarations: [Declared("lawyer", "法律咨询", DayOfWeek.Wednesday, 8, 12)]);

        Assert.Equal(["lawyer", "plain"], ranked.Select(c => c.Username));
        Assert.Equal(
            [(CandidateRanking.PostsFactor, 15d, "declares the post 法律咨询"), (CandidateRanking.TimeSlotsFactor, 10d, "a declared time slot covers now")],
            ranked[0].Reasons.Select(r => (r.Factor, r.Points, r.Detail)));
        Assert.Equal(25, ranked[0].Score);
    }

    [Fact]
    public void A_slot_before_the_deadline_counts_and_one_after_it_does_not()
    {
        VolunteerView[] volunteers = [Volunteer("friday"), Volunteer("monday")];
        PostDeclaration[] declared = [Declared("friday", "法律咨询", DayOfWeek.Friday, 14, 16), Declared("monday", "法律咨询", DayOfWeek.Monday, 14, 16)];

        var ranked = CandidateRanking.Rank(Legal, volunteers, Now, declarations: declared, until: Now.AddDays(3));
        var withoutDeadline = CandidateRanking.Rank(Legal, volunteers, Now, declarations: declared);

        Assert.Equal(["friday", "monday"], ranked.Select(c => c.Username));
        Assert.Contains(ranked[0].Reasons, r => r.Factor == CandidateRanking.TimeSlotsFactor && r.Detail == "a declared time slot falls before the deadline");
        Assert.DoesNotContain(ranked[1].Reasons, r => r.Factor == CandidateRanking.TimeSlotsFactor);
        Assert.All(withoutDeadline, c => Assert.DoesNotContain(c.Reasons, r => r.Factor == CandidateRanking.TimeSlotsFactor));
    }

    [Fact]
    public void A_skill_still_outweighs_a_declared_post_and_an_organisations_declaration_ranks_no_volunteer()
    {
        var organisation = Declared("lawyer", "法律咨询", DayOfWeek.Wednesday, 8, 12) with
        {
            Provider = new(ProviderKind.Organisation, "lawyer", "律师事务所"),
        };

        var ranked = CandidateRanking.Rank(Legal, [Volunteer("lawyer"), Volunteer("skilled", "法律咨询"), Volunteer("poster")], Now,
            declarations: [organisation, Declared("poster", "法律咨询", DayOfWeek.Sunday, 8, 12)]);

        Assert.Equal(["skilled", "poster", "lawyer"], ranked.Select(c => c.Username));
        Assert.Empty(ranked[2].Reasons);
        Assert.Equal([CandidateRanking.PostsFactor], ranked[1].Reasons.Select(r => r.Factor));
    }
}
