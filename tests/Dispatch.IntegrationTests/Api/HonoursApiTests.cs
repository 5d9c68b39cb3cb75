using System.Net;
using Dispatch.Activities;
using Dispatch.Honours;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Honour lists and certificates of service through the API, on a fake Clock (November 2026): a
/// clinic where two volunteers of a unit serve one and two hours, points adjusted by hand.
/// </summary>
public sealed class HonoursApiTests() : ClockedWorld(new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero), volunteersPerCommunity: 3)
{
    protected override async Task Seeded()
    {
        await RunClinic();
    }

    [Fact]
    public async Task People_are_ranked_by_hours_and_by_points_for_a_month_and_nobody_outside_it()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As("vol-m1-1");
        await staff.PostOk<LedgerEntry>("/api/volunteers/vol-m1-2/points", new { amount = 7, reason = "Extra help" }, HttpStatusCode.Created);

        var byHours = await staff.GetOk<HonoursList>("/api/places/t1/honours?period=2026-11&by=hours&of=people");
        var byPoints = await volunteer.GetOk<HonoursList>("/api/places/m1/honours?period=2026-Q4&by=points");
        var october = await staff.GetOk<HonoursList>("/api/places/t1/honours?period=2026-10");

        Assert.Equal(
            [(1, "vol-m1-3", "User vol-m1-3", "m1", 2m), (2, "vol-m1-2", "User vol-m1-2", "m1", 1m)],
            byHours.Lines.Select(l => (l.Rank, l.Key, l.Name, l.CommunityId, l.Hours)));
        Assert.Equal((HonoursBy.Hours, HonoursOf.People, "2026-11"), (byHours.By, byHours.Of, byHours.Period));
        Assert.Equal([("vol-m1-2", 7)], byPoints.Lines.Select(l => (l.Key, l.Points)));
        Assert.Empty(october.Lines);
        Assert.Empty((await staff.GetOk<HonoursList>("/api/places/t1/honours?period=2026-11&by=rating")).Lines);
    }

    [Fact]
    public async Task Units_are_ranked_over_their_members()
    {
        using var admin = await App.Admin();

        var units = await admin.GetOk<HonoursList>("/api/places/c1/honours?period=2026&of=units");

        var bank = Assert.Single(units.Lines);
        Assert.Equal(("bank", "县农商银行", 3m, 2), (bank.Key, bank.Name, bank.Hours, bank.Members));
    }

    [Theory]
    [InlineData("period=2026-13", "period")]
    [InlineData("by=hours", "period")]
    [InlineData("period=2026-11&by=speed", "by")]
    [InlineData("period=2026-11&of=pets", "of")]
    public async Task A_bad_query_is_refused_naming_it(string query, string field)
    {
        using var staff = await World.As("staff-t1");

        var problem = await DispatchClient.Problem(await staff.Get($"/api/places/t1/honours?{query}"), HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]?[field]);
    }

    [Fact]
    public async Task Honour_lists_stay_in_scope()
    {
        using var far = await World.As("staff-m3");
        using var volunteer = await World.As("vol-m1-1");

        Assert.Equal("outOfScope", await Reason(far.Get("/api/places/m1/honours?period=2026-11"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(volunteer.Get("/api/places/m3/honours?period=2026-11"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(far.Get("/api/places/nowhere/honours?period=2026-11"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task A_certificate_keeps_the_figures_it_certified_and_anyone_checks_it_on_its_public_page()
    {
        using var staff = await World.As("staff-t1");
        using var anonymous = App.CreateClient();

        var response = await staff.Post("/api/volunteers/vol-m1-3/certificates", new { period = "2026-11" });
        await DispatchClient.Expect(response, HttpStatusCode.Created);
        var issued = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<Certificate>(response.Content, DispatchClient.Json))!;
        Assert.Equal($"/api/certificates/{issued.Id}", response.Headers.Location?.ToString());
        Assert.True(CertificateKeys.IsId(issued.Id), issued.Id);
        Assert.Equal(("User vol-m1-3", "Place m1", 2m, 1, "staff-t1"), (issued.PersonName, issued.Organiser, issued.TotalHours, issued.PersonTimes, issued.IssuedBy));
        Assert.Equal([("Free clinic", "Place m1", 2m)], issued.Services.Select(s => (s.Title, s.Organiser, s.Hours)));

        // Points earned afterwards do not change what was certified.
        await staff.PostOk<LedgerEntry>("/api/volunteers/vol-m1-3/points", new { amount = 9, reason = "Late thanks" }, HttpStatusCode.Created);
        var read = await staff.GetOk<Certificate>($"/api/certificates/{issued.Id}");
        Assert.Equal((issued.Points, issued.TotalHours), (read.Points, read.TotalHours));

        var page = await anonymous.GetAsync($"/verify/{issued.Id}");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("text/html", page.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains("User vol-m1-3", html, StringComparison.Ordinal);
        Assert.Contains("Free clinic", html, StringComparison.Ordinal);
        Assert.DoesNotContain("staff-t1", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/verify/{new string('0', 32)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/verify/not-an-id")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/certificates/{issued.Id}")).StatusCode);
    }

    [Fact]
    public async Task Certificates_are_issued_and_read_by_staff_in_scope_for_a_valid_period_only()
    {
        using var staff = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        using var volunteer = await World.As("vol-m1-3");
        var issued = await staff.PostOk<Certificate>("/api/volunteers/vol-m1-3/certificates", new { period = "2026" }, HttpStatusCode.Created);

        Assert.NotNull((await DispatchClient.Problem(await staff.Post("/api/volunteers/vol-m1-3/certificates", new { period = "last year" }), HttpStatusCode.BadRequest))["errors"]?["period"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post("/api/volunteers/vol-m1-3/certificates", new { }), HttpStatusCode.BadRequest))["errors"]?["period"]);
        Assert.Equal("outOfScope", await Reason(far.Post("/api/volunteers/vol-m1-3/certificates", new { period = "2026" }), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Post("/api/volunteers/vol-m1-3/certificates", new { period = "2026" }), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(far.Get($"/api/certificates/{issued.Id}"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(staff.Get($"/api/certificates/{new string('a', 32)}"), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(staff.Post("/api/volunteers/nobody-here/certificates", new { period = "2026" }), HttpStatusCode.NotFound));
    }

    /// <summary>A two-hour clinic in m1 on 20 November: vol-m1-2 serves an hour, vol-m1-3 to the end; both belong to the unit "bank".</summary>
    private async Task RunClinic()
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
            title = "Free clinic",
            description = "Blood pressure checks.",
            categories = new[] { "health" },
            places = 2,
            points = 5,
            startsAt = start,
            endsAt = start.AddHours(2),
            venue = "Community hall",
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
        await Refresh(staff);
        await staff.GetOk<AttendanceList>($"/api/activities/{activity.Id}/attendance");
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
