using Dispatch.Common;
using Dispatch.Posts;

namespace Dispatch.UnitTests.Posts;

/// <summary>The menu of a community's declared services, and which of them may be ordered.</summary>
public sealed class ServiceMenuTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);

    private static PostDeclaration Declaration(string post, ProviderKind kind, string provider, string name) =>
        new(Guid.NewGuid(), "m1", Guid.NewGuid(), post, new PostProvider(kind, provider, name), "说明", [], [], "staff", At);

    private static CommunityPostsView Posts(params PostDeclaration[] declarations) => new("m1", [], [.. declarations]);

    [Fact]
    public void The_menu_lists_every_declared_service_by_post_then_provider()
    {
        var posts = Posts(
            Declaration("理发", ProviderKind.Volunteer, "wang", "王伟"),
            Declaration("法律咨询", ProviderKind.Organisation, "law", "县律师事务所"),
            Declaration("理发", ProviderKind.Volunteer, "li", "李娜"));

        Assert.Equal(
            [("法律咨询", "县律师事务所"), ("理发", "李娜"), ("理发", "王伟")],
            ServiceMenu.Items(posts).Select(d => (d.PostName, d.Provider.Name)));
    }

    [Fact]
    public void A_volunteers_service_may_be_ordered_an_organisations_or_a_withdrawn_one_not()
    {
        var barber = Declaration("理发", ProviderKind.Volunteer, "wang", "王伟");
        var firm = Declaration("法律咨询", ProviderKind.Organisation, "law", "县律师事务所");
        var posts = Posts(barber, firm);

        Assert.Equal(barber, ServiceMenu.Orderable(posts, barber.Id).Value);
        Assert.Equal(ServiceMenu.NotOfferableReason, ServiceMenu.Orderable(posts, firm.Id).Failure?.Code);
        Assert.Equal(FailureKind.NotFound, ServiceMenu.Orderable(posts, Guid.NewGuid()).Failure?.Kind);
    }

    [Fact]
    public void An_offer_refused_for_a_volunteer_outside_the_candidates_is_a_conflict_and_other_refusals_stand()
    {
        var barber = Declaration("理发", ProviderKind.Volunteer, "wang", "王伟");
        var busy = Failure.Conflict("unavailable", "at the limit");

        Assert.Equal(ServiceMenu.NotACandidateReason, ServiceMenu.OfferRefusal(Failure.Invalid("volunteer", "not registered"), barber).Code);
        Assert.Null(ServiceMenu.OfferRefusal(Failure.Invalid("volunteer", "not registered"), barber).Field);
        Assert.Same(busy, ServiceMenu.OfferRefusal(busy, barber));
    }
}
