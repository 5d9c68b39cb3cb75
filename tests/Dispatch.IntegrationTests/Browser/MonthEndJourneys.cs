using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.Activities;
using Dispatch.Honours;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.Schemes;
using Dispatch.Suggestions;
using Dispatch.UnitReports;
using Dispatch.WebHost.Suggestions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Dispatch.IntegrationTests.Browser;

/// <summary>
/// Its own host on its own fake clock, served on Kestrel for Chromium, for the month-end journey
/// alone: the journey moves the clock across November 2026 and past a suggestion's deadline, which
/// the shared journeys' host must not see. It lives as long as the class (disposed with it); the
/// pages open on the shared Chromium, so no second browser is started.
/// </summary>
public sealed class MonthEndWorld() : ClockedWorld(Start, volunteersPerCommunity: 0)
{
    /// <summary>09:00 on 2 November 2026 in China.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time => Clock;

    public DispatchApp Host => App;

    public Uri BaseAddress => App.ClientOptions.BaseAddress;

    protected override DispatchApp CreateApp(string dataDir, FakeTimeProvider clock)
    {
        var contentRoot = Path.Combine(Repository.Root(), "src", "WebHost");
        var app = new DispatchApp(dataDir, clock: clock, configure: host => host.UseContentRoot(contentRoot));
        app.UseKestrel(0);
        app.StartServer();
        return app;
    }
}

/// <summary>
/// Issue #20's "done when": one community's month end, end to end. In 幸福社区 (尼尔基镇, 莫力达瓦旗) the
/// unit 县农商银行 reports in through its contact 王芳, and 李强 and 赵敏 report in naming it; they are
/// approved and declare posts; the county sets a points scheme; staff publish a wish, an errand and
/// two activities; the members claim, check in with the code and complete; 王芳's 楼栋长 role is paid
/// by the monthly run (run twice, posted once); a deputy's suggestion is handed to 住房保障中心 and
/// answered a day late (one climb). Then the unit report, the honour list and the statistics of
/// November show exactly the figures worked out by hand below, in the API, on the desk's pages and
/// in the Excel files. The browser part reads and exports only (the actions are the API's, see each
/// step's comment), so it runs in zh-CN alone.
/// </summary>
public sealed class MonthEndJourneys(BrowserFixture fixture, MonthEndWorld world) : Journey(fixture), IClassFixture<MonthEndWorld>
{
    private const string RegionId = "hulunbuir";
    private const string County = "molidawa";
    private const string Town = "nierji";
    private const string TownName = "尼尔基镇";
    private const string Community = "xingfu";
    private const string CommunityName = "幸福社区";
    private const string UnitName = "县农商银行";
    private const string Staff = "zhou-jie";
    private const string CountyStaff = "sun-li";
    private const string Deputy = "liu-jianguo";
    private const string Department = "housing";
    private const string DepartmentName = "住房保障中心";
    private const string DepartmentClerk = "zhang-hua";
    private const string Wang = "wangfang";
    private const string Li = "liqiang";
    private const string Zhao = "zhaomin";

    /// <summary>The password the three chose when they reported in (not the seeded accounts' one).</summary>
    private const string ReportInPassword = "xingfu-report-in-2026";

    /// <summary>November 2026 in China time: the month the journey runs and every figure counts.</summary>
    private static readonly DateTimeOffset MonthStart = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private static readonly string November =
        $"from={Uri.EscapeDataString(MonthStart.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))}" +
        $"&to={Uri.EscapeDataString(MonthStart.AddMonths(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))}";

    private static readonly ViewportSize Desk = new() { Width = 1366, Height = 768 };

