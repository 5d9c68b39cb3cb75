using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Posts;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Menu service (菜单式, issue #20 item 1): staff open the community's menu of declared services,
/// pick 陈杰's for a resident, and the request is published and offered straight to him.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_order_a_volunteers_declared_service_for_a_resident_from_the_menu(string locale)
    {
        const string barber = "chen-jie";
        // Posts are data, named in Chinese in either language; one a run, so that each finds its own.
        var postName = T(locale, "理发", "剪发");
        using (var staff = await Staff())
        {
            await staff.PostOk<ServicePost>($"/api/places/{DeskWorld.Other}/posts", new { name = postName, description = "为行动不便的老人理发" }, HttpStatusCode.Created);
            var posts = await staff.GetOk<CommunityPostsView>($"/api/places/{DeskWorld.Other}/posts");
            var response = await staff.Put($"/api/volunteers/{barber}/posts", new
            {
                declarations = posts.Posts.Select(p => new { postId = p.Id, description = "自带工具上门服务", slots = new[] { new { day = "saturday", from = "09:00", to = "11:30" } } }),
            });
            await DispatchClient.Expect(response, HttpStatusCode.OK);
        }

        var page = await SignedIn(locale, $"console/board/{DeskWorld.Other}");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "服务菜单", "Service menu") }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, "东方社区服务菜单", "Service menu of 东方社区"));
        var menu = page.GetByRole(AriaRole.Table, new() { Name = T(locale, "服务菜单", "Service menu"), Exact = true });
        var row = menu.GetByRole(AriaRole.Row).Filter(new() { HasText = postName }).Filter(new() { HasText = "陈杰" });
        await Assertions.Expect(row).ToContainTextAsync(T(locale, "周六 09:00–11:30", "Sat 09:00–11:30"));
        await Assertions.Expect(row).Not.ToContainTextAsync(barber);
        await row.GetByRole(AriaRole.Button, new() { Name = T(locale, $"为居民点单：{postName}（陈杰）", $"Order for a resident: {postName} (陈杰)") }).ClickAsync();

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = T(locale, $"点单：{postName}（陈杰）", $"Order: {postName} (陈杰)") });
        var send = Button(dialog, T(locale, "发布并派单", "Publish and offer"));
        await send.ClickAsync();
        var required = T(locale, "请填写服务对象姓名。", "Enter the resident's name.");
        await Assertions.Expect(dialog).ToContainTextAsync(required);
        await dialog.GetByLabel(T(locale, "服务对象姓名", "Resident's name")).FillAsync("吴秀兰");
        await Assertions.Expect(dialog).Not.ToContainTextAsync(required);
        await dialog.GetByLabel(T(locale, "联系电话", "Phone")).FillAsync("13900001111");
        await dialog.GetByLabel(T(locale, "地址", "Address")).FillAsync("东方社区3号楼2单元");
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-service-menu-order");
        }

        await send.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(T(locale, $"已发布“{postName}”并派给陈杰", $"“{postName}” is published and offered to 陈杰, who answers by"));
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-service-menu");
        }

        // The request is on the community's board, offered to him alone, and he takes it.
        using (var staff = await Staff())
        using (var chen = await Fixture.Dispatch.LoginAs(barber, World.Password))
        {
            var board = await Eventually.Get(
                () => staff.GetOk<JsonObject>($"/api/communities/{DeskWorld.Other}/requests?pageSize=100"),
                b => b["items"]!.AsArray().Any(r => r!["title"]!.GetValue<string>() == postName));
            var listed = board["items"]!.AsArray().Single(r => r!["title"]!.GetValue<string>() == postName)!;
            Assert.Equal(barber, listed["offerTo"]?.GetValue<string>());
            var id = listed["id"]!.GetValue<string>();
            var ordered = await staff.GetOk<RequestView>($"/api/requests/{id}");
            Assert.Equal(("吴秀兰", RequestKind.Errand), (ordered.Beneficiary?.Name, ordered.Kind));
            var taken = await chen.PostOk<RequestView>($"/api/requests/{id}/offer/accept");
            Assert.Equal([barber], taken.Claimants.ToArray());
        }
    }
}
