using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.Intake;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.Statistics;
using Dispatch.WebHost.Statistics;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Api;

/// <summary>The residents' satisfaction (群众满意度) in <c>GET /api/places/{id}/stats</c>: all time from the boards, by period from the query store.</summary>
public sealed class ResidentSatisfactionApiTests
{
    private static int phones;

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSQL)]
    public async Task Residents_ratings_are_counted_apart_from_staffs_in_all_time_and_period_figures(StoreKind kind)
    {
        await using var store = await TestStore.Create(kind);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = store.App(clock);
        var world = await World.Create(app);
        using var staff = await world.As("staff-t1");
        using var admin = await app.Admin();

        await FileDoneAndRate(app, world, staff, clock, "Satisfied", volunteer: 1, "satisfied");
        await FileDoneAndRate(app, world, staff, clock, "Basically", volunteer: 2, "basicallySatisfied");
        await FileDoneAndRate(app, world, staff, clock, "Unsatisfied", volunteer: 1, "unsatisfied");

        // A request staff verified with their own rating, never rated by a resident.
        var staffOnly = await PlaceRequestsApiTests.Publish(staff, "m1", "wish", "A thermos", null, "goods");
        using (var volunteer = await world.As(World.Volunteer("m1", 2)))
        {
            await volunteer.PostOk<RequestView>($"/api/requests/{staffOnly.Id}/claim");
            await volunteer.PostOk<RequestView>($"/api/requests/{staffOnly.Id}/start");
            await volunteer.PostOk<RequestView>($"/api/requests/{staffOnly.Id}/complete", new { note = "Delivered" });
        }

        await staff.PostOk<RequestView>($"/api/requests/{staffOnly.Id}/verify", new { approved = true, rating = 4 });

        // All time: the boards' figures.
        var allTime = await Eventually.Get(
            () => staff.GetOk<PlaceStatistics>("/api/places/t1/stats"),
            s => s.Satisfied + s.BasicallySatisfied + s.Unsatisfied == 3 && s.Ratings == 1);
        Assert.Equal((1, 1, 1), (allTime.Satisfied, allTime.BasicallySatisfied, allTime.Unsatisfied));
        Assert.Equal(0.6667, allTime.ResidentSatisfaction);
        // Staff's rating stays their own: the check-in verified the residents' requests unrated,
        // and the unsatisfied resident sent theirs back to staff (completed, not verified).
        Assert.Equal((1, 4.0), (allTime.Ratings, allTime.AverageRating!.Value));
        Assert.Equal((3, 1), (allTime.Requests.ByStatus["verified"], allTime.Requests.ByStatus["completed"]));
        var json = await staff.GetOk<JsonObject>("/api/places/t1/stats");
        Assert.Equal((1, 0.6667), (json["basicallySatisfied"]!.GetValue<int>(), json["residentSatisfaction"]!.GetValue<double>()));

        // By period: the query store, in the totals and in each group.
        var period = await Eventually.Get(
            () => staff.GetOk<PeriodStatistics>("/api/places/t1/stats?groupBy=kind"),
            p => p.Satisfied + p.BasicallySatisfied + p.Unsatisfied == 3 && p.Requests.ByStatus["verified"] == 3);
        Assert.Equal(1, period.Requests.ByStatus["completed"]);
        Assert.Equal((1, 1, 1, 0.6667), (period.Satisfied, period.BasicallySatisfied, period.Unsatisfied, period.ResidentSatisfaction));
        Assert.Equal((1, 4.0), (period.Ratings, period.AverageRating!.Value));
        // Residents' "help me book" needs are errands; staff published the wish.
        var wishes = Assert.Single(period.Groups, g => g.Key == "wish");
        Assert.Equal((0, null), (wishes.Satisfied + wishes.BasicallySatisfied + wishes.Unsatisfied, wishes.ResidentSatisfaction));
        var errands = Assert.Single(period.Groups, g => g.Key == "errand");
        Assert.Equal((1, 1, 1, 0.6667), (errands.Satisfied, errands.BasicallySatisfied, errands.Unsatisfied, errands.ResidentSatisfaction));

        // The export's sheets carry the same figures: the place's row and each group's.
        await AssertExportMatches(staff, period);

        var byCommunity = await admin.GetOk<PeriodStatistics>("/api/places/c1/stats?groupBy=community");
        var m1 = Assert.Single(byCommunity.Groups, g => g.Key == "m1");
        Assert.Equal((1, 1, 1, 0.6667), (m1.Satisfied, m1.BasicallySatisfied, m1.Unsatisfied, m1.ResidentSatisfaction));

        // A period without requests has no share, rather than a share of nothing.
        var before = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-30).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var empty = await staff.GetOk<PeriodStatistics>($"/api/places/t1/stats?to={before}");
        Assert.Equal((0, null), (empty.Satisfied + empty.BasicallySatisfied + empty.Unsatisfied, empty.ResidentSatisfaction));
    }

    private static readonly string[] ResidentColumns = ["satisfied", "basicallySatisfied", "unsatisfied", "residentSatisfaction"];

    /// <summary>The residents' columns of the CSV and the workbook hold what <paramref name="period"/> (grouped by kind) says.</summary>
    private static async Task AssertExportMatches(DispatchClient staff, PeriodStatistics period)
    {
        static string[] Expected(int satisfied, int basically, int unsatisfied, double? share) =>
            [Cell(satisfied), Cell(basically), Cell(unsatisfied), share is { } s ? Cell(s) : ""];

        var csv = await staff.Get("/api/places/t1/stats/export?groupBy=kind");
        await DispatchClient.Expect(csv, HttpStatusCode.OK);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var columns = lines[0].Split(',').ToList();
        Assert.Equal(ResidentColumns, columns.Skip(columns.IndexOf(ResidentColumns[0])).Take(ResidentColumns.Length)); // then the service's columns
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(r => r[0]);
        string[] Residents(string key) => [.. ResidentColumns.Select(c => rows[key][columns.IndexOf(c)])];
        Assert.Equal(Expected(period.Satisfied, period.BasicallySatisfied, period.Unsatisfied, period.ResidentSatisfaction), Residents("t1"));
        Assert.Equal(["1", "1", "1", "0.6667"], Residents("t1"));
        foreach (var group in period.Groups)
        {
            Assert.Equal(Expected(group.Satisfied, group.BasicallySatisfied, group.Unsatisfied, group.ResidentSatisfaction), Residents(group.Key));
        }

        Assert.Equal(["0", "0", "0", ""], Residents("wish"));

        var xlsx = await staff.Get("/api/places/t1/stats/export?format=xlsx&groupBy=kind");
        await DispatchClient.Expect(xlsx, HttpStatusCode.OK);
        var sheet = XlsxSheet.Read(await xlsx.Content.ReadAsByteArrayAsync());
        var header = sheet[0].Select(c => c.Text).ToList();
        Assert.Equal(columns, header);
        // Counted from the end of the filled cells: the residents' columns are the last four a kind's row
        // fills (the service's columns after them are empty for kinds), whatever empty cells come before.
        var errandRow = Assert.Single(sheet, r => r[0].Text == "errand");
        var errands = errandRow[..(errandRow.FindLastIndex(c => c.Text.Length > 0) + 1)][^4..];
        Assert.All(errands, c => Assert.True(c.IsNumber));
        Assert.Equal(["1", "1", "1"], errands[..3].Select(c => c.Text));
        Assert.Equal(0.6667, double.Parse(errands[3].Text, CultureInfo.InvariantCulture), 4);
    }

    private static string Cell(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>A resident files a need; staff accept it; a volunteer does it, checked in with the resident's code; the resident confirms and rates.</summary>
    private static async Task FileDoneAndRate(DispatchApp app, World world, DispatchClient staff, FakeTimeProvider clock, string title, int volunteer, string rating)
    {
        using var anonymous = app.Anonymous();
        var form = await anonymous.GetOk<JsonObject>("/api/intake/form/m1");
        clock.Advance(TimeSpan.FromSeconds(6));
        var response = await anonymous.Post("/api/intake", new Dictionary<string, object?>
        {
            ["communityId"] = "m1",
            ["kind"] = "help",
            ["help"] = "book",
            ["title"] = title,
            ["description"] = "想请人帮忙预约社区医院的体检。",
            ["name"] = "张大爷",
            ["phone"] = $"1370014{Interlocked.Increment(ref phones):D4}",
            ["address"] = "3号楼2单元401",
            ["language"] = "zh-CN",
            ["formToken"] = form["formToken"]!.GetValue<string>(),
        });
        await DispatchClient.Expect(response, HttpStatusCode.Created);
        var code = (await response.Content.ReadFromJsonAsync<JsonObject>(DispatchClient.Json))!["trackingCode"]!.GetValue<string>();

        var item = Assert.Single((await staff.GetOk<IntakePage>("/api/places/m1/intake?pageSize=200")).Items, i => i.Title == title);
        var requestId = (await staff.PostOk<IntakeItem>($"/api/intake/{item.Id}/accept")).RequestId!.Value;
        using var phone = await world.As(World.Volunteer("m1", volunteer));
        await phone.PostOk<RequestView>($"/api/requests/{requestId}/claim");
        await phone.PostOk<RequestView>($"/api/requests/{requestId}/start");
        var checkIn = (await anonymous.GetOk<JsonObject>($"/api/track/{code}"))["checkInCode"]!.GetValue<string>();
        await phone.PostOk<RequestView>($"/api/requests/{requestId}/complete", new { checkInCode = checkIn });

        await anonymous.PostOk<JsonObject>($"/api/track/{code}/confirm", new { done = true });
        await anonymous.PostOk<JsonObject>($"/api/track/{code}/rating", new { rating });
    }
}
