using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Posts;

namespace Dispatch.UnitTests.Posts;

/// <summary>A community's resource list: posts unique on the list, declarations checked against it, set per provider as a whole.</summary>
public sealed class ServicePostsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);
    private static readonly PostProvider Wang = new(ProviderKind.Volunteer, "wang.fang", "王芳");
    private static readonly PostProvider Clinic = new(ProviderKind.Organisation, "clinic", "社区卫生服务站");
    private static readonly WeeklySlot SaturdayMorning = new(DayOfWeek.Saturday, new TimeOnly(9, 0), new TimeOnly(11, 30));

    [Fact]
    public void A_post_name_is_unique_on_the_list_whatever_its_case_and_spaces()
    {
        var posts = ServicePosts.For("m1");

        var added = posts.AddPost(Guid.NewGuid(), "  Legal advice ", "Questions about contracts", "staff-m1", Now).Value!;
        var again = posts.AddPost(Guid.NewGuid(), "legal ADVICE", "", "staff-m1", Now);
        var empty = posts.AddPost(Guid.NewGuid(), "   ", "", "staff-m1", Now);

        Assert.Equal(("Legal advice", "Questions about contracts"), (added.Name, added.Description));
        Assert.Equal(("postExists", "name"), (again.Failure!.Code, again.Failure.Field));
        Assert.Equal("name", empty.Failure!.Field);
        Assert.Single(posts.Posts);
    }

    [Fact]
    public void A_declaration_names_a_post_on_the_list_says_what_and_gives_a_slot()
    {
        var posts = ServicePosts.For("m1");
        var legal = posts.AddPost(Guid.NewGuid(), "法律咨询", "", "staff-m1", Now).Value!;

        var unknownPost = posts.Declare(Wang, [Draft(Guid.NewGuid())], "wang.fang", Now, Guid.NewGuid);
        var noSlots = posts.Declare(Wang, [Draft(legal.Id) with { Slots = [] }], "wang.fang", Now, Guid.NewGuid);
        var backwards = posts.Declare(Wang, [Draft(legal.Id) with { Slots = [SaturdayMorning, new(DayOfWeek.Monday, new(18, 0), new(17, 0))] }], "wang.fang", Now, Guid.NewGuid);
        var badDates = posts.Declare(Wang, [Draft(legal.Id) with { Dates = [new(new(2026, 12, 31), new(2026, 12, 1))] }], "wang.fang", Now, Guid.NewGuid);
        var twice = posts.Declare(Wang, [Draft(legal.Id), Draft(legal.Id)], "wang.fang", Now, Guid.NewGuid);
        var noWhat = posts.Declare(Wang, [Draft(legal.Id) with { Description = " " }], "wang.fang", Now, Guid.NewGuid);

        Assert.Equal(
            ["declarations[0].postId", "declarations[0].slots", "declarations[0].slots[1]", "declarations[0].dates[0]", "declarations[1].postId", "declarations[0].description"],
            new[] { unknownPost, noSlots, backwards, badDates, twice, noWhat }.Select(o => o.Failure!.Field));
        Assert.Empty(posts.Declarations);
    }

    [Fact]
    public void A_providers_declarations_are_set_as_a_whole_and_a_kept_one_keeps_its_id()
    {
        var posts = ServicePosts.For("m1");
        var legal = posts.AddPost(Guid.NewGuid(), "法律咨询", "", "staff-m1", Now).Value!;
        var repair = posts.AddPost(Guid.NewGuid(), "家电维修", "", "staff-m1", Now).Value!;

        var first = posts.Declare(Wang, [Draft(legal.Id), Draft(repair.Id)], "wang.fang", Now, Guid.NewGuid).Value!.Declarations;
        posts.Declare(Clinic, [Draft(legal.Id)], "staff-m1", Now, Guid.NewGuid);
        var second = posts.Declare(Wang, [Draft(legal.Id) with { Description = "Tenancy questions" }], "wang.fang", Now.AddHours(1), Guid.NewGuid).Value!.Declarations;

        Assert.Equal(first.Single(d => d.PostId == legal.Id).Id, second.Single().Id);
        Assert.Equal("Tenancy questions", second.Single().Description);
        Assert.Equal([("wang.fang", "法律咨询"), ("clinic", "法律咨询")],
            posts.Declarations.Select(d => (d.Provider.Id, d.PostName)).OrderByDescending(p => p.Item1));
        Assert.Single(posts.Of(Clinic).Declarations);
    }

    [Fact]
    public void A_declared_post_stays_on_the_list_until_nobody_declares_it()
    {
        var posts = ServicePosts.For("m1");
        var legal = posts.AddPost(Guid.NewGuid(), "法律咨询", "", "staff-m1", Now).Value!;
        posts.Declare(Wang, [Draft(legal.Id)], "wang.fang", Now, Guid.NewGuid);

        var refused = posts.RemovePost(legal.Id);
        posts.Declare(Wang, [], "wang.fang", Now, Guid.NewGuid);
        var removed = posts.RemovePost(legal.Id);

        Assert.Equal("postDeclared", refused.Failure!.Code);
        Assert.Equal(legal, removed.Value);
        Assert.Empty(posts.Posts);
        Assert.Equal("notFound", posts.RemovePost(legal.Id).Failure!.Code);
    }

    private static DeclarationDraft Draft(Guid postId) =>
        new(postId, "Free advice on neighbour disputes", [SaturdayMorning], ImmutableArray<DayRange>.Empty);
}

