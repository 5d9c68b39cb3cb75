using System.Net;
using Dispatch.Activities;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.UnitReports;
using Dispatch.WebHost.UnitReports;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Unit reports (双报告) through the API, on a fake Clock (November 2026): the unit "bank" has two
/// members in m1. 王 serves an hour at a clinic and completes a wish rated 4 (its 10 points); 赵 serves the clinic's
/// two hours, claims a wish and releases it, and earns 6 points by hand. vol-m1-1 is no member.
/// </summary>
public sealed class UnitReportsApiTests() : ClockedWorld(new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero), volunteersPerCommunity: 3)
{
    private const string November = "from=2026-11-01&to=2026-12-01";

    protected override async Task Seeded()
    {
        await RunMonth();
    }

    [Fact]
    public async Task A_units_report_has_each_members_figures_for_the_period_and_their_sums()
    {
        using var staff = await World.As("staff-t1");

        var report = await Eventually.Get(
            () => staff.GetOk<UnitReport>($"/api/organisations/bank/report?{November}"),
            r => r.Totals.Ratings == 1);

        Assert.Equal(("bank", "县农商银行"), (report.OrganisationId, report.Name));
        Assert.Equal(["m1"], report.CommunityIds.ToArray());
        Assert.Equal(
            [
                ("vol-m1-2", "User vol-m1-2", "m1", new UnitFigures(1, 1m, 1, 1, 4m, 1, 10, 2, 0)),
                ("vol-m1-3", "User vol-m1-3", "m1", new UnitFigures(1, 2m, 1, 0, null, 0, 6, 1, 1)),
            ],
            report.Members.Select(m => (m.Username, m.DisplayName, m.CommunityId, m.Figures)));
        Assert.Equal(new UnitFigures(2, 3m, 2, 1, 4m, 1, 16, 3, 1), report.Totals);

        var october = await staff.GetOk<UnitReport>("/api/organisations/bank/report?from=2026-10-01&to=2026-11-01");
        Assert.Equal(new UnitFigures(2, 0m, 0, 0, null, 0, 0, 0, 0), october.Totals);
    }

