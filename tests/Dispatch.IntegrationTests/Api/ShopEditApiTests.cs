using System.Net;
using System.Net.Http.Json;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Shop;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Staff change a shop item (PATCH /api/shop/items/{id}): new stock, price or name; orders already
/// made keep their price; staff outside the item's place and volunteers are refused; bad input is a
/// problem naming the field and changes nothing.
/// </summary>
public sealed class ShopEditApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task Staff_restock_and_reprice_an_item_and_orders_made_keep_their_price()
    {
        using var staff = await World.As("staff-t1");
        var item = await staff.PostOk<ShopItemView>("/api/places/m1/shop/items", new { name = "Rice 5kg", cost = 40, stock = 1 }, HttpStatusCode.Created);
        var buyer = $"shop-{Guid.NewGuid():N}"[..16];
        await World.Admin.CreateAccount(buyer, "volunteer", "m1");
        await World.Admin.PostOk<LedgerEntry>($"/api/volunteers/{buyer}/points", new { amount = 200, reason = "Starting points" }, HttpStatusCode.Created);
        using var volunteer = await World.As(buyer);
        var first = await volunteer.PostOk<ShopOrderView>($"/api/shop/items/{item.Id}/redeem");

        var edited = await Patch<ShopItemView>(staff, item.Id, new { stock = 5, cost = 50, name = "  Rice 5kg (northeast) " }, HttpStatusCode.OK);

        Assert.Equal(("Rice 5kg (northeast)", 50, 5, 1), (edited.Name, edited.Cost, edited.Stock, edited.Pending));
        Assert.True(edited.Version > item.Version);
        Assert.Equal(edited, await volunteer.GetOk<ShopItemView>($"/api/shop/items/{item.Id}"));
        var second = await volunteer.PostOk<ShopOrderView>($"/api/shop/items/{item.Id}/redeem");
        var orders = await staff.GetOk<WebHost.Shop.ShopOrdersResponse>($"/api/shop/items/{item.Id}/orders");
        Assert.Equal(40, orders.Orders.Single(o => o.Id == first.Id).Cost);
        Assert.Equal(50, orders.Orders.Single(o => o.Id == second.Id).Cost);
        Assert.Equal(4, (await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}")).Stock);

        var onlyStock = await Patch<ShopItemView>(staff, item.Id, new { stock = 0 }, HttpStatusCode.OK);
        Assert.Equal(("Rice 5kg (northeast)", 50, 0), (onlyStock.Name, onlyStock.Cost, onlyStock.Stock));
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_changes_nothing()
    {
        using var staff = await World.As("staff-t1");
        var item = await staff.PostOk<ShopItemView>("/api/places/m1/shop/items", new { name = "Thermos cup", cost = 15, stock = 3 }, HttpStatusCode.Created);

        var problem = await DispatchClient.Problem(await staff.Http.PatchAsJsonAsync($"/api/shop/items/{item.Id}", new { stock = -1, cost = 0 }, DispatchClient.Json), HttpStatusCode.BadRequest);
        Assert.Equal(["cost", "stock"], problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        var empty = await DispatchClient.Problem(await staff.Http.PatchAsJsonAsync($"/api/shop/items/{item.Id}", new { }, DispatchClient.Json), HttpStatusCode.BadRequest);
        Assert.Equal("invalid", empty["reason"]!.GetValue<string>());
        Assert.Equal(item, await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}"));
        await DispatchClient.Problem(await staff.Http.PatchAsJsonAsync($"/api/shop/items/{Guid.NewGuid()}", new { stock = 1 }, DispatchClient.Json), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Staff_outside_the_place_and_volunteers_cannot_change_an_item()
    {
        using var staff = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        var item = await staff.PostOk<ShopItemView>("/api/places/m1/shop/items", new { name = "Soap", cost = 5, stock = 3 }, HttpStatusCode.Created);

        var refused = await DispatchClient.Problem(await far.Http.PatchAsJsonAsync($"/api/shop/items/{item.Id}", new { stock = 100 }, DispatchClient.Json), HttpStatusCode.Forbidden);
        Assert.Equal("outOfScope", refused["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await volunteer.Http.PatchAsJsonAsync($"/api/shop/items/{item.Id}", new { stock = 100 }, DispatchClient.Json)).StatusCode);
        Assert.Equal(3, (await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}")).Stock);
    }

    private static async Task<T> Patch<T>(DispatchClient client, Guid id, object body, HttpStatusCode status)
    {
        var response = await client.Http.PatchAsJsonAsync($"/api/shop/items/{id}", body, DispatchClient.Json);
        await DispatchClient.Expect(response, status);
        return (await response.Content.ReadFromJsonAsync<T>(DispatchClient.Json))!;
    }
}
