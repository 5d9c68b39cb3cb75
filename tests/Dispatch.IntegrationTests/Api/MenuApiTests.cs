using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Posts;
using Dispatch.Requests;
using Dispatch.Volunteers;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Menu;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Menu service (菜单式) through the API, in m2: vol-m2-1 declares 理发 and 家电维修, vol-m2-2
/// declares 理发, the organisation "barbers" declares 理发; staff pick from that menu for a beneficiary.
/// </summary>
public sealed class MenuApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private static readonly object Beneficiary = new { name = "吴秀兰", phone = "13900001111", address = "3号楼2单元" };

    private World World => fixture.World;

    [Fact]
    public async Task Staff_in_scope_read_the_menu_by_post_then_provider_and_nobody_else_does()
    {
        using var staff = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        using var volunteer = await World.As("vol-m2-1");
        await Declared();

        var menu = await staff.GetOk<ServiceMenuView>("/api/places/m2/menu");

        Assert.Equal("m2", menu.CommunityId);
        // By post, then by provider in Chinese collation (as people read the names).
        var byName = StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("zh-CN"), ignoreCase: true);
        Assert.Equal(["家电维修", "理发", "理发", "理发"], menu.Items.Select(i => i.PostName));
        Assert.Equal(
            new[] { "User vol-m2-1", "User vol-m2-2", "县美发协会" }.Order(byName),
            menu.Items.Skip(1).Select(i => i.Provider.Name));
        Assert.Equal("outOfScope", await Reason(far.Get("/api/places/m2/menu"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Get("/api/places/m2/menu"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(staff.Get("/api/places/t1/menu"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task An_order_publishes_a_request_titled_by_the_post_and_offers_it_to_that_volunteer_who_accepts()
    {
        using var staff = await World.As("staff-t1");
        using var barber = await World.As("vol-m2-2");
        var item = (await Declared()).Single(i => i.PostName == "理发" && i.Provider.Id == "vol-m2-2");

        var ordered = await staff.PostOk<RequestView>($"/api/places/m2/menu/{item.Id}/order", new { kind = "errand", beneficiary = Beneficiary }, HttpStatusCode.Created);

        Assert.Equal(("m2", RequestKind.Errand, "理发", "上门理发，自带工具"), (ordered.CommunityId, ordered.Kind, ordered.Title, ordered.Description));
        Assert.Equal(["理发"], ordered.Categories.ToArray());
        Assert.Equal("吴秀兰", ordered.Beneficiary?.Name);
        Assert.Equal(("vol-m2-2", "staff-t1"), (ordered.Offer?.Volunteer, ordered.Offer?.By));
        Assert.True(ordered.Offer!.ExpiresAt > ordered.Offer.At);

        var accepted = await barber.PostOk<RequestView>($"/api/requests/{ordered.Id}/offer/accept");
        Assert.Equal(["vol-m2-2"], accepted.Claimants.ToArray());
        Assert.Equal(RequestStatus.Claimed, accepted.Status);
    }

    [Fact]
    public async Task A_bad_order_names_its_fields_and_an_unknown_or_organisations_item_is_refused_and_nothing_is_published()
    {
        using var staff = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        var items = await Declared();
        var barber = items.First(i => i.Provider.Kind == ProviderKind.Volunteer);
        var organisation = items.Single(i => i.Provider.Kind == ProviderKind.Organisation);
        var bad = await DispatchClient.Problem(await staff.Post($"/api/places/m2/menu/{barber.Id}/order", new { beneficiary = new { name = " " } }, "bad-order"), HttpStatusCode.BadRequest);
        Assert.Equal(["beneficiary", "kind"], bad["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        var longAddress = await DispatchClient.Problem(
            await staff.Post($"/api/places/m2/menu/{barber.Id}/order", new { kind = "wish", beneficiary = new { name = "吴秀兰", address = new string('楼', 1000) } }, "long-order"), HttpStatusCode.BadRequest);
        Assert.NotNull(longAddress["errors"]?["beneficiary.address"]);
        Assert.Equal("notOfferable", await Reason(staff.Post($"/api/places/m2/menu/{organisation.Id}/order", new { kind = "wish", beneficiary = Beneficiary }, "organisation-order"), HttpStatusCode.Conflict));
        Assert.Equal("notFound", await Reason(staff.Post($"/api/places/m2/menu/{Guid.NewGuid()}/order", new { kind = "wish", beneficiary = Beneficiary }), HttpStatusCode.NotFound));
        Assert.Equal("outOfScope", await Reason(far.Post($"/api/places/m2/menu/{barber.Id}/order", new { kind = "wish", beneficiary = Beneficiary }), HttpStatusCode.Forbidden));

        // Nothing was published for the refused orders (their requests' ids follow from their keys).
        foreach (var key in new[] { "bad-order", "long-order", "organisation-order" })
        {
            Assert.Equal("notFound", await Reason(staff.Get($"/api/requests/{IdempotencyMiddleware.IdFor("staff-t1", key)}"), HttpStatusCode.NotFound));
        }
    }

    [Fact]
    public async Task An_order_for_a_volunteer_at_their_claim_limit_is_refused_and_leaves_nothing_open()
    {
        using var staff = await World.As("staff-t1");
        using var busy = await World.As("vol-m2-1");
        var item = (await Declared()).Single(i => i.PostName == "家电维修");
        var limit = (await staff.GetOk<VolunteerView>("/api/volunteers/vol-m2-1")).ClaimLimit;
        var held = (await staff.GetOk<VolunteerView>("/api/volunteers/vol-m2-1")).ActiveClaims.Length;
        for (var i = held; i < limit; i++)
        {
            var request = await staff.CreateRequest("m2", title: $"搬米 {i}");
            await busy.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        }

        Assert.Equal("unavailable", await Reason(staff.Post($"/api/places/m2/menu/{item.Id}/order", new { kind = "errand", beneficiary = Beneficiary }, "busy-order"), HttpStatusCode.Conflict));

        // Nothing was published: no request under the order's id, nothing on the board for anyone.
        Assert.Equal("notFound", await Reason(staff.Get($"/api/requests/{IdempotencyMiddleware.IdFor("staff-t1", "busy-order")}"), HttpStatusCode.NotFound));
    }

    /// <summary>The posts and declarations of m2, once for the fixture (each call finds them in place).</summary>
    private async Task<IReadOnlyList<PostDeclaration>> Declared()
    {
        using var staff = await World.As("staff-t1");
        var existing = await staff.GetOk<ServiceMenuView>("/api/places/m2/menu");
        if (existing.Items.Length > 0)
        {
            return existing.Items;
        }

        var haircut = await staff.PostOk<ServicePost>("/api/places/m2/posts", new { name = "理发", description = "为行动不便的老人理发" }, HttpStatusCode.Created);
        var repair = await staff.PostOk<ServicePost>("/api/places/m2/posts", new { name = "家电维修", description = "小家电维修" }, HttpStatusCode.Created);
        var saturday = new[] { new { day = "saturday", from = "09:00", to = "11:30" } };
        await Declare(staff, "/api/volunteers/vol-m2-1/posts", new
        {
            declarations = new[]
            {
                new { postId = haircut.Id, description = "理发", slots = saturday },
                new { postId = repair.Id, description = "修电饭锅、电风扇", slots = saturday },
            },
        });
        await Declare(staff, "/api/volunteers/vol-m2-2/posts", new { declarations = new[] { new { postId = haircut.Id, description = "上门理发，自带工具", slots = saturday } } });
        await staff.PostOk<JsonObject>("/api/organisations", new { id = "barbers", name = "县美发协会", communityIds = new[] { "m2" } }, HttpStatusCode.Created);
        await Declare(staff, "/api/organisations/barbers/posts", new { communityId = "m2", declarations = new[] { new { postId = haircut.Id, description = "每月一次集中理发", slots = saturday } } });
        return (await staff.GetOk<ServiceMenuView>("/api/places/m2/menu")).Items;
    }

    private static async Task Declare(DispatchClient staff, string path, object body) =>
        await DispatchClient.Expect(await staff.Put(path, body), HttpStatusCode.OK);

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();
}
