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

    /// <summary>The fake clock's month in China time, as the desk asks for it.</summary>
    private (string From, string To) ChinaMonth()
    {
        var now = Fixture.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8));
        var first = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.FromHours(8));
        return (first.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), first.AddMonths(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
    }
}