/// <summary>When a declared service is on offer: weekly slots in China time, within date ranges.</summary>
public sealed class ServiceAvailabilityTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    // Saturday 12 December 2026, 09:00-11:30 and Wednesday 19:00-21:00, China time.
    private static readonly PostDeclaration Declared = new(
        Guid.NewGuid(), "m1", Guid.NewGuid(), "法律咨询", new(ProviderKind.Volunteer, "wang.fang", "王芳"), "Advice",
        [new(DayOfWeek.Saturday, new(9, 0), new(11, 30)), new(DayOfWeek.Wednesday, new(19, 0), new(21, 0))],
        [], "wang.fang", DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData("2026-12-12T09:00:00+08:00", true)]
    [InlineData("2026-12-12T11:29:59+08:00", true)]
    [InlineData("2026-12-12T11:30:00+08:00", false)]
    [InlineData("2026-12-12T08:59:00+08:00", false)]
    [InlineData("2026-12-12T01:15:00+00:00", true)]
    [InlineData("2026-12-09T20:00:00+08:00", true)]
    [InlineData("2026-12-10T20:00:00+08:00", false)]
    public void A_slot_covers_its_start_up_to_its_end_in_china_time(string at, bool available) =>
        Assert.Equal(available, ServiceAvailability.IsAvailableAt(Declared, DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Date_ranges_limit_the_days_a_declaration_holds()
    {
        var december = Declared with { Dates = [new(new(2026, 12, 1), new(2026, 12, 10))] };

        Assert.True(ServiceAvailability.IsAvailableAt(december, new(2026, 12, 9, 20, 0, 0, China)));
        Assert.False(ServiceAvailability.IsAvailableAt(december, new(2026, 12, 12, 10, 0, 0, China)));
    }

    [Fact]
    public void A_window_is_covered_when_a_slot_overlaps_it()
    {
        var thursdayMorning = new DateTimeOffset(2026, 12, 10, 8, 0, 0, China);

        Assert.True(ServiceAvailability.IsAvailableBetween(Declared, thursdayMorning, thursdayMorning.AddDays(2).AddHours(1.5)));
        Assert.False(ServiceAvailability.IsAvailableBetween(Declared, thursdayMorning, thursdayMorning.AddDays(2).AddHours(1)));
        Assert.False(ServiceAvailability.IsAvailableBetween(Declared with { Dates = [new(new(2026, 11, 1), new(2026, 11, 30))] }, thursdayMorning, thursdayMorning.AddDays(14)));
    }
}
