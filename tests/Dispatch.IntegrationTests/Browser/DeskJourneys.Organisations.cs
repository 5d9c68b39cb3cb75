using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Organisations (issue #18 item 12): registered with a community, another community added and
/// taken away again, a member added, and the claims the member holds for the organisation.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_register_an_organisation_add_communities_and_members_and_see_its_claims(string locale)
    {
        var (id, name, member, memberName, title) = Pick(
            locale,
            ("youzheng", "阿荣旗邮政分公司", "sun-yan", "孙燕", "重阳节敬老院包饺子"),
            ("tushuguan", "那吉镇图书馆", "zhou-lei", "周磊", "Free blood pressure checks"));
        using (var admin = await Fixture.Dispatch.LoginAs(DeskWorld.Admin, World.Password))
        {
            await admin.PostOk<JsonObject>("/api/accounts", new { username = member, password = World.Password, displayName = memberName, role = "volunteer", placeId = DeskWorld.Community, skills = Array.Empty<string>() }, HttpStatusCode.Created);
        }

        var page = await SignedIn(locale, "console/organisations");
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "共建单位：", "Organisations: ") + DeskWorld.TownName);

        // Registered with one community of the town.
        await Button(page, T(locale, "登记共建单位", "Register an organisation")).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, "登记共建单位", "Register an organisation") });
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "名称", "Name"), Exact = true }).FillAsync(name);
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "编号（用于网址，创建后不可更改）", "Id (used in addresses, never changes)") }).FillAsync(id);
        await dialog.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "报到社区", "Communities"), Exact = true }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = DeskWorld.CommunityName, Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "名称", "Name"), Exact = true }).ClickAsync(); // a multiple choice stays open: done choosing
        await Button(dialog, T(locale, "登记", "Register")).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync(T(locale, $"已登记{name}。", $"{name} is registered."));
        var list = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "共建单位", "Organisations"), Exact = true });
        await Assertions.Expect(list.GetByRole(AriaRole.Row).Filter(new() { HasText = name })).ToContainTextAsync(DeskWorld.CommunityName);

        // Another community, then a member of the first.
        await Button(page, T(locale, $"查看{name}", $"Open {name}")).ClickAsync();
        var drawer = page.GetByRole(AriaRole.Dialog, new() { Name = name, Exact = true });
        var said = drawer.GetByRole(AriaRole.Status).First; // the drawer's own; its declared posts below have theirs
        await drawer.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "增加报到社区", "Add a community") }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = "东方社区", Exact = true }).ClickAsync();
        await Button(drawer, T(locale, "增加", "Add")).First.ClickAsync();
        await Assertions.Expect(said).ToHaveTextAsync(T(locale, $"{name}已报到东方社区。", $"{name} now reports in to 东方社区."));
        await drawer.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "增加成员", "Add a member") }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = $"{memberName}（{DeskWorld.CommunityName}）", Exact = true }).ClickAsync();
        await Button(drawer, T(locale, "增加", "Add")).Last.ClickAsync();
        await Assertions.Expect(said).ToHaveTextAsync(T(locale, $"{memberName}已成为{name}的成员。", $"{memberName} is a member of {name}."));

        // The second community taken away again: refused while it is the only one left, so it is not offered then.
        await Button(drawer, T(locale, "移除东方社区", "Remove 东方社区")).ClickAsync();
        await Assertions.Expect(said).ToHaveTextAsync(T(locale, $"{name}已不再报到东方社区。", $"{name} no longer reports in to 东方社区."));
        await Assertions.Expect(Button(drawer, T(locale, $"移除{DeskWorld.CommunityName}", $"Remove {DeskWorld.CommunityName}"))).ToHaveCountAsync(0);

        // The member claims two places of an activity for the organisation: the drawer lists it by name.
        using (var staff = await Staff())
        {
            var activity = await staff.PostOk<RequestView>(
                "/api/requests",
                new
                {
                    communityId = DeskWorld.Community,
                    kind = "activity",
                    title,
                    description = "社区活动室。",
                    categories = new[] { "敬老" },
                    urgency = "normal",
                    places = 4,
                    points = 10,
                    beneficiary = new { name = "新华社区敬老院", phone = "13900002222", address = "新华社区5号楼" },
                },
                HttpStatusCode.Created);
            using var memberClient = await Fixture.Dispatch.LoginAs(member, World.Password);
            await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim", new { organisationId = id, places = 2 });
        }

        await page.Keyboard.PressAsync("Escape");
        await Button(page, T(locale, $"查看{name}", $"Open {name}")).ClickAsync();
        var claims = drawer.GetByRole(AriaRole.Region, new() { Name = T(locale, "单位的认领", "Claims of the organisation") });
        var claim = claims.GetByRole(AriaRole.Row).Filter(new() { HasText = title });
        await Assertions.Expect(claim).ToContainTextAsync(memberName);
        await Assertions.Expect(claim).ToContainTextAsync(T(locale, "待认领", "Open"));
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-organisations");
        }

        using var check = await Staff();
        var stored = await check.GetOk<JsonObject>($"/api/organisations/{id}");
        Assert.Equal<string>([DeskWorld.Community], stored["communityIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal<string>([member], stored["members"]!.AsArray().Select(m => m!.GetValue<string>()));
    }
}