    [Fact]
    public async Task A_place_lists_the_reports_of_the_units_reporting_in_below_it()
    {
        using var staff = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        await staff.PostOk<System.Text.Json.Nodes.JsonObject>("/api/organisations", new { id = "clinic", name = "县医院", communityIds = new[] { "m2" } }, HttpStatusCode.Created);

        var town = await Eventually.Get(
            () => staff.GetOk<UnitReportList>($"/api/places/t1/unit-reports?{November}"),
            l => l.Items.Sum(i => i.Totals.Ratings) == 1);
        var elsewhere = await far.GetOk<UnitReportList>($"/api/places/m3/unit-reports?{November}");

        Assert.Equal([("bank", 2, 3m), ("clinic", 0, 0m)], town.Items.Select(i => (i.OrganisationId, i.Totals.Members, i.Totals.Hours)));
        Assert.Equal(("t1", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)), (town.PlaceId, town.From));
        Assert.Empty(elsewhere.Items);
    }

    [Fact]
    public async Task The_export_holds_the_same_numbers_as_the_report()
    {
        using var staff = await World.As("staff-t1");
        await Eventually.Get(
            () => staff.GetOk<UnitReport>($"/api/organisations/bank/report?{November}"),
            r => r.Totals.Ratings == 1);

        var xlsx = await staff.Get($"/api/organisations/bank/report/export?{November}&format=xlsx");
        var csv = await staff.Get($"/api/places/t1/unit-reports/export?{November}");

        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        var rows = XlsxSheet.Read(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(UnitReportsApi.Header, rows[0].Select(c => c.Text));
        Assert.Equal(4, rows.Count);
        Assert.Equal(["bank", "县农商银行", "vol-m1-2", "User vol-m1-2", "m1", "1", "1", "1", "4", "1", "10", "2", "0"], rows[1].Select(c => c.Text));
        Assert.True(rows[1][5].IsNumber);
        Assert.Equal(["bank", "县农商银行", "", "", "", "3", "2", "1", "4", "1", "16", "3", "1"], rows[3].Select(c => c.Text));

        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', UnitReportsApi.Header), lines[0]);
        Assert.Equal("bank,县农商银行,,,,3,2,1,4,1,16,3,1", lines[3]);
    }

    [Fact]
    public async Task An_export_asked_for_in_a_language_names_its_columns_in_it_and_keeps_the_numbers()
    {
        using var staff = await World.As("staff-t1");
        await Eventually.Get(
            () => staff.GetOk<UnitReport>($"/api/organisations/bank/report?{November}"),
            r => r.Totals.Ratings == 1);

        var chinese = XlsxSheet.Read(await (await staff.Get($"/api/organisations/bank/report/export?{November}&format=xlsx&lang=zh-CN")).Content.ReadAsByteArrayAsync());
        var english = (await (await staff.Get($"/api/places/t1/unit-reports/export?{November}&lang=en")).Content.ReadAsStringAsync())
            .TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["单位编号", "单位", "用户名", "姓名"], chinese[0].Take(4).Select(c => c.Text));
        Assert.Contains("服务时长（小时）", chinese[0].Select(c => c.Text));
        Assert.Equal(["bank", "县农商银行", "", "", "", "3", "2", "1", "4", "1", "16", "3", "1"], chinese[3].Select(c => c.Text));
        Assert.StartsWith("Unit id,Unit,Username,Name,", english[0], StringComparison.Ordinal);
        Assert.Equal("bank,县农商银行,,,,3,2,1,4,1,16,3,1", english[3]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Get($"/api/places/t1/unit-reports/export?{November}&lang=zh_CN!"), HttpStatusCode.BadRequest))["errors"]?["lang"]);
    }

    [Theory]
    [InlineData("to=2026-12-01", "from")]
    [InlineData("from=2026-11-01", "to")]
    [InlineData("from=yesterday&to=2026-12-01", "from")]
    [InlineData("from=2026-12-01&to=2026-11-01", "to")]
    public async Task A_bad_period_is_refused_naming_the_field(string query, string field)
    {
        using var staff = await World.As("staff-t1");

        foreach (var path in new[] { "/api/organisations/bank/report", "/api/places/t1/unit-reports", "/api/organisations/bank/report/export" })
        {
            var problem = await DispatchClient.Problem(await staff.Get($"{path}?{query}"), HttpStatusCode.BadRequest);
            Assert.NotNull(problem["errors"]?[field]);
        }

        Assert.NotNull((await DispatchClient.Problem(await staff.Get($"/api/places/t1/unit-reports/export?{November}&format=pdf"), HttpStatusCode.BadRequest))["errors"]?["format"]);
    }

    [Fact]
    public async Task Reports_stay_in_scope_and_are_for_staff()
    {
        using var far = await World.As("staff-m3");
        using var member = await World.As("vol-m1-2");

        Assert.Equal("outOfScope", await Reason(far.Get($"/api/organisations/bank/report?{November}"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(far.Get($"/api/organisations/bank/report/export?{November}"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(far.Get($"/api/places/t1/unit-reports?{November}"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(far.Get($"/api/organisations/nobody/report?{November}"), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(far.Get($"/api/places/nowhere/unit-reports?{November}"), HttpStatusCode.NotFound));
        Assert.Equal("roleNotAllowed", await Reason(member.Get($"/api/organisations/bank/report?{November}"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(member.Get($"/api/places/m1/unit-reports?{November}"), HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_units_contact_reads_and_exports_its_own_report_with_the_staffs_figures_and_no_other()
    {
        using var staff = await World.As("staff-t1");
        await staff.PostOk<System.Text.Json.Nodes.JsonObject>("/api/organisations", new { id = "school", name = "县第一中学", communityIds = new[] { "m2" } }, HttpStatusCode.Created);
        await staff.CreateAccount("bank-contact", "unit", "bank");
        using var contact = await World.As("bank-contact");

        var seen = await Eventually.Get(
            () => staff.GetOk<UnitReport>($"/api/organisations/bank/report?{November}"),
            r => r.Totals.Ratings == 1);
        var own = await contact.GetOk<UnitReport>($"/api/organisations/bank/report?{November}");
        var xlsx = await contact.Get($"/api/organisations/bank/report/export?{November}&format=xlsx");

        Assert.Equal(seen.Totals, own.Totals);
        Assert.Equal(seen.Members.Select(m => (m.Username, m.CommunityId, m.Figures)), own.Members.Select(m => (m.Username, m.CommunityId, m.Figures)));
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var rows = XlsxSheet.Read(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal(["bank", "县农商银行", "", "", "", "3", "2", "1", "4", "1", "16", "3", "1"], rows[3].Select(c => c.Text));

        Assert.Equal("outOfScope", await Reason(contact.Get($"/api/organisations/school/report?{November}"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(contact.Get($"/api/organisations/school/report/export?{November}"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(contact.Get($"/api/organisations/nobody/report?{November}"), HttpStatusCode.NotFound));
        Assert.Equal("roleNotAllowed", await Reason(contact.Get($"/api/places/t1/unit-reports?{November}"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(contact.Get("/api/organisations/bank"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(contact.Get("/api/volunteers/vol-m1-2"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(contact.Get("/api/communities/m1/requests"), HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Staff_who_see_a_unit_and_admins_create_and_manage_its_contact_and_nobody_else()
    {
        using var staff = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        using var member = await World.As("vol-m1-2");
        using var admin = await App.Admin();
        var contact = new { username = "bank-desk", password = World.Password, displayName = "李会计", role = "unit", placeId = "bank" };

        Assert.Equal("outOfScope", await Reason(far.Post("/api/accounts", contact), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(member.Post("/api/accounts", contact), HttpStatusCode.Forbidden));
        var noUnit = await DispatchClient.Problem(await staff.Post("/api/accounts", contact with { placeId = "m1" }), HttpStatusCode.BadRequest);
        Assert.NotNull(noUnit["errors"]?["placeId"]);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.Get("/api/accounts/bank-desk")).StatusCode); // Nothing was created on refusal.

        var created = await staff.PostOk<System.Text.Json.Nodes.JsonObject>("/api/accounts", contact, HttpStatusCode.Created);
        Assert.Equal(("unit", "bank"), (created["role"]!.GetValue<string>(), created["placeId"]!.GetValue<string>()));
        await admin.CreateAccount("bank-desk-2", "unit", "bank");

        // Staff who see the bank manage its contact; staff elsewhere do not; nobody moves an account into the role.
        Assert.Equal("outOfScope", await Reason(far.Post("/api/accounts/bank-desk/disable", new { reason = "left" }), HttpStatusCode.Forbidden));
        await DispatchClient.Expect(await staff.Post("/api/accounts/bank-desk/disable", new { reason = "left" }), HttpStatusCode.OK);
        using var anonymous = App.Anonymous();
        Assert.Equal("accountDisabled", await Reason(anonymous.Post("/api/auth/token", new { username = "bank-desk", password = World.Password }), HttpStatusCode.Forbidden));
        var move = await DispatchClient.Problem(await admin.Put("/api/accounts/vol-m1-1/role", new { role = "unit", placeId = "m1" }), HttpStatusCode.BadRequest);
        Assert.NotNull(move["errors"]?["role"]);
    }

    /// <summary>The unit, its members, a clinic on 20 November, a completed and rated wish, a released one, points by hand.</summary>
    private async Task RunMonth()
    {
        using var staff = await World.As("staff-t1");
        using var organiser = await World.As("vol-m1-1");
        using var wang = await World.As("vol-m1-2");
        using var zhao = await World.As("vol-m1-3");
        await staff.PostOk<System.Text.Json.Nodes.JsonObject>("/api/organisations", new { id = "bank", name = "县农商银行", communityIds = new[] { "m1" } }, HttpStatusCode.Created);
        foreach (var member in new[] { "vol-m1-2", "vol-m1-3" })
        {
            await DispatchClient.Expect(await staff.Post("/api/organisations/bank/members", new { username = member }), HttpStatusCode.OK);
        }

        var start = Clock.GetUtcNow().AddHours(1);
        var activity = await staff.PostOk<ActivityView>("/api/activities", new
        {
            communityId = "m1",
            title = "义诊",
            description = "量血压。",
            categories = new[] { "health" },
            places = 2,
            points = 0,
            startsAt = start,
            endsAt = start.AddHours(2),
            venue = "社区活动室",
            organiser = "vol-m1-1",
        }, HttpStatusCode.Created);
        await wang.PostOk<ActivityView>($"/api/activities/{activity.Id}/signup");
        await zhao.PostOk<ActivityView>($"/api/activities/{activity.Id}/signup");
        Clock.SetUtcNow(start);
        await Refresh(staff, organiser, wang, zhao);
        var code = await organiser.GetOk<CheckInCodeView>($"/api/activities/{activity.Id}/check-in-code");
        await wang.PostOk<ActivityView>($"/api/activities/{activity.Id}/check-in", new { code = code.Code });
        await zhao.PostOk<ActivityView>($"/api/activities/{activity.Id}/check-in", new { code = code.Code });
        Clock.SetUtcNow(start.AddHours(1));
        await Refresh(wang);
        await wang.PostOk<ActivityView>($"/api/activities/{activity.Id}/check-out");
        Clock.SetUtcNow(start.AddHours(3));
        await Refresh(staff, wang, zhao);
        await staff.GetOk<AttendanceList>($"/api/activities/{activity.Id}/attendance");

        var wish = await staff.CreateRequest("m1", title: "一个保温杯");
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "送到了" });
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 4 });

        var other = await staff.CreateRequest("m1", title: "一副老花镜");
        await zhao.PostOk<RequestView>($"/api/requests/{other.Id}/claim");
        await zhao.PostOk<RequestView>($"/api/requests/{other.Id}/release");
        await staff.PostOk<LedgerEntry>("/api/volunteers/vol-m1-3/points", new { amount = 6, reason = "楼栋长" }, HttpStatusCode.Created);
    }

    private static async Task Refresh(params DispatchClient[] clients)
    {
        foreach (var client in clients)
        {
            await DispatchClient.Expect(await client.Refresh(), HttpStatusCode.OK);
        }
    }

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();
}
