using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// The board as a table (issue #18 item 3): the same filters, rows with checkboxes, bulk actions
/// whose every row shows its own outcome (one refused row holding none of the others back), and
/// views saved under a name on the server, found again after a reload.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_act_on_many_requests_from_the_table_and_save_a_view(string locale)
    {
        using var staff = await Staff();
        // A volunteer of this journey's own: the shared ones may hold as many claims as allowed by now.
        var (claimant, claimantName) = Pick(locale, ("tian-lei", "田磊"), ("xu-ning", "徐宁"));
        await NewVolunteer(claimant, claimantName, points: 0);
        using var volunteer = await Fixture.Dispatch.LoginAs(claimant, World.Password);
        var tag = T(locale, "批量", "Bulk");
        var first = await Publish(staff, T(locale, "批量：给王大妈送菜", "Bulk: vegetables for Auntie Wang"), "wish", "normal", "生活用品");
        var second = await Publish(staff, T(locale, "批量：帮孙爷爷取药", "Bulk: medicine for Grandpa Sun"), "errand", "normal", "买药");
        var taken = await Publish(staff, T(locale, "批量：陪李奶奶散步", "Bulk: a walk with Granny Li"), "wish", "normal", "陪伴");
        await volunteer.PostOk<RequestView>($"/api/requests/{taken.Id}/claim");
        ExpectConsoleError("status of 409 (Conflict)"); // Chromium reports the refused edit of the claimed one as a failed load.

        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await Button(page, T(locale, "表格", "Table")).ClickAsync();
        var table = page.GetByRole(AriaRole.Region, new() { Name = T(locale, "需求表格", "Requests table") });
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "在已加载的需求中搜索", "Search the loaded requests") }).FillAsync(tag);
        await Assertions.Expect(table.GetByRole(AriaRole.Row)).ToHaveCountAsync(4); // the header and three rows
        await Assertions.Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = taken.Title })).ToContainTextAsync(claimantName);

        // All three made critical at once: the claimed one is refused, in words, and the others change.
        await table.GetByRole(AriaRole.Checkbox, new() { Name = T(locale, "全选本页", "Select this page") }).CheckAsync();
        await Assertions.Expect(table.GetByText(T(locale, "已选 3 条", "3 selected"))).ToBeVisibleAsync();
        await Button(table, T(locale, "改紧急程度", "Change urgency")).ClickAsync();
        await table.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "新的紧急程度", "New urgency") }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = T(locale, "特急", "Critical"), Exact = true }).ClickAsync();
        await Button(table, T(locale, "修改紧急程度", "Apply the urgency")).ClickAsync();
        var results = table.GetByRole(AriaRole.Region, new() { Name = T(locale, "批量操作结果", "Results of the bulk action") });
        await Assertions.Expect(results.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "2 条成功，1 条未成功", "2 done, 1 refused"));
        await Assertions.Expect(results.GetByRole(AriaRole.Listitem).Filter(new() { HasText = taken.Title })).ToContainTextAsync(
            T(locale, "已有志愿者认领或已派单给志愿者，不能再修改", "A volunteer holds or has been offered this request"));
        await Assertions.Expect(results.GetByRole(AriaRole.Listitem).Filter(new() { HasText = first.Title })).ToContainTextAsync(T(locale, "已完成", "Done"));
        Assert.Equal(Urgency.Critical, (await staff.GetOk<RequestView>($"/api/requests/{first.Id}")).Urgency);
        Assert.Equal(Urgency.Critical, (await staff.GetOk<RequestView>($"/api/requests/{second.Id}")).Urgency);
        Assert.Equal(Urgency.Normal, (await staff.GetOk<RequestView>($"/api/requests/{taken.Id}")).Urgency);

        // The refused row stays selected; one more is cancelled with a reason and leaves the table.
        await table.GetByRole(AriaRole.Checkbox, new() { Name = $"{T(locale, "选择", "Select")} {taken.Title}" }).UncheckAsync();
        await table.GetByRole(AriaRole.Checkbox, new() { Name = $"{T(locale, "选择", "Select")} {first.Title}" }).CheckAsync();
        await Button(table, T(locale, "批量取消", "Cancel selected")).ClickAsync();
        var confirm = Button(table, T(locale, "确认取消所选需求", "Cancel the selected requests"));
        await Assertions.Expect(confirm).ToBeDisabledAsync();
        await table.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "取消原因", "Reason for cancelling") }).FillAsync(T(locale, "重复登记", "Entered twice"));
        await confirm.ClickAsync();
        await Assertions.Expect(results.GetByRole(AriaRole.Status)).ToHaveTextAsync(T(locale, "1 条成功，0 条未成功", "1 done, 0 refused"));
        await Assertions.Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = first.Title })).ToHaveCountAsync(0);
        var cancelled = await staff.GetOk<RequestView>($"/api/requests/{first.Id}");
        Assert.Equal((RequestStatus.Cancelled, T(locale, "重复登记", "Entered twice")), (cancelled.Status, cancelled.CancelReason));

        // Only the critical ones, with fewer columns, saved under a name.
        var urgency = page.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "紧急程度", "Urgency"), Exact = true });
        await urgency.ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = T(locale, "特急", "Critical"), Exact = true }).ClickAsync();
        await Assertions.Expect(table.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        var viewName = T(locale, "特急批量", "Critical bulk") + $" {Guid.NewGuid().ToString("N")[..6]}";
        await Button(page, T(locale, "保存当前视图", "Save this view")).ClickAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "视图名称", "View name") }).FillAsync(viewName);
        await Button(page, T(locale, "保存", "Save")).ClickAsync();
        await Assertions.Expect(page.GetByText(T(locale, $"视图“{viewName}”已保存。", $"View “{viewName}” saved."))).ToBeVisibleAsync();
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-board-table");
        }

        // Kept on the server for this person: after a reload (filters gone) choosing it brings them back.
        var views = await staff.GetOk<JsonArray>("/api/me/views");
        Assert.Contains(views, v => v!["name"]!.GetValue<string>() == viewName && v["filters"]!["urgency"]!.GetValue<string>() == "critical");
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Textbox, new() { Name = T(locale, "在已加载的需求中搜索", "Search the loaded requests") }).FillAsync(tag);
        await Assertions.Expect(table.GetByRole(AriaRole.Row)).ToHaveCountAsync(3);
        await page.GetByRole(AriaRole.Combobox, new() { Name = T(locale, "选择视图", "Choose a view") }).ClickAsync(new() { Force = true });
        await page.GetByRole(AriaRole.Option, new() { Name = viewName, Exact = true }).ClickAsync();
        await Assertions.Expect(table.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        await Assertions.Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = second.Title })).ToBeVisibleAsync();

        // Auto-dispatch from the table: the request goes out as an offer.
        await table.GetByRole(AriaRole.Checkbox, new() { Name = $"{T(locale, "选择", "Select")} {second.Title}" }).CheckAsync();
        await Button(table, T(locale, "批量自动派单", "Auto-dispatch selected")).ClickAsync();
        await Assertions.Expect(results.GetByRole(AriaRole.Listitem).Filter(new() { HasText = second.Title })).ToContainTextAsync(T(locale, "已完成", "Done"));
        var offered = await staff.GetOk<RequestView>($"/api/requests/{second.Id}");
        Assert.True(offered.Offer?.Auto);

        await Button(page, T(locale, "删除视图", "Delete the view")).ClickAsync();
        await Assertions.Expect(page.GetByText(T(locale, $"视图“{viewName}”已删除。", $"View “{viewName}” deleted."))).ToBeVisibleAsync();
        Assert.DoesNotContain(await staff.GetOk<JsonArray>("/api/me/views"), v => v!["name"]!.GetValue<string>() == viewName);
    }
}
