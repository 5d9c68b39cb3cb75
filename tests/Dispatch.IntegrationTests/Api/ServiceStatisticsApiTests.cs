using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dispatch.Activities;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.Suggestions;
using Dispatch.WebHost.Statistics;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// The seed's other figures on the statistics for a period: service hours, person-times (人次) and
/// suggestions handed over and answered, on a fake clock. In November: a clinic in m1 attended by
/// two (60 and 120 minutes), a request in m2 served by two claimants (30 minutes each), a
/// suggestion about m1 handed over and answered in time; in December: a wish in m1 (20 minutes) and
/// a suggestion handed over, which November does not count.
/// </summary>
public sealed class ServiceStatisticsApiTests
{
    private const string November = "from=2026-11-01&to=2026-12-01";

    private static readonly DateTimeOffset Start = new(2026, 11, 20, 1, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSQL)]
    public async Task Hours_person_times_and_suggestions_are_counted_for_the_period_in_all_and_per_place(StoreKind kind)
    {
        await using var store = await TestStore.Create(kind);
        var clock = new FakeTimeProvider(Start);
        await using var app = store.App(clock);
        var world = await World.Create(app, volunteersPerCommunity: 3);
        await RunNovemberAndDecember(world, clock);
        using var staff = await world.As("staff-t1");
        using var admin = await app.Admin();

        var november = await Eventually.Get(
            () => staff.GetOk<PeriodStatistics>($"/api/places/t1/stats?{November}&groupBy=community"),
            s => s.PersonTimes == 4 && s.SuggestionsAnswered == 1);
        Assert.Equal((4.0m, 4, 1, 1, 1), (november.Hours, november.PersonTimes, november.SuggestionsHandedOver, november.SuggestionsAnswered, november.SuggestionsAnsweredOnTime));
        Assert.Equal(
            [("m1", 3.0m, 2, 1, 1), ("m2", 1.0m, 2, 0, 0)],
            november.Groups.Select(g => (g.Key, g.Hours!.Value, g.PersonTimes!.Value, g.SuggestionsHandedOver!.Value, g.SuggestionsAnswered!.Value)));

        // The JSON members by name, as clients read them.
        var json = await staff.GetOk<JsonObject>($"/api/places/m1/stats?{November}");
        Assert.Equal((3.0m, 2, 1, 1), (json["hours"]!.GetValue<decimal>(), json["personTimes"]!.GetValue<int>(), json["suggestionsHandedOver"]!.GetValue<int>(), json["suggestionsAnswered"]!.GetValue<int>()));

        // December's work is December's; all time counts both months, in the all-time shape too.
        var december = await staff.GetOk<PeriodStatistics>("/api/places/t1/stats?from=2026-12-01&to=2027-01-01");
        Assert.Equal((0.33m, 1, 1, 0), (december.Hours, december.PersonTimes, december.SuggestionsHandedOver, december.SuggestionsAnswered));
        var allTime = await staff.GetOk<JsonObject>("/api/places/t1/stats");
        Assert.False(allTime.ContainsKey("groups"));
        Assert.Equal((4.33m, 5, 2, 1, 1), (
            allTime["hours"]!.GetValue<decimal>(), allTime["personTimes"]!.GetValue<int>(), allTime["suggestionsHandedOver"]!.GetValue<int>(),
            allTime["suggestionsAnswered"]!.GetValue<int>(), allTime["suggestionsAnsweredOnTime"]!.GetValue<int>()));

        // The town next door had none of it; months and kinds carry no share of their own.
        var county = await admin.GetOk<PeriodStatistics>($"/api/places/c1/stats?{November}&groupBy=town");
        Assert.Equal([("t1", 4.0m, 4, 1)], county.Groups.Select(g => (g.Key, g.Hours!.Value, g.PersonTimes!.Value, g.SuggestionsHandedOver!.Value)));
        Assert.Equal(0m, (await admin.GetOk<PeriodStatistics>($"/api/places/t2/stats?{November}")).Hours);
        var byKind = await staff.GetOk<JsonObject>($"/api/places/t1/stats?{November}&groupBy=kind");
        Assert.All(byKind["groups"]!.AsArray(), g => Assert.Null(g!["hours"]));
        Assert.All(byKind["groups"]!.AsArray(), g => Assert.Null(g!["suggestionsHandedOver"]));
    }

    [Fact]
    public async Task The_export_appends_the_new_columns_in_the_readers_language()
    {
        await using var store = await TestStore.Create(StoreKind.Sqlite);
        var clock = new FakeTimeProvider(Start);
        await using var app = store.App(clock);
        var world = await World.Create(app, volunteersPerCommunity: 3);
        await RunNovemberAndDecember(world, clock);
        using var staff = await world.As("staff-t1");
        await Eventually.Get(() => staff.GetOk<PeriodStatistics>($"/api/places/t1/stats?{November}"), s => s.PersonTimes == 4 && s.SuggestionsAnswered == 1);

        var lines = await Csv(staff, $"/api/places/t1/stats/export?{November}&groupBy=community");
        var columns = lines[0].Split(',').ToList();
        Assert.Equal(["residentSatisfaction", "hours", "personTimes", "suggestionsHandedOver", "suggestionsAnswered", "suggestionsAnsweredOnTime"], columns.TakeLast(6));
        Assert.Equal(["t1", "4", "4", "1", "1", "1"], [lines[1].Split(',')[0], .. lines[1].Split(',').TakeLast(5)]);
        Assert.Equal(["m1", "3", "2", "1", "1", "1"], [lines[2].Split(',')[0], .. lines[2].Split(',').TakeLast(5)]);
        Assert.Equal(["m2", "1", "2", "0", "0", "0"], [lines[3].Split(',')[0], .. lines[3].Split(',').TakeLast(5)]);

        var chinese = (await Csv(staff, $"/api/places/t1/stats/export?{November}&lang=zh-CN"))[0].Split(',');
        Assert.Equal(["服务时长（小时）", "服务人次", "交办建议", "已办理答复", "按期答复"], chinese.TakeLast(5));
        var english = (await Csv(staff, $"/api/places/t1/stats/export?{November}&lang=en"))[0].Split(',');
        Assert.Equal(["Service hours", "Person-times", "Suggestions handed over", "Suggestions answered", "Answered on time"], english.TakeLast(5));

        // A month's groups carry no hours or suggestions: empty cells.
        var byMonth = await Csv(staff, $"/api/places/t1/stats/export?{November}&groupBy=month");
        Assert.Equal(["2026-11", "", "", "", "", ""], [byMonth[2].Split(',')[0], .. byMonth[2].Split(',').TakeLast(5)]);

        var xlsx = XlsxSheet.Read(await (await staff.Get($"/api/places/t1/stats/export?{November}&format=xlsx")).Content.ReadAsByteArrayAsync());
        Assert.Equal(("4", true), (xlsx[1][^5].Text, xlsx[1][^5].IsNumber));
    }

    private static async Task<string[]> Csv(DispatchClient client, string path)
    {
        var response = await client.Get(path);
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>November's clinic, request and answered suggestion; then December's wish and handed-over suggestion.</summary>
    private static async Task RunNovemberAndDecember(World world, FakeTimeProvider clock)
    {
        var admin = world.Admin;
        await admin.PostOk<JsonObject>("/api/organisations", new { id = "housing", name = "住房保障中心", communityIds = new[] { "m1" }, kind = "department" }, HttpStatusCode.Created);
        await admin.CreateAccount("housing-li", "staff", "c1");
        await DispatchClient.Expect(await admin.Put("/api/accounts/housing-li/department", new { departmentId = "housing" }), HttpStatusCode.OK);
        await DispatchClient.Expect(await admin.Put("/api/accounts/vol-m1-1/representative", new { title = "peoplesCongress" }), HttpStatusCode.OK);

        using var staff = await world.As("staff-t1");
        using var deputy = await world.As("vol-m1-1");
        using var housing = await world.As("housing-li");
        using var wang = await world.As("vol-m1-2");
        using var zhao = await world.As("vol-m1-3");
        using var sun = await world.As("vol-m2-1");
        using var li = await world.As("vol-m2-2");
        DispatchClient[] everyone = [staff, deputy, housing, wang, zhao, sun, li];

        // A two-hour clinic in m1: wang serves an hour, zhao to the end (no check-out).
        var start = clock.GetUtcNow().AddHours(1);
        var clinic = await staff.PostOk<ActivityView>("/api/activities", new
        {
            communityId = "m1", title = "义诊", places = 2, points = 5, startsAt = start, endsAt = start.AddHours(2),
            venue = "社区活动室", organiser = "staff-t1",
        }, HttpStatusCode.Created);
        await wang.PostOk<ActivityView>($"/api/activities/{clinic.Id}/signup");
        await zhao.PostOk<ActivityView>($"/api/activities/{clinic.Id}/signup");

        // A request in m2 claimed by two, served 30 minutes each, confirmed at verification.
        var errand = await staff.CreateRequest("m2", kind: "activity", places: 2, title: "帮老人搬家");
        await sun.PostOk<RequestView>($"/api/requests/{errand.Id}/claim");
        await li.PostOk<RequestView>($"/api/requests/{errand.Id}/claim");

        clock.SetUtcNow(start);
        await Refresh(everyone);
        var code = await staff.GetOk<CheckInCodeView>($"/api/activities/{clinic.Id}/check-in-code");
        await wang.PostOk<ActivityView>($"/api/activities/{clinic.Id}/check-in", new { code = code.Code });
        await zhao.PostOk<ActivityView>($"/api/activities/{clinic.Id}/check-in", new { code = code.Code });
        await sun.PostOk<RequestView>($"/api/requests/{errand.Id}/start");
        await sun.PostOk<RequestView>($"/api/requests/{errand.Id}/complete", new { note = "搬完了" });
        clock.SetUtcNow(start.AddHours(1));
        await Refresh(everyone);
        await wang.PostOk<ActivityView>($"/api/activities/{clinic.Id}/check-out");
        await staff.PostOk<RequestView>($"/api/requests/{errand.Id}/verify", new { approved = true, rating = 5, minutes = 30 });

        // A suggestion about m1 handed over and answered before its deadline.
        var lift = await deputy.PostOk<SuggestionView>("/api/suggestions", new { kind = "suggestion", title = "加装电梯", content = "居民反映强烈，建议尽快解决。", placeId = "m1" }, HttpStatusCode.Created);
        await Eventually.Get(() => staff.GetOk<SuggestionView[]>("/api/suggestions?status=filed"), l => l.Length == 1);
        await staff.PostOk<JsonObject>("/api/suggestions/handovers", new { departmentId = "housing", suggestionIds = new[] { lift.Id }, deadline = clock.GetUtcNow().AddDays(5) });
        await housing.PostOk<SuggestionView>($"/api/suggestions/{lift.Id}/answer", new { answer = "已列入明年老旧小区改造计划。" });

        // The clinic ends: attendance becomes hours.
        clock.SetUtcNow(start.AddHours(3));
        await Refresh(everyone);
        await staff.GetOk<AttendanceList>($"/api/activities/{clinic.Id}/attendance");

        // December: a wish in m1 served 20 minutes, and a suggestion handed over (not answered yet).
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        await Refresh(everyone);
        var wish = await staff.CreateRequest("m1", title: "送保温杯");
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        clock.Advance(TimeSpan.FromMinutes(30));
        await Refresh(staff, wang, deputy);
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "送到了" });
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 4, minutes = 20 });
        var parking = await deputy.PostOk<SuggestionView>("/api/suggestions", new { kind = "suggestion", title = "增设充电桩", content = "电动车充电难。", placeId = "m1" }, HttpStatusCode.Created);
        await Eventually.Get(() => staff.GetOk<SuggestionView[]>("/api/suggestions?status=filed"), l => l.Length == 1);
        await staff.PostOk<JsonObject>("/api/suggestions/handovers", new { departmentId = "housing", suggestionIds = new[] { parking.Id }, deadline = clock.GetUtcNow().AddDays(5) });
    }

    private static async Task Refresh(params DispatchClient[] clients)
    {
        foreach (var client in clients)
        {
            await DispatchClient.Expect(await client.Refresh(), HttpStatusCode.OK);
        }
    }
}
