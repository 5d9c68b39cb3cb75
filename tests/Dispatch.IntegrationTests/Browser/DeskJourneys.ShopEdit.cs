using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>The points shop (issue #18 item 16): staff change an item's stock and price in place.</summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_change_the_stock_and_price_of_a_shop_item(string locale)
    {
        var item = T(locale, "食用油（5升）", "Cooking oil (5 l)") + $" {Guid.NewGuid().ToString("N")[..4]}";
        using var staff = await Staff();
        var created = await staff.PostOk<JsonObject>($"/api/places/{DeskWorld.Town}/shop/items", new { name = item, cost = 30, stock = 2 }, HttpStatusCode.Created);

        var page = await SignedIn(locale, "console/shop");
        var row = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "商城商品", "Items of the shop") }).GetByRole(AriaRole.Row).Filter(new() { HasText = item });
        await Button(row, T(locale, $"修改{item}", $"Edit {item}")).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, $"修改{item}", $"Edit {item}") });
        await dialog.GetByRole(AriaRole.Spinbutton, new() { Name = T(locale, "兑换所需积分", "Price in points") }).FillAsync("25");
        await dialog.GetByRole(AriaRole.Spinbutton, new() { Name = T(locale, "可兑换库存", "Units available") }).FillAsync("12");
        await Button(dialog, T(locale, "保存修改", "Save the changes")).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync(
            T(locale, $"{item}已更新：库存 12，所需积分 25。", $"{item} updated: 12 in stock, 25 points."));
        await Assertions.Expect(row).ToContainTextAsync("12");
        await Assertions.Expect(row).ToContainTextAsync("25");
        var stored = await staff.GetOk<JsonObject>($"/api/shop/items/{created["id"]}");
        Assert.Equal((12, 25), (stored["stock"]!.GetValue<int>(), stored["cost"]!.GetValue<int>()));
    }
}
