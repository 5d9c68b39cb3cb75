using System.Net;
using System.Net.Http.Json;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Points;
using Dispatch.Shop;
using Dispatch.WebHost.Shop;

namespace Dispatch.IntegrationTests.Api;

/// <summary>The points shop through the API: items per place, redemption paid from the ledger, fulfilment and cancellation with refunds.</summary>
public sealed class ShopApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task Staff_stock_a_shop_and_its_volunteers_see_the_items()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As(World.Volunteer("m1", 1));

        var response = await staff.Post("/api/places/m1/shop/items", new { name = "Thermos cup", cost = 15, stock = 4 });
        await DispatchClient.Expect(response, HttpStatusCode.Created);
        var item = (await response.Content.ReadFromJsonAsync<ShopItemView>(DispatchClient.Json))!;

        Assert.Equal($"/api/shop/items/{item.Id}", response.Headers.Location?.ToString());
        Assert.Equal(("m1", "Thermos cup", 15, 4, 0, "staff-t1"), (item.PlaceId, item.Name, item.Cost, item.Stock, item.Pending, item.CreatedBy));
        var listed = await volunteer.GetOk<ShopItems>("/api/places/m1/shop/items");
        Assert.Equal("m1", listed.PlaceId);
        Assert.Contains(listed.Items, i => i.Id == item.Id);
        Assert.Equal(item, await volunteer.GetOk<ShopItemView>($"/api/shop/items/{item.Id}"));
        Assert.Equal(item, await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}"));
    }

    [Fact]
    public async Task A_volunteer_redeems_pays_from_their_points_and_staff_hand_the_goods_over()
    {
        using var staff = await World.As("staff-t1");
        var (buyer, client) = await Funded("m1", 100);
        using var _ = client;
        var item = await CreateItem(staff, "m1", cost: 40, stock: 2);

        var order = await client.PostOk<ShopOrderView>($"/api/shop/items/{item.Id}/redeem");

        Assert.Equal((OrderStatus.Pending, buyer, "m1", 40, item.Id, "Rice 5kg"), (order.Status, order.Buyer, order.BuyerCommunityId, order.Cost, order.ItemId, order.ItemName));
        var points = await client.GetOk<PointsStatement>($"/api/volunteers/{buyer}/points");
        Assert.Equal((60, 40), (points.Balance, points.Redeemed));
        Assert.Equal((PostingKind.Redemption, $"order:{order.Id}", $"volunteer:{buyer}", "pool:m1"), (points.Entries[0].Kind, points.Entries[0].Key, points.Entries[0].From, points.Entries[0].To));
        Assert.Equal((1, 1), ((await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}")).Stock, (await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}")).Pending));

        var orders = await staff.GetOk<ShopOrdersResponse>($"/api/shop/items/{item.Id}/orders");
        Assert.Equal(order, Assert.Single(orders.Orders));

        var fulfilled = await staff.PostOk<ShopOrderView>($"/api/shop/items/{item.Id}/orders/{order.Id}/fulfil");
        Assert.Equal((OrderStatus.Fulfilled, "staff-t1"), (fulfilled.Status, fulfilled.FulfilledBy));
        Assert.Equal(fulfilled, Assert.Single((await staff.GetOk<ShopOrdersResponse>($"/api/shop/items/{item.Id}/orders?status=fulfilled")).Orders));
        Assert.Empty((await staff.GetOk<ShopOrdersResponse>($"/api/shop/items/{item.Id}/orders?status=pending")).Orders);

        var late = await DispatchClient.Problem(
            await staff.Post($"/api/shop/items/{item.Id}/orders/{order.Id}/cancel", new { reason = "Too late" }), HttpStatusCode.Conflict);
        Assert.Equal("invalidTransition", late["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_volunteer_lists_their_orders_at_their_community_and_town_and_is_told_when_one_is_ready()
    {
        using var staff = await World.As("staff-t1");
        var (buyer, client) = await Funded("m1", 100);
        var (other, otherClient) = await Funded("m1", 100);
        using var _ = client;
        using var __ = otherClient;
        var atCommunity = await CreateItem(staff, "m1", cost: 10, stock: 3);
        var atTown = await CreateItem(staff, "t1", cost: 20, stock: 3);
        var first = await client.PostOk<ShopOrderView>($"/api/shop/items/{atCommunity.Id}/redeem");
        var second = await client.PostOk<ShopOrderView>($"/api/shop/items/{atTown.Id}/redeem");
        await otherClient.PostOk<ShopOrderView>($"/api/shop/items/{atCommunity.Id}/redeem");

        var mine = await client.GetOk<MyShopOrdersResponse>("/api/shop/orders/mine");

        // Only mine, from both shops, newest first.
        Assert.Equal([second.Id, first.Id], mine.Orders.Select(o => o.Id));
        Assert.All(mine.Orders, o => Assert.Equal((buyer, OrderStatus.Pending), (o.Buyer, o.Status)));
        Assert.Empty((await client.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items.Where(i => i.Kind == NoticeKind.OrderReady));

        await staff.PostOk<ShopOrderView>($"/api/shop/items/{atTown.Id}/orders/{second.Id}/fulfil");
        await staff.PostOk<ShopOrderView>($"/api/shop/items/{atTown.Id}/orders/{second.Id}/fulfil"); // again: no second notice

        var after = await client.GetOk<MyShopOrdersResponse>("/api/shop/orders/mine");
        Assert.Equal([OrderStatus.Fulfilled, OrderStatus.Pending], after.Orders.Select(o => o.Status));
        var ready = Assert.Single((await client.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items, i => i.Kind == NoticeKind.OrderReady);
        Assert.Equal(("Rice 5kg", "t1", "staff-t1", false), (ready.Subject, ready.PlaceId, ready.By, ready.Read));
        Assert.DoesNotContain((await otherClient.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items, i => i.Kind == NoticeKind.OrderReady);
        Assert.Single((await otherClient.GetOk<MyShopOrdersResponse>("/api/shop/orders/mine")).Orders);
    }

    [Fact]
    public async Task Only_a_signed_in_volunteer_has_orders_of_their_own()
    {
        using var staff = await World.As("staff-t1");
        using var anonymous = World.App.Anonymous();

        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Get("/api/shop/orders/mine")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Get("/api/shop/orders/mine")).StatusCode);
    }

    [Fact]
    public async Task Redeeming_without_enough_points_or_stock_is_refused_with_the_reason_and_changes_nothing()
    {
        using var staff = await World.As("staff-t1");
        var (poorName, poor) = await Funded("m2", 10);
        var (richName, rich) = await Funded("m2", 100);
        using var _ = poor;
        using var __ = rich;
        var item = await CreateItem(staff, "m2", cost: 30, stock: 1);

        var insufficient = await DispatchClient.Problem(await poor.Post($"/api/shop/items/{item.Id}/redeem"), HttpStatusCode.Conflict);
        Assert.Equal("insufficientPoints", insufficient["reason"]!.GetValue<string>());
        Assert.Equal(1, (await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}")).Stock);
        Assert.Equal(10, (await poor.GetOk<PointsStatement>($"/api/volunteers/{poorName}/points")).Balance);

        await rich.PostOk<ShopOrderView>($"/api/shop/items/{item.Id}/redeem");
        var outOfStock = await DispatchClient.Problem(await rich.Post($"/api/shop/items/{item.Id}/redeem"), HttpStatusCode.Conflict);
        Assert.Equal("outOfStock", outOfStock["reason"]!.GetValue<string>());
        Assert.Equal(70, (await rich.GetOk<PointsStatement>($"/api/volunteers/{richName}/points")).Balance);
    }

    [Fact]
    public async Task Cancelling_refunds_the_points_and_puts_the_unit_back_and_only_the_buyer_or_staff_may_cancel()
    {
        using var staff = await World.As("staff-t1");
        using var neighbour = await World.As(World.Volunteer("m1", 2));
        var (buyer, client) = await Funded("m1", 100);
        using var _ = client;
        var item = await CreateItem(staff, "t1", cost: 30, stock: 2);
        var first = await client.PostOk<ShopOrderView>($"/api/shop/items/{item.Id}/redeem");
        var second = await client.PostOk<ShopOrderView>($"/api/shop/items/{item.Id}/redeem");

        var notBuyer = await DispatchClient.Problem(
            await neighbour.Post($"/api/shop/items/{item.Id}/orders/{first.Id}/cancel", new { reason = "Not mine" }), HttpStatusCode.Forbidden);
        Assert.Equal("notBuyer", notBuyer["reason"]!.GetValue<string>());
        var noReason = await DispatchClient.Problem(await staff.Post($"/api/shop/items/{item.Id}/orders/{first.Id}/cancel", new { }), HttpStatusCode.BadRequest);
        Assert.NotNull(noReason["errors"]?["reason"]);

        var byStaff = await staff.PostOk<ShopOrderView>($"/api/shop/items/{item.Id}/orders/{first.Id}/cancel", new { reason = "Expired" });
        var byBuyer = await client.PostOk<ShopOrderView>($"/api/shop/items/{item.Id}/orders/{second.Id}/cancel", new { reason = "Changed my mind" });

        Assert.Equal((OrderStatus.Cancelled, "staff-t1", "Expired"), (byStaff.Status, byStaff.CancelledBy, byStaff.CancelReason));
        Assert.Equal((OrderStatus.Cancelled, buyer), (byBuyer.Status, byBuyer.CancelledBy));
        var points = await client.GetOk<PointsStatement>($"/api/volunteers/{buyer}/points");
        Assert.Equal((100, 0, 5), (points.Balance, points.Redeemed, points.TotalEntries));
        Assert.Equal(PostingKind.Refund, points.Entries[0].Kind);
        var view = await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}");
        Assert.Equal((2, 0, 2), (view.Stock, view.Pending, view.Cancelled));

        // Cancelling again changes nothing: the refund is not paid twice.
        Assert.Equal(byStaff, await staff.PostOk<ShopOrderView>($"/api/shop/items/{item.Id}/orders/{first.Id}/cancel", new { reason = "Again" }));
        Assert.Equal(100, (await client.GetOk<PointsStatement>($"/api/volunteers/{buyer}/points")).Balance);
    }

    [Fact]
    public async Task A_redemption_retried_with_its_idempotency_key_buys_one_unit()
    {
        using var staff = await World.As("staff-t1");
        var (buyer, client) = await Funded("m2", 100);
        using var _ = client;
        var item = await CreateItem(staff, "m2", cost: 30, stock: 5);

        var first = await client.Post($"/api/shop/items/{item.Id}/redeem", idempotencyKey: "buy-rice-1");
        var retry = await client.Post($"/api/shop/items/{item.Id}/redeem", idempotencyKey: "buy-rice-1");

        await DispatchClient.Expect(first, HttpStatusCode.OK);
        await DispatchClient.Expect(retry, HttpStatusCode.OK);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(4, (await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}")).Stock);
        Assert.Equal(70, (await client.GetOk<PointsStatement>($"/api/volunteers/{buyer}/points")).Balance);
    }

    [Fact]
    public async Task Shops_are_open_to_staff_in_scope_and_to_volunteers_at_or_below_their_place()
    {
        using var near = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        using var m1 = await World.As(World.Volunteer("m1", 1));
        using var m2 = await World.As(World.Volunteer("m2", 1));
        using var m3 = await World.As(World.Volunteer("m3", 1));
        var townItem = await CreateItem(near, "t1", cost: 1, stock: 10);
        var communityItem = await CreateItem(near, "m1", cost: 1, stock: 10);

        // A town's shop serves every community of the town; a community's only its own.
        await DispatchClient.Expect(await m1.Get("/api/places/t1/shop/items"), HttpStatusCode.OK);
        await DispatchClient.Expect(await m2.Get($"/api/shop/items/{townItem.Id}"), HttpStatusCode.OK);
        await DispatchClient.Problem(await m2.Get("/api/places/m1/shop/items"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await m2.Get($"/api/shop/items/{communityItem.Id}"), HttpStatusCode.Forbidden);
        await DispatchClient.Expect(await m1.Get("/api/places/c1/shop/items"), HttpStatusCode.OK);

        // Outside the town: staff of m3 and a volunteer of m3.
        Assert.Equal("outOfScope", (await DispatchClient.Problem(await m3.Post($"/api/shop/items/{townItem.Id}/redeem"), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        await DispatchClient.Problem(await m3.Post($"/api/shop/items/{communityItem.Id}/redeem"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await m3.Get("/api/places/t1/shop/items"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await far.Get("/api/places/m1/shop/items"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await far.Post("/api/places/m1/shop/items", new { name = "Oil", cost = 5, stock = 1 }), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await far.Get($"/api/shop/items/{communityItem.Id}/orders"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(
            await far.Post($"/api/shop/items/{communityItem.Id}/orders/{Guid.NewGuid()}/fulfil"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(
            await far.Post($"/api/shop/items/{communityItem.Id}/orders/{Guid.NewGuid()}/cancel", new { reason = "x" }), HttpStatusCode.Forbidden);

        // Roles: volunteers do not stock shops or see orders, staff do not redeem.
        Assert.Equal("roleNotAllowed", (await DispatchClient.Problem(await m1.Post("/api/places/m1/shop/items", new { name = "Oil", cost = 5, stock = 1 }), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        await DispatchClient.Problem(await m1.Get($"/api/shop/items/{communityItem.Id}/orders"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await m1.Post($"/api/shop/items/{communityItem.Id}/orders/{Guid.NewGuid()}/fulfil"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await near.Post($"/api/shop/items/{communityItem.Id}/redeem"), HttpStatusCode.Forbidden);

        // Admins everywhere.
        await DispatchClient.Expect(await World.Admin.Get($"/api/shop/items/{communityItem.Id}/orders"), HttpStatusCode.OK);
        Assert.Equal(10, (await near.GetOk<ShopItemView>($"/api/shop/items/{townItem.Id}")).Stock);
    }

    public static TheoryData<string, string> BadItems => new()
    {
        { """{"cost":5,"stock":1}""", "name" },
        { """{"name":"  ","cost":5,"stock":1}""", "name" },
        { "{\"name\":\"" + new string('x', 101) + "\",\"cost\":5,\"stock\":1}", "name" },
        { """{"name":"Oil","stock":1}""", "cost" },
        { """{"name":"Oil","cost":0,"stock":1}""", "cost" },
        { """{"name":"Oil","cost":-5,"stock":1}""", "cost" },
        { """{"name":"Oil","cost":100001,"stock":1}""", "cost" },
        { """{"name":"Oil","cost":"five","stock":1}""", "cost" },
        { """{"name":"Oil","cost":5}""", "stock" },
        { """{"name":"Oil","cost":5,"stock":-1}""", "stock" },
        { """{"name":"Oil","cost":5,"stock":10001}""", "stock" },
        { """{"name":"Oil","cost":5,"stock":1.5}""", "stock" },
        { """{"name":"Oil",""", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(BadItems))]
    public async Task A_bad_item_is_refused_naming_the_field_and_the_shop_is_unchanged(string json, string field)
    {
        using var staff = await World.As("staff-t1");
        var before = (await staff.GetOk<ShopItems>("/api/places/m2/shop/items")).Items.Length;

        var problem = await DispatchClient.Problem(await staff.PostRaw("/api/places/m2/shop/items", json), HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
        Assert.Equal(before, (await staff.GetOk<ShopItems>("/api/places/m2/shop/items")).Items.Length);
    }

    [Fact]
    public async Task Unknown_places_items_and_orders_are_not_found()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        var item = await CreateItem(staff, "m1", cost: 1, stock: 1);
        var unknown = Guid.NewGuid();

        await DispatchClient.Problem(await World.Admin.Post("/api/places/nowhere/shop/items", new { name = "Oil", cost = 5, stock = 1 }), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await staff.Get("/api/places/nowhere/shop/items"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await staff.Get($"/api/shop/items/{unknown}"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await volunteer.Post($"/api/shop/items/{unknown}/redeem"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await staff.Get($"/api/shop/items/{unknown}/orders"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await staff.Post($"/api/shop/items/{unknown}/orders/{unknown}/fulfil"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await staff.Post($"/api/shop/items/{item.Id}/orders/{unknown}/fulfil"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await staff.Post($"/api/shop/items/{item.Id}/orders/not-an-order/fulfil"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await staff.Post($"/api/shop/items/{item.Id}/orders/{unknown}/cancel", new { reason = "x" }), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await staff.Get($"/api/shop/items/{item.Id}/orders?status=lost"), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.Get("/api/shop/items/not-a-uuid")).StatusCode);
    }

    [Fact]
    public async Task A_grid_has_no_shop()
    {
        await World.Admin.CreatePlace("g-shop", "grid", "m2");

        var problem = await DispatchClient.Problem(
            await World.Admin.Post("/api/places/g-shop/shop/items", new { name = "Oil", cost = 5, stock = 1 }), HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]?["placeId"]);
    }

    [Fact]
    public async Task Thirty_volunteers_racing_for_five_units_over_http_buy_exactly_five()
    {
        using var staff = await World.As("staff-t1");
        var buyers = await Task.WhenAll(Enumerable.Range(1, 30).Select(_ => Funded("m2", 50)));
        var item = await CreateItem(staff, "m2", cost: 20, stock: 5);

        var responses = await Task.WhenAll(buyers.Select(b => b.Client.Post($"/api/shop/items/{item.Id}/redeem")));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(25, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            Assert.Equal("outOfStock", (await DispatchClient.Problem(refused, HttpStatusCode.Conflict))["reason"]!.GetValue<string>());
        }

        var balances = await Task.WhenAll(buyers.Select(b => b.Client.GetOk<PointsStatement>($"/api/volunteers/{b.Username}/points")));
        Assert.Equal(5, balances.Count(b => b.Balance == 30));
        Assert.Equal(25, balances.Count(b => b.Balance == 50));
        var view = await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}");
        Assert.Equal((0, 5), (view.Stock, view.Pending));
        foreach (var buyer in buyers)
        {
            buyer.Client.Dispose();
        }
    }

    /// <summary>A new volunteer of <paramref name="community"/> with <paramref name="points"/> points, signed in.</summary>
    private async Task<(string Username, DispatchClient Client)> Funded(string community, int points)
    {
        var username = $"shop-{Guid.NewGuid():N}"[..16];
        await World.Admin.CreateAccount(username, "volunteer", community);
        await World.Admin.PostOk<LedgerEntry>($"/api/volunteers/{username}/points", new { amount = points, reason = "Starting points" }, HttpStatusCode.Created);
        return (username, await World.As(username));
    }

    private static Task<ShopItemView> CreateItem(DispatchClient staff, string placeId, int cost, int stock) =>
        staff.PostOk<ShopItemView>($"/api/places/{placeId}/shop/items", new { name = "Rice 5kg", cost, stock }, HttpStatusCode.Created);
}