    [Fact]
    public async Task One_communitys_month_end_adds_up_in_the_unit_report_the_honour_list_the_statistics_and_their_exports()
    {
        var clock = world.Time;
        var unitId = await ReportInAndDeclare();
        await SetTheCountysScheme();

        // 3 Nov: a wish worth the scheme's 12 points (request.wish.normal), fulfilled by 赵敏 and rated 5, 45 minutes.
        var wish = await Serve(
            new DateTimeOffset(2026, 11, 3, 1, 0, 0, TimeSpan.Zero), "wish", "为独居的刘奶奶送一台电暖器", Zhao, rating: 5, minutes: 45, claimInApp: true);
        Assert.Equal(12, wish.Award);

        // 4 Nov: an errand (no rule for errands: its own 10 points); 赵敏 claims and gives it back, 李强 does it, rated 4, 30 minutes.
        var errand = await Serve(
            new DateTimeOffset(2026, 11, 4, 1, 0, 0, TimeSpan.Zero), "errand", "帮行动不便的孙大爷代缴水电费", Li, rating: 4, minutes: 30, releasedBy: Zhao);
        Assert.Equal(10, errand.Award);

        // 10 Nov, 09:00–11:00: a free clinic. 王芳 checks in at 09:10 and leaves at 10:10 (60 min); 李强 checks in
        // at 09:10 and stays to the end (110 min); 赵敏 signed up and never came (a no-show).
        var clinic = await Attend(
            new DateTimeOffset(2026, 11, 10, 1, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(2), "幸福社区健康义诊", "幸福社区卫生服务站",
            signUp: [Wang, Li, Zhao], checkIn: [Wang, Li], checkOutAfter: new() { [Wang] = TimeSpan.FromMinutes(60) }, checkInOnPhones: true);
        Assert.Equal((2, 1, 60 + 110), (clinic.PersonTimes, clinic.NoShows, clinic.ServiceMinutes));

        // 12 Nov, 14:00–15:30: a policy talk; 王芳 alone, from 14:10 to the end (80 min). The scheme's cap (15 a month)
        // leaves her 5 of its 10 points.
        var talk = await Attend(
            new DateTimeOffset(2026, 11, 12, 6, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(90), "惠民政策宣讲进小区", "幸福社区党群服务中心",
            signUp: [Wang], checkIn: [Wang], checkOutAfter: []);
        Assert.Equal((1, 0, 80), (talk.PersonTimes, talk.NoShows, talk.ServiceMinutes));

        await HandOverAndAnswerLate();

        // 30 Nov, 18:00: the month's standing roles, run twice by the staff (the run has no desk screen yet: API).
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero));
        using (var staff = await As(Staff))
        {
            var first = await staff.PostOk<StandingRoleRun>($"/api/places/{Community}/points/standing-roles/run", new { month = "2026-11" });
            var second = await staff.PostOk<StandingRoleRun>($"/api/places/{Community}/points/standing-roles/run", new { month = "2026-11" });
            Assert.Equal([(Wang, "楼栋长", 30)], first.Postings.Select(p => (p.Username, p.Role, p.Points)));
            Assert.Equal(first.Postings.Single().Seq, second.Postings.Single().Seq);
            var ledger = await staff.GetOk<PointsStatement>($"/api/volunteers/{Wang}/points?limit=500");
            var role = Assert.Single(ledger.Entries, e => e.Rule == "role.楼栋长");
            Assert.Equal(($"role:{Community}:2026-11:{Wang}:楼栋长", 30, County, (int?)1), (role.Key, role.Change, role.SchemePlaceId, role.SchemeVersion));
            var attended = ledger.Entries.Where(e => e.Rule == "activity.attend").OrderBy(e => e.Seq).Select(e => (e.Key, e.Change));
            Assert.Equal([($"activity:{clinic.ActivityId}", 10), ($"activity:{talk.ActivityId}", 5)], attended);
        }

        // The month worked out by hand. A person-time (人次) is one person serving once: an activity attended
        // (checked in) or a request whose service time the verifier confirmed.
        //   王芳: 60 + 80 min = 2.33 h; 2 person-times (the clinic, the talk); points 10 + 5 (capped) + 30 (楼栋长) = 45;
        //         kept 2 (attended twice).
        //   李强: 110 + 30 min = 2.33 h; 2 person-times (the clinic, the errand's confirmed 30 min); 1 errand rated 4;
        //         points 10 + 10 = 20; kept 2 (the errand completed, the clinic attended).
        //   赵敏: 45 min = 0.75 h; 1 person-time (the wish's confirmed 45 min; the clinic was a no-show); 1 wish rated 5;
        //         points 12; kept 1, broken 1 (the errand given back).
        //   The unit: its lines' hours as shown, 2.33 + 2.33 + 0.75 = 5.41; 2 + 2 + 1 = 5 person-times, as the statistics
        //   count them; 2 completions rated 4.5 on average; 77 points.
        var expectedWang = new UnitFigures(1, 2.33m, 2, 0, null, 0, 45, 2, 0);
        var expectedLi = new UnitFigures(1, 2.33m, 2, 1, 4m, 1, 20, 2, 0);
        var expectedZhao = new UnitFigures(1, 0.75m, 1, 1, 5m, 1, 12, 1, 1);
        var expectedUnit = new UnitFigures(3, 5.41m, 5, 2, 4.5m, 2, 77, 5, 1);

        using (var staff = await As(Staff))
        {
            var report = await Eventually.Get(
                () => staff.GetOk<UnitReport>($"/api/organisations/{unitId}/report?{November}"),
                r => r.Totals.Ratings == 2);
            Assert.Equal((unitId, UnitName), (report.OrganisationId, report.Name));
            Assert.Equal(
                [(Li, "李强", expectedLi), (Wang, "王芳", expectedWang), (Zhao, "赵敏", expectedZhao)],
                report.Members.Select(m => (m.Username, m.DisplayName, m.Figures)));
            Assert.Equal(expectedUnit, report.Totals);
            var list = await staff.GetOk<UnitReportList>($"/api/places/{Town}/unit-reports?{November}");
            Assert.Equal([unitId], list.Items.Select(u => u.OrganisationId)); // not 住房保障中心: a department is no co-building unit

            var byPoints = await staff.GetOk<HonoursList>($"/api/places/{Town}/honours?period=2026-11&by=points");
            Assert.Equal(
                [(1, Wang, "王芳", 2.33m, 45, (decimal?)null, 0), (2, Li, "李强", 2.33m, 20, 4m, 1), (3, Zhao, "赵敏", 0.75m, 12, 5m, 1)],
                byPoints.Lines.Select(l => (l.Rank, l.Key, l.Name, l.Hours, l.Points, l.Rating, l.Ratings)));
            var byHours = await staff.GetOk<HonoursList>($"/api/places/{Town}/honours?period=2026-11&by=hours");
            Assert.Equal([(Li, 1), (Wang, 1), (Zhao, 3)], byHours.Lines.Select(l => (l.Key, l.Rank)).OrderBy(l => l.Key, StringComparer.Ordinal));
            var units = await staff.GetOk<HonoursList>($"/api/places/{Town}/honours?period=2026-11&by=points&of=units");
            var unitLine = Assert.Single(units.Lines);
            Assert.Equal((unitId, UnitName, 3, 77, 4.5m, 2), (unitLine.Key, unitLine.Name, unitLine.Members, unitLine.Points, unitLine.Rating, unitLine.Ratings));
            Assert.Equal(expectedUnit.Hours, unitLine.Hours);

            // The month's statistics: four requests (the wish, the errand, the two activities), one wish fulfilled,
            // one matter done (the errand: the activities are not verified), their 22 points, two ratings.
            var stats = await Eventually.Get(
                () => staff.GetOk<JsonObject>($"/api/places/{Town}/stats?{November}&utcOffset=%2B08:00"),
                s => (int)s["pointsIssued"]! == 77 && (int)s["ratings"]! == 2);
            Assert.Equal(4, (int)stats["requests"]!["total"]!);
            Assert.Equal(2, (int)stats["requests"]!["byStatus"]!["verified"]!);
            Assert.Equal((1, 1, 2), ((int)stats["byKind"]!["wish"]!["total"]!, (int)stats["byKind"]!["errand"]!["total"]!, (int)stats["byKind"]!["activity"]!["total"]!));
            Assert.Equal((1, 1, 22), ((int)stats["wishesFulfilled"]!, (int)stats["mattersDone"]!, (int)stats["pointsAwarded"]!));
            Assert.Equal((2, 4.5), ((int)stats["ratings"]!, (double)stats["averageRating"]!));
            Assert.Equal((4, 77), ((int)stats["registeredVolunteers"]!, (int)stats["pointsIssued"]!));

            // The service and the suggestions of the month. The statistics' hours are the month's 325
            // minutes (140 + 140 + 45) in hours, 5.42, where the unit's report sums its members'
            // rounded lines (5.41); their person-times are the 3 attendances and the 2 requests whose
            // time the verifier confirmed (李强's errand, 赵敏's wish): the unit report's 5.
            Assert.Equal(
                (5.42m, 5, 1, 1),
                ((decimal)stats["hours"]!, (int)stats["personTimes"]!, (int)stats["suggestionsHandedOver"]!, (int)stats["suggestionsAnswered"]!));

            var suggestions = await staff.GetOk<SuggestionStatisticsView>($"/api/suggestions/stats?placeId={Town}&{November}");
            var line = Assert.Single(suggestions.Departments);
            Assert.Equal(
                (Department, DepartmentName, 1, 1, 0, 1, 1, 1, (double?)1.0),
                (line.DepartmentId, line.DepartmentName, line.HandedOver, line.Answered, line.AnsweredOnTime, line.Escalated, line.Rated, line.BasicallySatisfied, line.Satisfaction));

            // The files staff hand the unit and the county: the same numbers.
            var unitSheet = XlsxSheet.Read(await (await staff.Get($"/api/organisations/{unitId}/report/export?{November}&format=xlsx")).Content.ReadAsByteArrayAsync());
            AssertUnitSheet(unitSheet, unitId);
            var statsSheet = XlsxSheet.Read(await (await staff.Get($"/api/places/{Town}/stats/export?{November}&utcOffset=%2B08:00&format=xlsx")).Content.ReadAsByteArrayAsync());
            var header = statsSheet[0].Select(c => c.Text).ToList();
            var town = statsSheet[1];
            string Cell(string column) => town[header.IndexOf(column)].Text;
            Assert.Equal((Town, TownName), (town[0].Text, town[1].Text));
            Assert.Equal(
                ("4", "2", "1", "1", "2", "1", "1", "22", "2", "4.5"),
                (Cell("requests"), Cell("requests.verified"), Cell("byKind.wish"), Cell("byKind.errand"), Cell("byKind.activity"),
                 Cell("wishesFulfilled"), Cell("mattersDone"), Cell("pointsAwarded"), Cell("ratings"), Cell("averageRating")));
            Assert.Equal(
                ("5.42", "5", "1", "1"),
                (Cell("hours"), Cell("personTimes"), Cell("suggestionsHandedOver"), Cell("suggestionsAnswered")));
        }

        await ReadTheMonthInTheDesk(unitId, expectedWang, expectedLi, expectedZhao, expectedUnit);
    }

