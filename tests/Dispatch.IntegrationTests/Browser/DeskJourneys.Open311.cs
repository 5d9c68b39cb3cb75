using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Open311 keys (issue #18 item 20): an admin creates a key for a place and sees its secret once,
/// finds it in the list by name and place, then revokes it.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Admins_create_see_and_revoke_open311_keys(string locale)
    {
        var name = T(locale, "那吉镇 12345 热线", "Naji 12345 hotline") + $" {Guid.NewGuid().ToString("N")[..4]}";
        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}", DeskWorld.Admin);
        await Assertions.Expect(Heading(page)).ToContainTextAsync(DeskWorld.TownName);
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "接口密钥", "Open311 keys") }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "Open311 接口密钥", "Open311 API keys"));

        var create = Button(page, T(locale, "创建密钥", "Create a key"));
        await Assertions.Expect(create).ToBeDisabledAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "密钥名称", "Key name"), Exact = true }).FillAsync(name);
        await page.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "适用地区", "Place it serves") }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = DeskWorld.CommunityName, Exact = false }).First.ClickAsync();
        await create.ClickAsync();

        // The secret, shown this once.
        var secretBox = page.GetByRole(AriaRole.Region, new() { Name = T(locale, $"“{name}”的密钥", $"The key for “{name}”") });
        var secret = await secretBox.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "新密钥", "New key") }).InputValueAsync();
        Assert.Matches("^[0-9a-f]{32}\\.", secret);
        var keys = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "已创建的密钥", "Keys issued") });
        var row = keys.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync(DeskWorld.CommunityName);
        await Assertions.Expect(row).ToContainTextAsync(DeskWorld.AdminName);
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "有效", "Active"));
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-open311-keys");
        }

        await Button(secretBox, T(locale, "我已保存", "I have saved it")).ClickAsync();
        await Assertions.Expect(page.GetByText(secret)).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Assertions.Expect(row).ToContainTextAsync(DeskWorld.CommunityName);
        Assert.DoesNotContain(secret.Split('.')[1], await page.ContentAsync(), StringComparison.Ordinal);

        // Revoked after a second word (Open311RefusalTests: a revoked key is refused at once).
        await Button(row, T(locale, $"吊销 {name}", $"Revoke {name}")).ClickAsync();
        await Button(row, T(locale, $"确认吊销 {name}", $"Revoke {name} for good")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = name })).ToHaveTextAsync(T(locale, $"密钥“{name}”已吊销。", $"Key “{name}” revoked."));
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "已于", "Revoked"));
        using var admin = await Fixture.Dispatch.LoginAs(DeskWorld.Admin, World.Password);
        var listed = await admin.GetOk<System.Text.Json.Nodes.JsonArray>("/api/open311/keys");
        Assert.True(listed.Single(k => k!["name"]!.GetValue<string>() == name)!["revoked"]!.GetValue<bool>());
    }
}
