using System.Net;
using System.Net.Http.Json;
using Dispatch.IntegrationTests.Support;
using Dispatch.Organisations;
using Dispatch.Posts;

namespace Dispatch.IntegrationTests.Api;

/// <summary>The resource list through the API: staff keep a community's posts, volunteers declare their own, staff declare for an organisation.</summary>
public sealed class PostsApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    private static object Saturday => new { day = "saturday", from = "09:00", to = "11:30" };

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();

    private static Task<ServicePost> AddPost(DispatchClient staff, string community, string name) =>
        staff.PostOk<ServicePost>($"/api/places/{community}/posts", new { name, description = "Kept ready by the community" }, HttpStatusCode.Created);

    private static async Task<T> Put<T>(DispatchClient client, string path, object body)
    {
        var response = await client.Put(path, body);
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<T>(DispatchClient.Json))!;
    }

    [Fact]
    public async Task Staff_in_scope_keep_a_communitys_list_and_its_volunteers_read_it()
    {
        using var staff = await World.As("staff-t1");
        using var otherStaff = await World.As("staff-m3");
        using var volunteer = await World.As("vol-m1-1");
        using var outsider = await World.As("vol-m2-1");

        var post = await AddPost(staff, "m1", "  法律咨询 ");
        var again = await DispatchClient.Problem(await staff.Post("/api/places/m1/posts", new { name = "法律咨询" }), HttpStatusCode.Conflict);
        var noName = await DispatchClient.Problem(await staff.Post("/api/places/m1/posts", new { name = " " }), HttpStatusCode.BadRequest);

        Assert.Equal(("法律咨询", "staff-t1"), (post.Name, post.CreatedBy));
        Assert.Equal("postExists", again["reason"]?.GetValue<string>());
        Assert.NotNull(again["errors"]?["name"]);
        Assert.NotNull(noName["errors"]?["name"]);
        Assert.Equal("outOfScope", await Reason(otherStaff.Post("/api/places/m1/posts", new { name = "理发" }), HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.Forbidden, (await volunteer.Post("/api/places/m1/posts", new { name = "理发" })).StatusCode);
        Assert.Equal("notFound", await Reason(staff.Post("/api/places/t1/posts", new { name = "理发" }), HttpStatusCode.NotFound));

        var list = await volunteer.GetOk<CommunityPostsView>("/api/places/m1/posts");
        Assert.Contains(list.Posts, p => p.Id == post.Id);
        Assert.Equal("outOfScope", await Reason(outsider.Get("/api/places/m1/posts"), HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_volunteer_declares_posts_with_time_slots_and_a_bad_slot_is_named_and_changes_nothing()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As("vol-m1-2");
        using var neighbour = await World.As("vol-m1-1");
        var post = await AddPost(staff, "m1", "家电维修");

        var bad = await DispatchClient.Problem(await volunteer.Put("/api/volunteers/vol-m1-2/posts", new
        {
            declarations = new object[]
            {
                new { postId = post.Id, description = "Fix rice cookers", slots = new object[] { new { day = "someday", from = "9", to = "11:30" } } },
                new { postId = Guid.NewGuid(), description = "", slots = Array.Empty<object>() },
            },
        }), HttpStatusCode.BadRequest);
        Assert.Equal(
            ["declarations[0].slots[0].day", "declarations[0].slots[0].from", "declarations[1].description", "declarations[1].slots"],
            bad["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        var notOnList = await DispatchClient.Problem(await volunteer.Put("/api/volunteers/vol-m1-2/posts", new
        {
            declarations = new[] { new { postId = Guid.NewGuid(), description = "Fix rice cookers", slots = new[] { Saturday } } },
        }), HttpStatusCode.BadRequest);
        Assert.NotNull(notOnList["errors"]?["declarations[0].postId"]);
        Assert.Empty((await volunteer.GetOk<ProviderPostsView>("/api/volunteers/vol-m1-2/posts")).Declarations);

        var declared = await Put<ProviderPostsView>(volunteer, "/api/volunteers/vol-m1-2/posts", new
        {
            declarations = new[]
            {
                new
                {
                    postId = post.Id, description = "Fix rice cookers", slots = new[] { Saturday },
                    dates = new[] { new { from = "2026-12-01", to = "2026-12-31" } },
                },
            },
        });

        var entry = Assert.Single(declared.Declarations);
        Assert.Equal((ProviderKind.Volunteer, "vol-m1-2", "家电维修", "m1"), (entry.Provider.Kind, entry.Provider.Id, entry.PostName, entry.CommunityId));
        Assert.Equal(new WeeklySlot(DayOfWeek.Saturday, new(9, 0), new(11, 30)), Assert.Single(entry.Slots));
        Assert.Equal(new DayRange(new(2026, 12, 1), new(2026, 12, 31)), Assert.Single(entry.Dates));
        Assert.Contains((await staff.GetOk<CommunityPostsView>("/api/places/m1/posts")).Declarations, d => d.Id == entry.Id);
        Assert.Equal("outOfScope", await Reason(neighbour.Put("/api/volunteers/vol-m1-2/posts", new { declarations = Array.Empty<object>() }), HttpStatusCode.Forbidden));
        Assert.Equal("postDeclared", await Reason(staff.Http.DeleteAsync(new Uri($"/api/places/m1/posts/{post.Id}", UriKind.Relative)), HttpStatusCode.Conflict));

        await Put<ProviderPostsView>(volunteer, "/api/volunteers/vol-m1-2/posts", new { declarations = Array.Empty<object>() });
        var removed = await staff.Http.DeleteAsync(new Uri($"/api/places/m1/posts/{post.Id}", UriKind.Relative));
        await DispatchClient.Expect(removed, HttpStatusCode.OK);
        Assert.DoesNotContain((await staff.GetOk<CommunityPostsView>("/api/places/m1/posts")).Posts, p => p.Id == post.Id);
    }

    [Fact]
    public async Task Staff_declare_for_an_organisation_in_a_community_it_reports_to()
    {
        using var staff = await World.As("staff-t1");
        using var otherStaff = await World.As("staff-m3");
        using var volunteer = await World.As("vol-m2-1");
        var post = await AddPost(staff, "m2", "义诊");
        await staff.PostOk<OrganisationView>("/api/organisations", new { id = "posts-clinic", name = "社区卫生服务站", communityIds = new[] { "m2" } }, HttpStatusCode.Created);
        var body = new { communityId = "m2", declarations = new[] { new { postId = post.Id, description = "Blood pressure checks", slots = new[] { Saturday } } } };

        var declared = await Put<ProviderPostsView>(staff, "/api/organisations/posts-clinic/posts", body);

        Assert.Equal((ProviderKind.Organisation, "posts-clinic", "社区卫生服务站"), (declared.Provider.Kind, declared.Provider.Id, declared.Provider.Name));
        Assert.Single(declared.Declarations);
        var notItsCommunity = await DispatchClient.Problem(await staff.Put("/api/organisations/posts-clinic/posts", body with { communityId = "m1" }), HttpStatusCode.BadRequest);
        Assert.NotNull(notItsCommunity["errors"]?["communityId"]);
        Assert.Equal("outOfScope", await Reason(otherStaff.Put("/api/organisations/posts-clinic/posts", body), HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.Forbidden, (await volunteer.Put("/api/organisations/posts-clinic/posts", body)).StatusCode);
        Assert.Single((await staff.GetOk<CommunityPostsView>("/api/places/m2/posts")).Declarations, d => d.Provider.Id == "posts-clinic");
    }
}