    /// <summary>
    /// The desk's pages of the month, as the town's staff read them (zh-CN), with the browser's clock on the
    /// host's so that "this month" is November; the unit report downloaded as Excel from its page.
    /// </summary>
    private async Task ReadTheMonthInTheDesk(string unitId, UnitFigures wang, UnitFigures li, UnitFigures zhao, UnitFigures unit)
    {
        var page = await NewPage("zh-CN", Clocked, Desk);
        await page.GotoAsync($"{world.BaseAddress}console/unit-reports");
        await SignIn(page, Staff, Zh);

        await Assertions.Expect(Heading(page)).ToHaveTextAsync($"{TownName}单位报告");
        var table = page.GetByRole(AriaRole.Table, new() { Name = $"{UnitName}成员服务情况" });
        foreach (var (name, figures) in new[] { ("王芳", wang), ("李强", li), ("赵敏", zhao) })
        {
            var row = table.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
            await Assertions.Expect(row).ToContainTextAsync(CommunityName);
            await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(2)).ToHaveTextAsync(figures.Hours.ToString("0.##", CultureInfo.InvariantCulture));
            await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(3)).ToHaveTextAsync(figures.PersonTimes.ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(6)).ToHaveTextAsync(figures.Points.ToString("#,0", CultureInfo.InvariantCulture));
            await Assertions.Expect(row.GetByRole(AriaRole.Cell).Nth(8)).ToHaveTextAsync(figures.CommitmentsBroken.ToString(CultureInfo.InvariantCulture));
        }

        // The unit's totals under its members: the lines' hours as shown, summed.
        var totals = table.Locator("tfoot tr").GetByRole(AriaRole.Cell);
        await Assertions.Expect(totals.Nth(0)).ToHaveTextAsync(unit.Hours.ToString("0.##", CultureInfo.InvariantCulture));
        await Assertions.Expect(totals.Nth(1)).ToHaveTextAsync(unit.PersonTimes.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(totals.Nth(4)).ToHaveTextAsync(unit.Points.ToString(CultureInfo.InvariantCulture));

        await Screenshot(page, "monthend-unit-report");
        var download = await page.RunAndWaitForDownloadAsync(() => Button(page, $"导出{UnitName}的报告（Excel）").ClickAsync());
        AssertUnitSheet(XlsxSheet.Read(await File.ReadAllBytesAsync((await download.PathAsync())!)), unitId);

        await page.GetByRole(AriaRole.Menuitem, new() { Name = "荣誉榜" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync($"{TownName}荣誉榜");
        await page.GetByLabel("排序依据").SelectOptionAsync("points");
        var honours = page.GetByRole(AriaRole.Table, new() { Name = "荣誉榜" }).Locator("tbody tr");
        await Assertions.Expect(honours).ToHaveCountAsync(3);
        foreach (var (index, name, figures) in new[] { (0, "王芳", wang), (1, "李强", li), (2, "赵敏", zhao) })
        {
            var cells = honours.Nth(index).GetByRole(AriaRole.Cell);
            await Assertions.Expect(cells.Nth(0)).ToHaveTextAsync((index + 1).ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(cells.Nth(1)).ToHaveTextAsync(name);
            await Assertions.Expect(cells.Nth(2)).ToHaveTextAsync(CommunityName);
            await Assertions.Expect(cells.Nth(3)).ToHaveTextAsync(figures.Hours.ToString("0.##", CultureInfo.InvariantCulture));
            await Assertions.Expect(cells.Nth(4)).ToHaveTextAsync(figures.Points.ToString(CultureInfo.InvariantCulture));
        }

        await Screenshot(page, "monthend-honours");

        await page.GetByRole(AriaRole.Menuitem, new() { Name = "统计分析" }).ClickAsync();
        await Assertions.Expect(Heading(page)).ToHaveTextAsync($"统计分析：{TownName}");
        var cards = page.GetByRole(AriaRole.List, new() { Name = "本时段指标" });
        foreach (var (label, value) in new[] { ("需求总数", "4"), ("微心愿实现", "1"), ("办成实事", "1"), ("注册志愿者", "4"), ("平均评分", "4.5"), ("服务人次", "5") })
        {
            await Assertions.Expect(cards.GetByRole(AriaRole.Listitem).Filter(new() { HasText = label }).Locator(".value")).ToHaveTextAsync(value);
        }

        await Heading(page).ScrollIntoViewIfNeededAsync();
        await Screenshot(page, "monthend-statistics");
    }

    /// <summary>The unit report's workbook: a row per member (by name), then the unit's totals, as the report has them.</summary>
    private static void AssertUnitSheet(List<List<XlsxCell>> rows, string unitId)
    {
        Assert.Equal(5, rows.Count);
        Assert.Equal([unitId, UnitName, Li, "李强", Community, "2.33", "2", "1", "4", "1", "20", "2", "0"], rows[1].Select(c => c.Text));
        Assert.Equal([unitId, UnitName, Wang, "王芳", Community, "2.33", "2", "0", "", "0", "45", "2", "0"], rows[2].Select(c => c.Text));
        Assert.Equal([unitId, UnitName, Zhao, "赵敏", Community, "0.75", "1", "1", "5", "1", "12", "1", "1"], rows[3].Select(c => c.Text));
        Assert.Equal([unitId, UnitName, "", "", "", "5.41", "5", "2", "4.5", "2", "77", "5", "1"], rows[4].Select(c => c.Text));
        Assert.True(rows[4][5].IsNumber && rows[4][10].IsNumber);
    }

    /// <summary>
    /// The places and staff (an admin's set-up, API), the unit and two members reporting in on the app's join
    /// page and approved in the desk, linked to the unit and declaring posts (API: those screens are being built).
    /// </summary>
    private async Task<string> ReportInAndDeclare()
    {
        using var admin = await world.Host.Admin();
        await Place(RegionId, "呼伦贝尔市", "region", null);
        await Place(County, "莫力达瓦旗", "county", RegionId);
        await Place(Town, TownName, "town", County);
        await Place(Community, CommunityName, "community", Town);
        await Account(Staff, "周杰", "staff", Town);
        await Account(CountyStaff, "孙丽", "staff", County);
        await Account(Deputy, "刘建国", "volunteer", Community);
        await Account(DepartmentClerk, "张华", "staff", County);

        // The deputy, the department and its clerk, and the case policy a suggestion's climbs follow: an admin's (API).
        await DispatchClient.Expect(await admin.Put($"/api/accounts/{Deputy}/representative", new { title = "peoplesCongress" }), HttpStatusCode.OK);
        await admin.PostOk<JsonObject>("/api/organisations", new { id = Department, name = DepartmentName, communityIds = new[] { Community }, kind = "department" }, HttpStatusCode.Created);
        await DispatchClient.Expect(await admin.Put($"/api/accounts/{DepartmentClerk}/department", new { departmentId = Department }), HttpStatusCode.OK);
        var week = "7.00:00:00";
        await DispatchClient.Expect(
            await admin.Put("/api/policies/case/normal", new { claimWithin = week, startWithin = week, completeWithin = week, verifyWithin = week, escalateEvery = week }),
            HttpStatusCode.OK);

        // Reporting in on the app's join page, from the community's link: the unit through its contact 王芳, then 李强 and 赵敏.
        await JoinAsUnit("王芳", "138 4700 1001", Wang, "金融知识讲座，政策宣讲");
        await JoinAsPerson("李强", "138 4700 1002", Li, "驾驶，跑腿代办");
        await JoinAsPerson("赵敏", "138 4700 1003", Zhao, "护理");

        // Approved by the town's staff in the desk's list of report-ins.
        var desk = await NewPage("zh-CN", Clocked, Desk);
        await desk.GotoAsync($"{world.BaseAddress}console/applications");
        await SignIn(desk, Staff, Zh);
        await desk.GetByRole(AriaRole.Menuitem, new() { Name = "报到审核" }).ClickAsync();
        await Assertions.Expect(desk.GetByRole(AriaRole.Row).Filter(new() { HasText = "王芳" })).ToContainTextAsync($"单位{CommunityName}");
        foreach (var (name, message) in new[] { ("王芳", $"{UnitName}已成为本社区的共建单位，联系人王芳。"), ("李强", "李强 已成为本社区志愿者。"), ("赵敏", "赵敏 已成为本社区志愿者。") })
        {
            await Button(desk, $"通过 {name}").ClickAsync();
            await Assertions.Expect(desk.GetByRole(AriaRole.Status)).ToContainTextAsync(message);
        }

        await desk.Context.CloseAsync(); // Before the clock moves on past its session.

        using (var staff = await As(Staff))
        {
            var applications = await staff.GetOk<JsonObject>($"/api/places/{Community}/applications?pageSize=200");
            var decided = applications["items"]!.AsArray().Select(a => ((string)a!["username"]!, (string)a["status"]!, (string?)a["decidedBy"], (string?)a["organisationId"])).OrderBy(a => a.Item1, StringComparer.Ordinal).ToList();
            Assert.Equal([(Li, "approved", Staff), (Wang, "approved", Staff), (Zhao, "approved", Staff)], decided.Select(a => (a.Item1, a.Item2, a.Item3)));
            var unitId = decided.Single(a => a.Item1 == Wang).Item4!;
            foreach (var member in new[] { Li, Zhao })
            {
                await DispatchClient.Expect(await staff.Post($"/api/organisations/{unitId}/members", new { username = member }), HttpStatusCode.OK);
            }

            // The community's posts and what each member declares (API: the posts screens are being built).
            var clinic = await staff.PostOk<JsonObject>($"/api/places/{Community}/posts", new { name = "健康义诊", description = "协助社区卫生服务站开展义诊" }, HttpStatusCode.Created);
            var talk = await staff.PostOk<JsonObject>($"/api/places/{Community}/posts", new { name = "政策宣讲", description = "惠民政策进小区" }, HttpStatusCode.Created);
            var errands = await staff.PostOk<JsonObject>($"/api/places/{Community}/posts", new { name = "跑腿代办", description = "为行动不便的老人代缴代办" }, HttpStatusCode.Created);
            foreach (var (member, post, what, day) in new[]
            {
                (Wang, talk, "讲解医保和养老政策", "saturday"),
                (Li, errands, "开车代办、代缴水电费", "sunday"),
                (Zhao, clinic, "量血压、陪老人就医", "saturday"),
            })
            {
                using var self = await As(member);
                var declared = await self.Http.PutAsJsonAsync(
                    $"/api/volunteers/{member}/posts",
                    new { declarations = new[] { new { postId = (string)post["id"]!, description = what, slots = new[] { new { day, from = "09:00", to = "11:30" } } } } },
                    DispatchClient.Json);
                await DispatchClient.Expect(declared, HttpStatusCode.OK);
            }

            // 王芳 is her building's 楼栋长 from the first of the month (API: the standing roles screen is being built).
            await staff.PostOk<StandingRole>($"/api/places/{Community}/points/standing-roles", new { username = Wang, role = "楼栋长", from = "2026-11-01" }, HttpStatusCode.Created);
            return unitId;
        }

        Task Place(string id, string name, string kind, string? parentId) =>
            admin.PostOk<JsonObject>("/api/places", new { id, name, kind, parentId }, HttpStatusCode.Created);

        Task Account(string username, string displayName, string role, string placeId) =>
            admin.PostOk<JsonObject>("/api/accounts", new { username, password = World.Password, displayName, role, placeId, skills = Array.Empty<string>() }, HttpStatusCode.Created);
    }

    /// <summary>
    /// The county's 积分管理办法 from 1 November (API: the points-scheme desk page is being built): 10 points an
    /// activity attended, at most 15 a month; 12 for a normal wish; 30 a month for a 楼栋长.
    /// </summary>
    private async Task SetTheCountysScheme()
    {
        using var county = await As(CountyStaff);
        var set = await county.Http.PutAsJsonAsync(
            $"/api/places/{County}/points-scheme",
            new
            {
                effectiveFrom = "2026-11-01",
                rules = new object[]
                {
                    new { rule = "activity.attend", points = 10, cap = 15, period = "month" },
                    new { rule = "request.wish.normal", points = 12 },
                    new { rule = "role.楼栋长", points = 30 },
                },
            },
            DispatchClient.Json);
        await DispatchClient.Expect(set, HttpStatusCode.OK);
    }

    /// <summary>
    /// A request published on <paramref name="at"/> and served by <paramref name="by"/>: claimed at once (on their
    /// phone, or after <paramref name="releasedBy"/> claimed and gave it back), done within the hour, verified with a
    /// rating and its minutes confirmed. Publishing, starting, completing and verifying through the API: each has
    /// its own journey, and the desk's publish form has no fields this month needs that the API lacks.
    /// </summary>
    private async Task<RequestView> Serve(
        DateTimeOffset at, string kind, string title, string by, int rating, int minutes, string? releasedBy = null, bool claimInApp = false)
    {
        world.Time.SetUtcNow(at);
        using var staff = await As(Staff);
        using var volunteer = await As(by);
        var request = await staff.PostOk<RequestView>("/api/requests", new
        {
            communityId = Community,
            kind,
            title,
            description = "幸福社区居民求助，社区党委登记。",
            categories = new[] { kind == "wish" ? "生活物资" : "代办" },
            urgency = "normal",
            places = 1,
            points = 10,
            beneficiary = new { name = "孙秀英", phone = "139 4700 2002", address = "幸福社区5号楼1单元" },
        }, HttpStatusCode.Created);
        if (releasedBy is not null)
        {
            using var other = await As(releasedBy);
            await other.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
            await other.PostOk<RequestView>($"/api/requests/{request.Id}/release");
        }

        if (claimInApp)
        {
            // Claimed on the member's phone, from the community's open requests.
            var phone = await App(by);
            await Tap(Button(Group(Region(phone, "本社区待认领需求"), title), "认领"));
            await Assertions.Expect(phone.GetByRole(AriaRole.Status)).ToHaveTextAsync("认领成功，谢谢！");
            await Assertions.Expect(Group(Region(phone, "我的认领"), title)).ToBeVisibleAsync();
            await phone.Context.CloseAsync(); // Before the clock moves on past its session.
        }
        else
        {
            await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        }

        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/start");
        world.Time.Advance(TimeSpan.FromHours(1));
        await DispatchClient.Expect(await volunteer.Refresh(), HttpStatusCode.OK);
        await DispatchClient.Expect(await staff.Refresh(), HttpStatusCode.OK);
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { note = "已办好，老人很满意" });
        var verified = await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = true, rating });
        await DispatchClient.Expect(await staff.Post($"/api/requests/{request.Id}/hours", new { minutes }), HttpStatusCode.OK);
        return verified;
    }

    /// <summary>
    /// An activity starting at <paramref name="start"/>, published the day before: who signs up, who checks in ten
    /// minutes after the start with the code the organiser shows (on their phones, or through the API), who leaves
    /// early; then read after its end, which closes it (no-shows, check-outs at the end, hours and points).
    /// Publishing, signing up and checking out through the API: each has its own journey.
    /// </summary>
    private async Task<AttendanceList> Attend(
        DateTimeOffset start, TimeSpan length, string title, string venue, string[] signUp, string[] checkIn, Dictionary<string, TimeSpan> checkOutAfter, bool checkInOnPhones = false)
    {
        world.Time.SetUtcNow(start.AddDays(-1));
        ActivityView activity;
        using (var staff = await As(Staff))
        {
            activity = await staff.PostOk<ActivityView>("/api/activities", new
            {
                communityId = Community,
                title,
                description = "社区党委组织，报到党员参加。",
                categories = new[] { "组团服务" },
                places = 3,
                points = 5,
                startsAt = start,
                endsAt = start + length,
                venue,
                organiser = Staff,
            }, HttpStatusCode.Created);
            foreach (var member in signUp)
            {
                using var self = await As(member);
                await self.PostOk<ActivityView>($"/api/activities/{activity.Id}/signup");
            }
        }

        world.Time.SetUtcNow(start.AddMinutes(10));
        using (var staff = await As(Staff))
        {
            // The code the organiser shows at the venue (the desk's drawer shows it: ActivityJourneys).
            var code = await staff.GetOk<CheckInCodeView>($"/api/activities/{activity.Id}/check-in-code");
            foreach (var member in checkIn)
            {
                if (checkInOnPhones)
                {
                    // On the phone, from the community's list to the activity's page (the app's own navigation: the
                    // refresh cookie, dated by the host's clock, is already past in the browser's real one).
                    var phone = await App(member);
                    await Tap(Button(Group(Region(phone, "本社区待认领需求"), title), "详情"));
                    var panel = Region(phone, "活动");
                    await Assertions.Expect(panel).ToContainTextAsync("已报名");
                    await panel.GetByRole(AriaRole.Textbox, new() { Name = "活动签到码" }).FillAsync(code.Code);
                    await Tap(Button(panel, "签到"));
                    await Assertions.Expect(panel).ToContainTextAsync("已签到");
                    await phone.Context.CloseAsync();
                }
                else
                {
                    using var self = await As(member);
                    await self.PostOk<ActivityView>($"/api/activities/{activity.Id}/check-in", new { code = code.Code });
                }
            }
        }

        foreach (var (member, after) in checkOutAfter)
        {
            world.Time.SetUtcNow(start.AddMinutes(10) + after);
            using var self = await As(member);
            await self.PostOk<ActivityView>($"/api/activities/{activity.Id}/check-out");
        }

        world.Time.SetUtcNow(start + length + TimeSpan.FromMinutes(30));
        using (var staff = await As(Staff))
        {
            return await staff.GetOk<AttendanceList>($"/api/activities/{activity.Id}/attendance");
        }
    }

    /// <summary>
    /// 刘建国 files a suggestion on 16 November; staff hand it to 住房保障中心 with a week's deadline (API: the desk's
    /// suggestions page has its own journey); the deadline passes and it climbs once, to the town; the department
    /// answers a day late and the deputy rates the answer 基本满意.
    /// </summary>
    private async Task HandOverAndAnswerLate()
    {
        world.Time.SetUtcNow(new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.Zero));
        using var deputy = await As(Deputy);
        using var staff = await As(Staff);
        var lift = await deputy.PostOk<SuggestionView>("/api/suggestions", new
        {
            kind = "suggestion",
            title = "幸福社区老旧楼加装电梯",
            content = "5号楼、6号楼均为六层老楼，高龄老人上下楼困难，建议纳入既有住宅加装电梯计划。",
            placeId = Community,
        }, HttpStatusCode.Created);
        var deadline = world.Time.GetUtcNow().AddDays(7);
        await staff.PostOk<SuggestionHandoverResult>("/api/suggestions/handovers", new { departmentId = Department, suggestionIds = new[] { lift.Id }, deadline });

        world.Time.SetUtcNow(deadline.AddDays(1));
        using var town = await As(Staff);
        var climbed = await Eventually.Get(() => town.GetOk<SuggestionView>($"/api/suggestions/{lift.Id}"), s => s.Level == 1);
        Assert.True(climbed.Overdue);
        using var clerk = await As(DepartmentClerk);
        var answered = await clerk.PostOk<SuggestionView>($"/api/suggestions/{lift.Id}/answer", new { answer = "已将5号楼、6号楼列入明年既有住宅加装电梯计划，正征求住户意见。" });
        Assert.Equal((false, 1), (answered.AnsweredOnTime, answered.Level));
        using var rater = await As(Deputy);
        await rater.PostOk<SuggestionView>($"/api/suggestions/{lift.Id}/rating", new { rating = "basicallySatisfied" });

        var history = await town.GetOk<SuggestionEvent[]>($"/api/suggestions/{lift.Id}/history");
        Assert.Equal(
            [SuggestionAction.Filed, SuggestionAction.HandedOver, SuggestionAction.Escalated, SuggestionAction.Answered, SuggestionAction.Rated],
            history.Select(h => h.Action));
        var climb = Assert.Single(history, h => h.Action == SuggestionAction.Escalated);
        Assert.Equal((1, Town), (climb.Level, climb.PlaceId));
    }

    /// <summary>The browser's clock set to the host's, so that the pages' "now" and "this month" are the journey's.</summary>
    private Task Clocked(IPage page) => page.Clock.InstallAsync(new() { TimeDate = world.Time.GetUtcNow().UtcDateTime });

    /// <summary>A phone on the app's join page from the community's link.</summary>
    private async Task<IPage> JoinPage()
    {
        var page = await NewPage("zh-CN", Clocked, AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{world.BaseAddress}app/join/{Community}");
        return page;
    }

    /// <summary>The unit reports in through its contact, naming what it offers (资源清单).</summary>
    private async Task JoinAsUnit(string contact, string phone, string username, string offers)
    {
        var page = await JoinPage();
        await page.GetByRole(AriaRole.Radio, new() { Name = "单位报到" }).TapAsync();
        await Field(page, "单位名称").FillAsync(UnitName);
        await Field(page, "联系人").FillAsync(contact);
        await Field(page, "手机号码").FillAsync(phone);
        await Field(page, "可提供的资源").FillAsync(offers);
        await Field(page, "用户名").FillAsync(username);
        await Field(page, "密码").FillAsync(ReportInPassword);
        await Tap(Button(page, "提交报到"));
        await Submitted(page);
    }

    /// <summary>A party member reports in, naming the unit they work for.</summary>
    private async Task JoinAsPerson(string name, string phone, string username, string skills)
    {
        var page = await JoinPage();
        await Field(page, "姓名").FillAsync(name);
        await Field(page, "手机号码").FillAsync(phone);
        await Field(page, "工作单位").FillAsync(UnitName);
        await page.GetByRole(AriaRole.Switch, new() { Name = "在职党员" }).TapAsync();
        await Field(page, "个人特长").FillAsync(skills);
        await Field(page, "用户名").FillAsync(username);
        await Field(page, "密码").FillAsync(ReportInPassword);
        await Tap(Button(page, "提交报到"));
        await Submitted(page);
    }

    /// <summary>
    /// Waits for the report-in to be taken, then closes the phone's window: its applicant session ends when staff
    /// approve (the member signs in again as a volunteer on another phone below).
    /// </summary>
    private static async Task Submitted(IPage page)
    {
        await Assertions.Expect(page.GetByText("等待审核", new() { Exact = true })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>A member's phone, signed in to the app with the password they chose when they reported in.</summary>
    private async Task<IPage> App(string username)
    {
        var page = await NewPage("zh-CN", Clocked, AppJourneys.Phone, touch: true);
        await page.GotoAsync($"{world.BaseAddress}app");
        await page.GetByRole(AriaRole.Textbox, new() { Name = Zh.Username, Exact = true }).FillAsync(username);
        await page.GetByLabel(Zh.Password, new() { Exact = true }).FillAsync(ReportInPassword);
        await Tap(Button(page, Zh.SignIn));
        await Assertions.Expect(Region(page, "本社区待认领需求")).ToBeVisibleAsync();
        return page;
    }

    private static ILocator Field(IPage page, string label) => page.GetByRole(AriaRole.Textbox, new() { Name = label, Exact = true });

    /// <summary>Signs in anew (the fake clock moves by days, past any token's life).</summary>
    private Task<DispatchClient> As(string username) =>
        world.Host.LoginAs(username, username is Wang or Li or Zhao ? ReportInPassword : World.Password);

    private static ILocator Heading(IPage page) => page.GetByRole(AriaRole.Heading, new() { Level = 1 });
}
