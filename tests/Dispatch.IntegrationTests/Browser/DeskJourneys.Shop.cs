using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The points shop and a volunteer's points (issue #18 items 15, 16): an item put in the shop, its
/// orders handed over or cancelled with the points refunded; a volunteer's ledger and adjustments
/// with a reason.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_stock_the_points_shop_and_hand_over_or_cancel_its_orders(string locale)
    {
        var (item, buyer, buyerName) = Pick(locale, ("洗衣液（2升）", "he-jing", "何静"), ("大米（5公斤）", "lu-qiang", "陆强"));
        await NewVolunteer(buyer, buyerName, points: 100);

        var page = await SignedIn(locale, "console/shop");
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "积分商城：", "Points shop: ") + DeskWorld.TownName);
        await Button(page, T(locale, "上架商品", "Add an item")).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, "上架商品", "Add an item") });
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "名称", "Name"), Exact = true }).FillAsync(item);
        await dialog.GetByRole(AriaRole.Spinbutton, new() { Name = T(locale, "兑换所需积分", "Price in points") }).FillAsync("30");
        await dialog.GetByRole(AriaRole.Spinbutton, new() { Name = T(locale, "库存数量", "Units in stock") }).FillAsync("5");
        await Button(dialog, T(locale, "上架", "Add")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync(T(locale, $"{item}已上架。", $"{item} is in the shop."));
        var row = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "商城商品", "Items of the shop") }).GetByRole(AriaRole.Row).Filter(new() { HasText = item });
        await Assertions.Expect(row).ToContainTextAsync("30");

        // The volunteer spends points on two units.
        using var staff = await Staff();
        var items = await staff.GetOk<JsonObject>($"/api/places/{DeskWorld.Town}/shop/items");
        var itemId = items["items"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == item)!["id"]!.GetValue<string>();
        using (var volunteer = await Fixture.Dispatch.LoginAs(buyer, World.Password))
        {
            for (var i = 0; i < 2; i++)
            {
                Assert.True((await volunteer.Post($"/api/shop/items/{itemId}/redeem")).IsSuccessStatusCode);
            }
        }

        await Eventually.Get(
            () => staff.GetOk<JsonObject>($"/api/shop/items/{itemId}/orders"),
            o => o["orders"]!.AsArray().Count(x => x!["status"]!.GetValue<string>() == "pending") == 2);

        // One handed over; the other cancelled with a reason, its points refunded.
        await Button(page, T(locale, $"{item}的订单", $"Orders of {item}")).ClickAsync();
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, $"{item}的订单", $"Orders of {item}"), Exact = true });
        await Button(drawer, T(locale, $"向{buyerName}发放", $"Hand over to {buyerName}")).First.ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"已向{buyerName}发放。", $"Handed over to {buyerName}."));
        await Button(drawer, T(locale, $"取消{buyerName}的订单", $"Cancel the order of {buyerName}")).ClickAsync();
        var cancel = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, $"取消{buyerName}的订单", $"Cancel the order of {buyerName}") });
        await cancel.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "原因（志愿者可见）", "Reason (the volunteer sees it)") }).FillAsync(T(locale, "本周缺货", "Out of stock this week"));
        await Button(cancel, T(locale, "取消订单并退还积分", "Cancel the order and refund")).ClickAsync();
        await Assertions.Expect(drawer.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"已取消{buyerName}的订单，退还30积分。", $"The order of {buyerName} is cancelled; 30 points are refunded."));
        var orders = drawer.GetByRole(AriaRole.Region, new() { Name = T(locale, "兑换订单", "Orders") });
        await Assertions.Expect(orders).ToContainTextAsync(T(locale, "已发放", "Handed over"));
        var cancelled = orders.GetByRole(AriaRole.Row).Filter(new() { HasText = T(locale, "已取消并退分", "Cancelled and refunded") });
        await Assertions.Expect(cancelled).ToContainTextAsync(T(locale, "本周缺货", "Out of stock this week"));
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-shop");
        }

        var points = await staff.GetOk<JsonObject>($"/api/volunteers/{buyer}/points");
        Assert.Equal(70, points["balance"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_read_a_volunteers_points_ledger_and_adjust_it_with_a_reason(string locale)
    {
        var (username, name) = Pick(locale, ("tang-min", "唐敏"), ("xu-hui", "许辉"));
        var thermos = T(locale, "保温杯（500毫升）", "Thermos flask (500 ml)");
        await NewVolunteer(username, name, points: 40);

        // The volunteer has spent 25 points in the shop: staff read that entry in their own language.
        using var staff = await Staff();
        var item = await staff.PostOk<JsonObject>($"/api/places/{DeskWorld.Town}/shop/items", new { name = thermos, cost = 25, stock = 3 }, HttpStatusCode.Created);
        using (var volunteer = await Fixture.Dispatch.LoginAs(username, World.Password))
        {
            Assert.True((await volunteer.Post($"/api/shop/items/{item["id"]!.GetValue<string>()}/redeem")).IsSuccessStatusCode);
        }

        await Eventually.Get(() => staff.GetOk<JsonObject>($"/api/volunteers/{username}/points"), p => p["balance"]!.GetValue<int>() == 15);

        var page = await SignedIn(locale, "console/volunteers");
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "按姓名或用户名搜索", "Search by name or username") }).FillAsync(name);
        await Button(page, T(locale, "搜索", "Search")).ClickAsync();
        await Button(page, T(locale, $"查看{name}的详情", $"Details of {name}")).ClickAsync();
        var details = page.GetByRole(AriaRole.Dialog, new() { Name = name, Exact = true });

        await Adjust("20", T(locale, "协助社区疫苗接种登记", "Helped at the vaccination desk"), "+20");
        await Adjust("-5", T(locale, "重复计分扣回", "Counted twice"), "-5");
        var ledger = details.GetByRole(AriaRole.Region, new() { Name = T(locale, "积分明细", "Points ledger") });
        await Assertions.Expect(ledger.GetByRole(AriaRole.Row).Filter(new() { HasText = T(locale, "协助社区疫苗接种登记", "Helped at the vaccination desk") })).ToContainTextAsync(T(locale, "工作人员调整", "Adjusted by staff"));
        await Assertions.Expect(ledger.GetByRole(AriaRole.Row).Filter(new() { HasText = T(locale, "重复计分扣回", "Counted twice") })).ToContainTextAsync("30");
        await Assertions.Expect(ledger.GetByRole(AriaRole.Row).Filter(new() { HasText = T(locale, "商城兑换", "Spent in the shop") }))
            .ToContainTextAsync(T(locale, $"兑换「{thermos}」", $"Redeemed \"{thermos}\""));
        await Assertions.Expect(ledger).Not.ToContainTextAsync("at the points shop of");
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-points");
        }

        Assert.Equal(30, (await staff.GetOk<JsonObject>($"/api/volunteers/{username}/points"))["balance"]!.GetValue<int>());

        async Task Adjust(string amount, string reason, string shown)
        {
            await details.GetByRole(AriaRole.Spinbutton, new() { Name = T(locale, "积分（扣减填负数）", "Points (negative to deduct)") }).FillAsync(amount);
            await details.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "原因", "Reason"), Exact = true }).FillAsync(reason);
            await Button(details, T(locale, "调整", "Adjust")).ClickAsync();
            // The adjustment's own status line: the service hours further down the drawer have theirs.
            await Assertions.Expect(details.GetByRole(AriaRole.Status).First).ToHaveTextAsync(T(locale, $"{name}：{shown}积分（{reason}）。", $"{name}: {shown} points ({reason})."));
        }
    }

    /// <summary>A volunteer of the community for one journey (so that no other journey sees their points), with points to spend.</summary>
    private async Task NewVolunteer(string username, string displayName, int points)
    {
        using var admin = await Fixture.Dispatch.LoginAs(DeskWorld.Admin, World.Password);
        await admin.PostOk<JsonObject>("/api/accounts", new { username, password = World.Password, displayName, role = "volunteer", placeId = DeskWorld.Community, skills = Array.Empty<string>() }, HttpStatusCode.Created);
        if (points > 0)
        {
            await admin.PostOk<JsonObject>($"/api/volunteers/{username}/points", new { amount = points, reason = "开户积分" }, HttpStatusCode.Created);
        }
    }
}
