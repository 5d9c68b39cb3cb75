using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Queries;
using Dispatch.Requests;
using Dispatch.WebHost.Statistics;

namespace Dispatch.IntegrationTests.Api;

/// <summary><c>GET /api/places/{id}/stats?from=&amp;to=&amp;groupBy=</c>: the request figures of a period, broken down, from the query store.</summary>
public sealed class PeriodStatisticsApiTests
{
    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSQL)]
    public async Task A_period_is_summed_and_broken_down_by_place_time_and_kind(StoreKind kind)
    {
        await using var store = await TestStore.Create(kind);
        await using var app = store.App();
        var world = await World.Create(app);
        using var staff = await world.As("staff-t1");
        using var m3 = await world.As("staff-m3");
        using var admin = await app.Admin();
        using var volunteer = await world.As(World.Volunteer("m1", 1));

        var wish = await PlaceRequestsApiTests.Publish(staff, "m1", "wish", "保温杯", null, "goods");
        RequestView[] inTown =
        [
            wish,
            await PlaceRequestsApiTests.Publish(staff, "m1", "wish", "A school bag", null, "goods"),
            await PlaceRequestsApiTests.Publish(staff, "m1", "errand", "Book a doctor", null, "health"),
            await PlaceRequestsApiTests.Publish(staff, "m2", "activity", "义诊", null, "health", places: 3),
        ];
        await PlaceRequestsApiTests.Publish(m3, "m3", "wish", "A thermos", null, "goods");
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "Delivered" });
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 4 });
        await Eventually.Get(
            () => admin.GetOk<RequestPage>("/api/places/c1/requests?status=verified"),
            p => p.Total == 1);
        Assert.Equal(5, (await admin.GetOk<RequestPage>("/api/places/c1/requests")).Total);

        var now = DateTimeOffset.UtcNow;
        var hourAgo = Uri.EscapeDataString(now.AddHours(-1).ToString("O", CultureInfo.InvariantCulture));
        var period = await staff.GetOk<PeriodStatistics>($"/api/places/t1/stats?from={hourAgo}");
        Assert.Equal(4, period.Requests.Total);
        Assert.Equal(1, period.Requests.ByStatus["verified"]);
        Assert.Equal(2, period.ByKind["wish"].Total);
        Assert.Equal(1, period.WishesFulfilled);
        Assert.Equal((1, 4.0), (period.Ratings, period.AverageRating!.Value));
        Assert.Equal(2, period.Communities);
        Assert.Equal(4, period.RegisteredVolunteers);
        Assert.Empty(period.Groups);

        // The charts' breakdowns: the categories most carried, and every level of the ladder (nothing climbed yet).
        Assert.Equal([("goods", 2), ("health", 2)], period.TopCategories.Select(c => (c.Category, c.Requests)));
        Assert.Equal([(1, 0), (2, 0), (3, 0)], period.Escalations.Select(e => (e.Level, e.Requests)));

        var byCommunity = await staff.GetOk<PeriodStatistics>($"/api/places/t1/stats?from={hourAgo}&groupBy=community");
        Assert.Equal([("m1", "Place m1", 3), ("m2", "Place m2", 1)], byCommunity.Groups.Select(g => (g.Key, g.Name, g.Requests.Total)));
        Assert.Equal(1, byCommunity.Groups[0].WishesFulfilled);
        Assert.Null(byCommunity.Groups[0].RegisteredVolunteers);

        var byTown = await admin.GetOk<PeriodStatistics>("/api/places/c1/stats?groupBy=town");
        Assert.Equal([("t1", 4, 2), ("t2", 1, 1)], byTown.Groups.Select(g => (g.Key, g.Requests.Total, g.Communities!.Value)));

        var byKind = await staff.GetOk<PeriodStatistics>("/api/places/t1/stats?groupBy=kind");
        Assert.Equal([("activity", 1), ("errand", 1), ("wish", 2)], byKind.Groups.Select(g => (g.Key, g.Requests.Total)));

        var byMonth = await staff.GetOk<PeriodStatistics>("/api/places/t1/stats?groupBy=month");
        Assert.Equal([(now.ToString("yyyy-MM", CultureInfo.InvariantCulture), 4)], byMonth.Groups.Select(g => (g.Key, g.Requests.Total)));

        var monday = now.UtcDateTime.Date.AddDays(-(((int)now.UtcDateTime.DayOfWeek + 6) % 7));
        var byWeek = await staff.GetOk<PeriodStatistics>("/api/places/t1/stats?groupBy=week");
        Assert.Equal([(monday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 4)], byWeek.Groups.Select(g => (g.Key, g.Requests.Total)));

        // By day on the reader's calendar: the same moments fall on different days 26 hours apart.
        var dayAfter = Uri.EscapeDataString(now.AddDays(1).ToString("O", CultureInfo.InvariantCulture));
        foreach (var offset in new[] { "+14:00", "-12:00" })
        {
            var byDay = await staff.GetOk<PeriodStatistics>($"/api/places/t1/stats?from={hourAgo}&to={dayAfter}&groupBy=day&utcOffset={Uri.EscapeDataString(offset)}");
            var expected = inTown
                .GroupBy(r => r.CreatedAt.ToOffset(TimeSpan.Parse(offset.TrimStart('+'), CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .Select(g => (g.Key, g.Count())).Order();
            Assert.Equal(expected, byDay.Groups.Select(g => (g.Key, g.Requests.Total)));
        }

        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/stats?groupBy=day"), HttpStatusCode.BadRequest))["errors"]!["groupBy"]);
        foreach (var offset in new[] { "8", "+8:00", "+08:10", "+15:00", "-13:00", "08:00" })
        {
            var refused = await DispatchClient.Problem(await staff.Get($"/api/places/t1/stats?groupBy=week&utcOffset={Uri.EscapeDataString(offset)}"), HttpStatusCode.BadRequest);
            Assert.NotNull(refused["errors"]!["utcOffset"]);
        }

        var before = await staff.GetOk<PeriodStatistics>($"/api/places/t1/stats?to={hourAgo}&groupBy=community");
        Assert.Equal(0, before.Requests.Total);
        Assert.Empty(before.Groups);

        // Without a period or breakdown: the all-time figures, in the shape clients know.
        var allTime = await staff.GetOk<JsonObject>("/api/places/t1/stats");
        Assert.False(allTime.ContainsKey("groups"));
        Assert.Equal(4, allTime["requests"]!["total"]!.GetValue<int>());

        // Bad parameters name themselves; scope as before.
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/stats?groupBy=year"), HttpStatusCode.BadRequest))["errors"]!["groupBy"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/stats?from=soon"), HttpStatusCode.BadRequest))["errors"]!["from"]);
        await DispatchClient.Problem(await m3.Get("/api/places/t1/stats?groupBy=kind"), HttpStatusCode.Forbidden);
    }
}
