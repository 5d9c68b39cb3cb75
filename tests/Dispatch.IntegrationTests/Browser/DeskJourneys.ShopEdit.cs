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

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_give_a_shop_item_a_picture_replace_a_phone_photo_and_remove_it(string locale)
    {
        var item = T(locale, "保温杯", "Thermos cup") + $" {Guid.NewGuid().ToString("N")[..4]}";
        using var staff = await Staff();
        var created = await staff.PostOk<JsonObject>($"/api/places/{DeskWorld.Town}/shop/items", new { name = item, cost = 15, stock = 8 }, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        ExpectConsoleError("400"); // The text file is refused on purpose: Chromium logs the 400.

        var page = await SignedIn(locale, "console/shop");
        var row = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "商城商品", "Items of the shop") }).GetByRole(AriaRole.Row).Filter(new() { HasText = item });
        await Button(row, T(locale, $"修改{item}", $"Edit {item}")).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, $"修改{item}", $"Edit {item}") });
        await Assertions.Expect(dialog).ToContainTextAsync(T(locale, "暂无图片", "No picture"));
        var file = dialog.GetByLabel(T(locale, "图片文件", "Picture file"));

        // A file that is no picture, whatever it is called: refused beside the field, nothing kept.
        await file.SetInputFilesAsync(new FilePayload { Name = "thermos.png", MimeType = "image/png", Buffer = "not a picture at all"u8.ToArray() });
        await Assertions.Expect(dialog.Locator(".el-form-item__error")).ToHaveTextAsync(
            T(locale, "该文件不是可显示的图片，请选择 JPEG、PNG 或 WebP 格式的图片。", "That file is not a picture the shop can show: choose a JPEG, PNG or WebP image."));

        // A small PNG goes as it is, and shows at once in the editor and the table.
        var png = Support.TestPictures.Png(Support.TestPictures.Product.Thermos, 240);
        await file.SetInputFilesAsync(new FilePayload { Name = "thermos.png", MimeType = "image/png", Buffer = png });
        await Assertions.Expect(dialog.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "图片已保存，志愿者可在积分商城中看到。", "The picture is saved; volunteers see it in the shop."));
        await Assertions.Expect(dialog.Locator(".el-form-item__error")).ToHaveCountAsync(0);
        var preview = dialog.GetByRole(AriaRole.Img, new() { Name = T(locale, $"{item}的图片", $"Picture of {item}") });
        await Assertions.Expect(preview).ToHaveJSPropertyAsync("naturalWidth", 240);
        await Assertions.Expect(row.GetByRole(AriaRole.Img)).ToHaveJSPropertyAsync("naturalWidth", 240);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-shop-picture");
        }

        var stored = await staff.GetOk<JsonObject>($"/api/shop/items/{id}");
        Assert.Equal($"/api/shop/items/{id}/picture?v={Dispatch.Shop.ShopPictures.Tag(png)}", stored["picture"]!.GetValue<string>());

        // A phone photo of several MB is scaled down in the browser (1280 px, JPEG) and fits.
        var photo = Support.TestPictures.Photo(Support.TestPictures.Product.Thermos);
        Assert.True(photo.Length > 2 * Dispatch.Shop.ShopPictures.MaxBytes, $"the photo is only {photo.Length} bytes");
        await Button(dialog, T(locale, "更换图片", "Replace the picture")).WaitForAsync();
        await file.SetInputFilesAsync(new FilePayload { Name = "IMG_2041.png", MimeType = "image/png", Buffer = photo });
        await Assertions.Expect(preview).ToHaveJSPropertyAsync("naturalWidth", 1280);
        using var anonymous = Fixture.Dispatch.Anonymous();
        var replaced = (await staff.GetOk<JsonObject>($"/api/shop/items/{id}"))["picture"]!.GetValue<string>();
        using var served = await anonymous.Get(replaced);
        Assert.Equal("image/jpeg", served.Content.Headers.ContentType!.MediaType);
        Assert.InRange((await served.Content.ReadAsByteArrayAsync()).Length, 1, Dispatch.Shop.ShopPictures.MaxBytes);

        await Button(dialog, T(locale, "删除图片", "Remove the picture")).ClickAsync();
        await Assertions.Expect(dialog.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "图片已删除。", "The picture is removed."));
        await Assertions.Expect(dialog).ToContainTextAsync(T(locale, "暂无图片", "No picture"));
        Assert.Null((await staff.GetOk<JsonObject>($"/api/shop/items/{id}"))["picture"]);
    }
}
