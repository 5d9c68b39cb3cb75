using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The admin's pages (issue #18 item 19): the staff and admin accounts of a place, a locked account
/// unlocked, a new password, a new role and place, and the place's security events in words.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Admins_look_after_the_staff_accounts_of_a_place_and_read_its_security_events(string locale)
    {
        // A new grid worker of the town, locked out by wrong passwords.
        var (username, name) = Pick(locale, ("ma-li", "马丽"), ("gao-feng", "高峰"));
        using (var admin = await Fixture.Dispatch.LoginAs(DeskWorld.Admin, World.Password))
        {
            await admin.PostOk<JsonObject>("/api/accounts", new { username, password = World.Password, displayName = name, role = "staff", placeId = DeskWorld.Town, skills = Array.Empty<string>() }, HttpStatusCode.Created);
        }

        using (var stranger = Fixture.Dispatch.Anonymous())
        {
            for (var i = 0; i < 5; i++)
            {
                await stranger.Post("/api/auth/token", new { username, password = "wrong-password" });
            }
        }

        // The town first (on its board), then its accounts.
        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}", DeskWorld.Admin);
        await Assertions.Expect(Heading(page)).ToContainTextAsync(DeskWorld.TownName);
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "账号管理", "Accounts") }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "账号管理：", "Accounts: ") + DeskWorld.TownName);
        var accounts = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "工作人员和管理员账号", "Staff and admin accounts") });
        await Assertions.Expect(accounts).ToContainTextAsync(DeskWorld.StaffName);
        await Assertions.Expect(accounts).ToContainTextAsync("赵刚");
        await Assertions.Expect(accounts).ToContainTextAsync(name);
        await Assertions.Expect(accounts).Not.ToContainTextAsync(DeskWorld.HelperName);
        await Assertions.Expect(accounts).ToContainTextAsync(T(locale, "已锁定", "Locked"));

        // Unlocked, then a new password (the old sessions end; the new one signs in).
        await Button(page, T(locale, $"解锁{name}", $"Unlock {name}")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"{name}已解锁。", $"{name} is unlocked."));
        await Button(page, T(locale, $"重置{name}的密码", $"Reset the password of {name}")).ClickAsync();
        var reset = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, $"为{name}设置新密码", $"New password for {name}") });
        await reset.GetByLabel(T(locale, "新密码（至少8位）", "New password (at least 8 characters)")).FillAsync("a-new-password-1");
        await Button(reset, T(locale, "设置密码", "Set the password")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"{name}的密码已重置，其他登录已全部退出。", $"{name} has a new password; their other sessions have ended."));
        using (await Fixture.Dispatch.LoginAs(username, "a-new-password-1"))
        {
        }

        // A new role: an admin of the community.
        await Button(page, T(locale, $"调整{name}的角色", $"Change the role of {name}")).ClickAsync();
        var role = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, $"{name}的角色和地点", $"Role and place of {name}") });
        await role.GetByRole(AriaRole.Radio, new() { Name = T(locale, "管理员", "Administrator") }).CheckAsync(new() { Force = true });
        await role.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "地点", "Place"), Exact = true }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = $"{DeskWorld.CommunityName}（{T(locale, "嘎查村/社区", "Community")}）" }).ClickAsync();
        await Button(role, T(locale, "保存", "Save")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, $"{name}已调整为{DeskWorld.CommunityName}的管理员。", $"{name} is now Administrator at {DeskWorld.CommunityName}."));
        var row = accounts.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "管理员", "Administrator"));
        await Assertions.Expect(row).ToContainTextAsync(DeskWorld.CommunityName);

        // What happened, in words, with names.
        var events = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "安全事件", "Security events") });
        await Assertions.Expect(events).ToContainTextAsync(T(locale, "密码错误次数过多被锁定", "Locked after wrong passwords"));
        await Assertions.Expect(events).ToContainTextAsync(T(locale, "调整角色或地点", "Role or place changed"));
        await Assertions.Expect(events).ToContainTextAsync(DeskWorld.AdminName);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-accounts");
        }

        using var check = await Fixture.Dispatch.LoginAs(DeskWorld.Admin, World.Password);
        var stored = await check.GetOk<JsonObject>($"/api/accounts/{username}");
        Assert.Equal(("admin", DeskWorld.Community), (stored["role"]!.GetValue<string>(), stored["placeId"]!.GetValue<string>()));
    }
}
