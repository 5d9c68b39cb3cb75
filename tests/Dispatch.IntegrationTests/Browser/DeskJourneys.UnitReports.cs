using System.Globalization;
using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.UnitReports;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Reports for units in the desk (issue #20 item 5): staff read a month's report of a unit the
/// helper reports in to, and export it to Excel with the same numbers.
/// </summary>
public sealed partial class DeskJourneys
{
    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task Staff_read_a_units_report_for_the_month_and_export_it(string locale)
    {
        var unitId = "bank-" + locale.ToLowerInvariant();
        // Units are data, named as the seed names them in either language.
        var unitName = T(locale, "县农商银行", "县供电公司");
        using (var staff = await Staff())
        {
            await staff.PostOk<System.Text.Json.Nodes.JsonObject>("/api/organisations", new { id = unitId, name = unitName, communityIds = new[] { DeskWorld.Community } }, HttpStatusCode.Created);
            await DispatchClient.Expect(await staff.Post($"/api/organisations/{unitId}/members", new { username = DeskWorld.Helper }), HttpStatusCode.OK);
        }

        await ServeAndVerify(T(locale, "为独居老人买药", "Buy medicine for an old man living alone"));
        var (from, to) = ChinaMonth();
        UnitReport expected;
        using (var staff = await Staff())
        {
            expected = await Eventually.Get(
                () => staff.GetOk<UnitReport>($"/api/organisations/{unitId}/report?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}"),
                r => r.Totals.Ratings > 0);
        }

        var page = await SignedIn(locale, $"console/board/{DeskWorld.Town}");
        await page.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "单位报告", "Unit reports") }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, $"{DeskWorld.TownName}单位报告", $"Unit reports of {DeskWorld.TownName}"));
        var table = page.GetByRole(AriaRole.Table, new() { Name = T(locale, $"{unitName}成员服务情况", $"Members of {unitName}") });
        var helper = table.GetByRole(AriaRole.Row).Filter(new() { HasText = DeskWorld.HelperName });
        var line = expected.Members.Single(m => m.Username == DeskWorld.Helper).Figures;
        await Assertions.Expect(helper).ToContainTextAsync(DeskWorld.CommunityName);
        await Assertions.Expect(helper).Not.ToContainTextAsync(DeskWorld.Helper);
        await Assertions.Expect(helper.GetByRole(AriaRole.Cell).Nth(2)).ToHaveTextAsync(line.Hours.ToString("0.##", CultureInfo.InvariantCulture));
        await Assertions.Expect(helper.GetByRole(AriaRole.Cell).Nth(6)).ToHaveTextAsync(line.Points.ToString("#,0", CultureInfo.InvariantCulture));
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-unit-reports");
        }

        var download = await page.RunAndWaitForDownloadAsync(() => Button(page, T(locale, $"导出{unitName}的报告（Excel）", $"Export the report of {unitName} (Excel)")).ClickAsync());
        var rows = XlsxSheet.Read(await File.ReadAllBytesAsync((await download.PathAsync())!));
        var member = rows.Single(r => r.Count > 2 && r[2].Text == DeskWorld.Helper);
        Assert.Equal(
            [unitId, unitName, DeskWorld.Helper, DeskWorld.HelperName, DeskWorld.Community],
            member.Take(5).Select(c => c.Text));
        Assert.Equal(line.Hours, decimal.Parse(member[5].Text, CultureInfo.InvariantCulture));
        Assert.Equal(line.Points, int.Parse(member[10].Text, CultureInfo.InvariantCulture));
        Assert.Equal(line.CommitmentsKept, int.Parse(member[11].Text, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en-US")]
    public async Task A_units_contact_signs_in_to_its_own_report_only_and_exports_it(string locale)
    {
        var unitId = "tax-" + locale.ToLowerInvariant();
        var contact = "unit-" + locale.ToLowerInvariant();
        var unitName = T(locale, "县税务局", "县医疗保障局");
        using (var staff = await Staff())
        {
            await staff.PostOk<System.Text.Json.Nodes.JsonObject>("/api/organisations", new { id = unitId, name = unitName, communityIds = new[] { DeskWorld.Community } }, HttpStatusCode.Created);
            await DispatchClient.Expect(await staff.Post($"/api/organisations/{unitId}/members", new { username = DeskWorld.Helper }), HttpStatusCode.OK);
            await staff.PostOk<System.Text.Json.Nodes.JsonObject>(
                "/api/accounts", new { username = contact, password = World.Password, displayName = "陈静", role = "unit", placeId = unitId }, HttpStatusCode.Created);
        }

        await ServeAndVerify(T(locale, "帮老人取快递", "Fetch a parcel for an old woman"));
        var (from, to) = ChinaMonth();
        UnitReport expected;
        using (var staff = await Staff())
        {
            expected = await Eventually.Get(
                () => staff.GetOk<UnitReport>($"/api/organisations/{unitId}/report?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}"),
                r => r.Totals.Ratings > 0);
        }

        var page = await NewPage(locale, viewport: Desk);
        await page.GotoAsync($"{BaseAddress}console");
        await SignIn(page, contact, TextsOf(locale));

        // It lands on its report, with a menu of that alone: no board, no places, no people.
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, $"{unitName}报到党员服务报告", $"Report of {unitName}"));
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = T(locale, "主菜单", "Main menu") });
        await Assertions.Expect(menu.GetByRole(AriaRole.Menuitem)).ToHaveCountAsync(1);
        await Assertions.Expect(menu.GetByRole(AriaRole.Menuitem, new() { Name = T(locale, "本单位报告", "Our unit's report"), Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = T(locale, "当前用户", "Signed in as") })).ToContainTextAsync(T(locale, "单位联系人", "Unit contact"));
        var table = page.GetByRole(AriaRole.Table, new() { Name = T(locale, $"{unitName}成员服务情况", $"Members of {unitName}") });
        var helper = table.GetByRole(AriaRole.Row).Filter(new() { HasText = DeskWorld.HelperName });
        var line = expected.Members.Single(m => m.Username == DeskWorld.Helper).Figures;
        await Assertions.Expect(helper).ToContainTextAsync(DeskWorld.CommunityName);
        await Assertions.Expect(helper.GetByRole(AriaRole.Cell).Nth(2)).ToHaveTextAsync(line.Hours.ToString("0.##", CultureInfo.InvariantCulture));
        await Assertions.Expect(helper.GetByRole(AriaRole.Cell).Nth(6)).ToHaveTextAsync(line.Points.ToString("#,0", CultureInfo.InvariantCulture));
        await Assertions.Expect(Button(page, T(locale, "导出全部（Excel）", "Export all (Excel)"))).ToHaveCountAsync(0);
        if (locale == "zh-CN")
        {
            await Screenshot(page, "desk-unit-contact-report");
        }

        var download = await page.RunAndWaitForDownloadAsync(() => Button(page, T(locale, $"导出{unitName}的报告（Excel）", $"Export the report of {unitName} (Excel)")).ClickAsync());
        var rows = XlsxSheet.Read(await File.ReadAllBytesAsync((await download.PathAsync())!));
        var member = rows.Single(r => r.Count > 2 && r[2].Text == DeskWorld.Helper);
        Assert.Equal([unitId, unitName, DeskWorld.Helper, DeskWorld.HelperName, DeskWorld.Community], member.Take(5).Select(c => c.Text));
        Assert.Equal(line.Hours, decimal.Parse(member[5].Text, CultureInfo.InvariantCulture));
        Assert.Equal(line.Points, int.Parse(member[10].Text, CultureInfo.InvariantCulture));

        // An address of a page it may not see leads back to its report.
        await page.GotoAsync($"{BaseAddress}console/board/{DeskWorld.Town}");
        await Assertions.Expect(Heading(page)).ToHaveTextAsync(T(locale, $"{unitName}报到党员服务报告", $"Report of {unitName}"));
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/unit-reports$"));
    }

    /// <summary>The fake clock's month in China time, as the desk asks for it.</summary>
    private (string From, string To) ChinaMonth()
    {
        var now = Fixture.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        var first = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.FromHours(8));
        return (first.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), first.AddMonths(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
    }
}
