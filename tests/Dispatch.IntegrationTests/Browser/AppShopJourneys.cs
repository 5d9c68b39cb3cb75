using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Shop;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The points shop on the phone: the items of my community's and my town's shops with cost and
/// stock, one redeemed (paid from the balance, a unit out of stock, an order waiting to be handed
/// over), one the balance does not cover.
/// </summary>
public sealed class AppShopJourneys(BrowserFixture fixture) : Journey(fixture)
{
    private sealed record Words(string Points, string Shop, string Redeem, string Redeemed, string NotCovered, string Stock2);

    [Theory]
    [InlineData("zh-CN", "zhou-hong", "周红")]
    [InlineData("en-US", "xu-lei", "徐磊")]
    public async Task A_volunteer_redeems_an_item_of_the_community_shop_and_sees_what_the_balance_does_not_cover(string locale, string username, string name)
    {
        var zh = locale == "zh-CN";
        string T(string chinese, string english) => zh ? chinese : english;
        var thermos = T("保温水壶", "Thermos flask");
        var haircut = T("理发券", "Haircut voucher");
        var rice = T("东北大米（5公斤）", "Rice (5 kg)");
        using var staff = await Fixture.Dispatch.LoginAs(DeskWorld.Staff, World.Password);
        using (var admin = await Fixture.Dispatch.Admin())
        {
            await admin.PostOk<JsonObject>("/api/accounts", new { username, password = World.Password, displayName = name, role = "volunteer", placeId = DeskWorld.Community }, HttpStatusCode.Created);
        }

        await staff.PostOk<JsonObject>($"/api/volunteers/{username}/points", new { amount = 30, reason = T("助老服务奖励", "Reward for elderly care") }, HttpStatusCode.Created);
        var item = await staff.PostOk<ShopItemView>($"/api/places/{DeskWorld.Community}/shop/items", new { name = thermos, cost = 20, stock = 3 }, HttpStatusCode.Created);
        await staff.PostOk<ShopItemView>($"/api/places/{DeskWorld.Town}/shop/items", new { name = haircut, cost = 100, stock = 5 }, HttpStatusCode.Created);

        var bag = await staff.PostOk<ShopItemView>($"/api/places/{DeskWorld.Community}/shop/items", new { name = rice, cost = 25, stock = 10 }, HttpStatusCode.Created);

        // Staff gave the flask and the rice a picture (small real PNGs); the voucher has none.
        foreach (var (id, product) in new[] { (item.Id, TestPictures.Product.Thermos), (bag.Id, TestPictures.Product.Rice) })
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(TestPictures.Png(product, 240)), "file", $"{product}.png" } };
            using var uploaded = await staff.Http.PutAsync($"/api/shop/items/{id}/picture", form);
            await DispatchClient.Expect(uploaded, HttpStatusCode.OK);
        }

        var page = await NewPage(locale, viewport: AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{BaseAddress}app");
        await SignIn(page, username, zh ? Zh : En);
        await page.GetByRole(AriaRole.Tab, new() { Name = T("积分", "Points") }).Or(page.GetByRole(AriaRole.Link, new() { Name = T("积分", "Points"), Exact = true })).First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = T("积分超市 ›", "Points shop ›") }).ClickAsync();

        var shop = Region(page, T("积分超市", "Points shop"));
        var flask = Group(shop, thermos);
        var voucher = Group(shop, haircut);
        await Assertions.Expect(flask).ToContainTextAsync(T("20 积分", "20 points"));
        await Assertions.Expect(flask).ToContainTextAsync(T("库存 3", "3 in stock"));
        await Assertions.Expect(voucher).ToContainTextAsync(T("积分余额不足。", "The balance does not cover this."));
        await Assertions.Expect(Button(voucher, T("兑换", "Redeem"))).ToBeDisabledAsync();
        await Assertions.Expect(flask.GetByRole(AriaRole.Img, new() { Name = T($"{thermos}的图片", $"Picture of {thermos}") })).ToHaveJSPropertyAsync("naturalWidth", 240);
        await Assertions.Expect(Group(shop, rice).GetByRole(AriaRole.Img, new() { Name = T($"{rice}的图片", $"Picture of {rice}") })).ToHaveJSPropertyAsync("naturalWidth", 240);
        await Assertions.Expect(voucher.GetByRole(AriaRole.Img)).ToHaveCountAsync(0);

        await Tap(Button(flask, T("兑换", "Redeem")));
        await Assertions.Expect(shop.GetByRole(AriaRole.Status)).ToContainTextAsync(thermos);
        await Assertions.Expect(flask).ToContainTextAsync(T("库存 2", "2 in stock"));
        await Assertions.Expect(shop).ToContainTextAsync(T("可用积分：10", "Points to spend: 10"));
        if (zh)
        {
            await Screenshot(page, "app-shop");
        }

        Assert.Equal(10, (await staff.GetOk<PointsStatement>($"/api/volunteers/{username}/points")).Balance);
        var orders = await staff.GetOk<JsonObject>($"/api/shop/items/{item.Id}/orders");
        var order = Assert.Single(orders["orders"]!.AsArray());
        Assert.Equal((username, "pending"), (order!["buyer"]!.GetValue<string>(), order["status"]!.GetValue<string>()));

        // My orders: waiting to be collected, then handed over as soon as staff say so (no reload).
        await page.GetByRole(AriaRole.Link, new() { Name = T("我的兑换 ›", "My orders ›") }).ClickAsync();
        var mine = Region(page, T("我的兑换", "My orders"));
        var bought = Group(mine, thermos);
        await Assertions.Expect(bought).ToContainTextAsync(T("待领取", "Waiting to be collected"));
        await Assertions.Expect(bought).ToContainTextAsync(T("20 积分", "20 points"));
        await Assertions.Expect(bought.GetByRole(AriaRole.Img, new() { Name = T($"{thermos}的图片", $"Picture of {thermos}") })).ToHaveJSPropertyAsync("naturalWidth", 240);

        await staff.PostOk<JsonObject>($"/api/shop/items/{item.Id}/orders/{order["id"]!.GetValue<string>()}/fulfil");

        await Assertions.Expect(bought).ToContainTextAsync(T("已领取", "Handed over"));
        if (zh)
        {
            await Screenshot(page, "app-orders");
        }
    }
}
