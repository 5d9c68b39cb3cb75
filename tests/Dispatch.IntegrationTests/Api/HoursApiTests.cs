using System.Net;
using Dispatch.Activities;
using Dispatch.Hours;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>Service hours through the API, on a fake clock: an activity's attendance credited at its end, hours added and corrected by hand, a place's totals, scope and bad input.</summary>
public sealed class HoursApiTests() : ClockedWorld(new DateTimeOffset(2026, 3, 4, 1, 0, 0, TimeSpan.Zero), volunteersPerCommunity: 3)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 5, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Attendance_becomes_hours_at_the_end_and_hand_added_hours_are_marked_capped_and_corrected_with_history()
    {
        var clinic = await AttendedClinic();
        using var staff = await World.As("staff-t1");
        using var wang = await World.As("vol-m1-2");

        var mine = await wang.GetOk<VolunteerHoursView>("/api/volunteers/vol-m1-2/hours");
        var entry = Assert.Single(mine.Entries);
        Assert.Equal((HoursSource.Activity, clinic, 60, false, 1.0m, 1), (entry.Source, entry.ReferenceId, entry.Minutes, entry.Manual, mine.Hours, mine.PersonTimes));

        // The activity lasted 120 minutes: 60 attended, so at most 60 more by hand.
        var tooMuch = await DispatchClient.Problem(
            await staff.Post("/api/volunteers/vol-m1-2/hours", new { activityId = clinic, minutes = 61, reason = "stayed to tidy up" }), HttpStatusCode.BadRequest);
        Assert.Equal("exceedsServiceLength", tooMuch["reason"]?.GetValue<string>());
        Assert.Equal(60, tooMuch["limit"]?.GetValue<int>());
        var added = await staff.PostOk<HoursEntryView>("/api/volunteers/vol-m1-2/hours",
            new { activityId = clinic, minutes = 30, reason = "stayed to tidy up, forgot to check out" }, HttpStatusCode.Created);
        Assert.Equal((true, "staff-t1", "stayed to tidy up, forgot to check out"), (added.Manual, added.RecordedBy, added.Reason));

        var corrected = await staff.PostOk<HoursEntryView>($"/api/volunteers/vol-m1-2/hours/{entry.Id}/correct", new { minutes = 75, reason = "arrived before check-in opened" });
        Assert.Equal(75, corrected.Minutes);
        var history = Assert.Single(corrected.Corrections);
        Assert.Equal(("staff-t1", 60, 75, "arrived before check-in opened"), (history.By, history.FromMinutes, history.ToMinutes, history.Reason));

        var after = await wang.GetOk<VolunteerHoursView>("/api/volunteers/vol-m1-2/hours?from=2026-03-01&to=2026-04-01");
        Assert.Equal((105, 1.75m, 0), (after.Minutes, after.Hours, after.Stars));
        Assert.Equal(100, after.NextStarAt);
        Assert.Empty((await wang.GetOk<VolunteerHoursView>("/api/volunteers/vol-m1-2/hours?from=2026-04-01")).Entries);

        var town = await staff.GetOk<PlaceHoursView>("/api/places/t1/hours?from=2026-03-01&to=2026-04-01&groupBy=volunteer");
        Assert.Equal((105, 1, 1), (town.Minutes, town.PersonTimes, town.Volunteers));
        Assert.Equal([("vol-m1-2", 105)], town.Groups.Select(g => (g.Key, g.Minutes)));
        var byCommunity = await staff.GetOk<PlaceHoursView>("/api/places/t1/hours?groupBy=community");
        Assert.Equal([("m1", 105)], byCommunity.Groups.Select(g => (g.Key, g.Minutes)));
        Assert.Equal(0, (await staff.GetOk<PlaceHoursView>("/api/places/m2/hours")).Minutes);
    }

    [Fact]
    public async Task The_verifier_confirms_a_requests_hours_once_never_longer_than_from_claim_to_verification()
    {
        using var staff = await World.As("staff-t1");
        using var wang = await World.As("vol-m1-2");
        var wish = await staff.CreateRequest("m1");
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        Assert.Equal("notVerified", await Reason(staff.Post($"/api/requests/{wish.Id}/hours", new { minutes = 30 }), HttpStatusCode.Conflict));
        Clock.Advance(TimeSpan.FromMinutes(100));
        await Refresh(staff, wang);
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "Delivered" });
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5 });

        var tooLong = await DispatchClient.Problem(await staff.Post($"/api/requests/{wish.Id}/hours", new { minutes = 101 }), HttpStatusCode.BadRequest);
        var confirmed = await staff.PostOk<HoursEntryView[]>($"/api/requests/{wish.Id}/hours", new { minutes = 90 });
        var again = await staff.PostOk<HoursEntryView[]>($"/api/requests/{wish.Id}/hours", new { minutes = 45 });

        Assert.Equal("exceedsServiceLength", tooLong["reason"]?.GetValue<string>());
        Assert.Equal(100, tooLong["limit"]?.GetValue<int>());
        var entry = Assert.Single(confirmed);
        Assert.Equal((HoursSource.Request, wish.Id, 90, "staff-t1", false), (entry.Source, entry.ReferenceId, entry.Minutes, entry.RecordedBy, entry.Manual));
        Assert.Equal(entry, Assert.Single(again) with { Corrections = entry.Corrections });
        Assert.Equal(["volunteer"], Fields(await DispatchClient.Problem(await staff.Post($"/api/requests/{wish.Id}/hours", new { minutes = 5, volunteer = "vol-m1-3" }), HttpStatusCode.BadRequest)));
        var mine = await wang.GetOk<VolunteerHoursView>("/api/volunteers/vol-m1-2/hours");
        Assert.Equal((90, 1), (mine.TotalMinutes, mine.PersonTimes));

        // A confirmed request is one person-time (人次) on the hours route as on the statistics.
        var place = await staff.GetOk<PlaceHoursView>("/api/places/m1/hours?groupBy=community");
        Assert.Equal((90, 1, 1), (place.Minutes, place.PersonTimes, place.Volunteers));
        Assert.Equal([("m1", 1)], place.Groups.Select(g => (g.Key, g.PersonTimes)));
    }

    [Fact]
    public async Task A_units_hours_are_its_members_hours()
    {
        await AttendedClinic();
        using var staff = await World.As("staff-t1");
        await staff.PostOk<System.Text.Json.Nodes.JsonObject>("/api/organisations", new { id = "hospital", name = "County hospital", communityIds = new[] { "m1" } }, HttpStatusCode.Created);
        await staff.PostOk<System.Text.Json.Nodes.JsonObject>("/api/organisations/hospital/members", new { username = "vol-m1-2" });

        var units = await staff.GetOk<PlaceHoursView>("/api/places/m1/hours?groupBy=unit");

        Assert.Equal([("hospital", 60, 1)], units.Groups.Select(g => (g.Key, g.Minutes, g.PersonTimes)));
    }

    [Fact]
    public async Task Staff_outside_the_scope_and_other_volunteers_are_refused_and_bad_input_names_the_field()
    {
        var clinic = await AttendedClinic();
        using var staff = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        using var zhao = await World.As("vol-m1-3");
        var entry = (await staff.GetOk<VolunteerHoursView>("/api/volunteers/vol-m1-2/hours")).Entries.Single();

        Assert.Equal("outOfScope", await Reason(far.Get("/api/volunteers/vol-m1-2/hours"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(zhao.Get("/api/volunteers/vol-m1-2/hours"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(far.Get("/api/places/t1/hours"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(far.Post("/api/volunteers/vol-m1-2/hours", new { activityId = clinic, minutes = 5, reason = "x" }), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(far.Post($"/api/volunteers/vol-m1-2/hours/{entry.Id}/correct", new { minutes = 5, reason = "x" }), HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.Forbidden, (await zhao.Post("/api/volunteers/vol-m1-2/hours", new { activityId = clinic, minutes = 5, reason = "x" })).StatusCode);

        Assert.Equal(["activityId", "minutes", "reason"], Fields(await DispatchClient.Problem(await staff.Post("/api/volunteers/vol-m1-2/hours", new { minutes = 0 }), HttpStatusCode.BadRequest)));
        Assert.Equal(["from", "groupBy"], Fields(await DispatchClient.Problem(await staff.Get("/api/places/t1/hours?from=yesterday&groupBy=month"), HttpStatusCode.BadRequest)));
        Assert.Equal(["to"], Fields(await DispatchClient.Problem(await staff.Get("/api/volunteers/vol-m1-2/hours?from=2026-03-02&to=2026-03-01"), HttpStatusCode.BadRequest)));
        Assert.Equal(["activityId"], Fields(await DispatchClient.Problem(await staff.Post("/api/volunteers/vol-m1-2/hours", new { activityId = Guid.NewGuid(), minutes = 5, reason = "x" }), HttpStatusCode.BadRequest)));
        Assert.Equal("notFound", await Reason(staff.Post($"/api/volunteers/vol-m1-2/hours/{Guid.NewGuid()}/correct", new { minutes = 5, reason = "x" }), HttpStatusCode.NotFound));

        var unchanged = await staff.GetOk<VolunteerHoursView>("/api/volunteers/vol-m1-2/hours");
        Assert.Equal((60, 0), (unchanged.TotalMinutes, unchanged.Entries.Single().Corrections.Length));
    }

    /// <summary>A two-hour clinic in m1 where vol-m1-2 checks in at +10 and out at +70 minutes, and vol-m1-3 never comes; then the end.</summary>
    private async Task<Guid> AttendedClinic()
    {
        using (var staff = await World.As("staff-t1"))
        using (var wang = await World.As("vol-m1-2"))
        using (var zhao = await World.As("vol-m1-3"))
        {
            var clinic = await staff.PostOk<ActivityView>("/api/activities", new
            {
                communityId = "m1", title = "Free clinic", places = 3, points = 5, startsAt = Start, endsAt = Start.AddHours(2),
                venue = "Community hall", organiser = "staff-t1",
            }, HttpStatusCode.Created);
            await wang.PostOk<ActivityView>($"/api/activities/{clinic.Id}/signup");
            await zhao.PostOk<ActivityView>($"/api/activities/{clinic.Id}/signup");

            Clock.SetUtcNow(Start.AddMinutes(10));
            await Refresh(staff, wang);
            var code = await staff.GetOk<CheckInCodeView>($"/api/activities/{clinic.Id}/check-in-code");
            await wang.PostOk<ActivityView>($"/api/activities/{clinic.Id}/check-in", new { code = code.Code });
            Clock.SetUtcNow(Start.AddMinutes(70));
            await Refresh(wang);
            await wang.PostOk<ActivityView>($"/api/activities/{clinic.Id}/check-out");

            Clock.SetUtcNow(Start.AddHours(3));
            await Refresh(staff);
            await staff.GetOk<ActivityView>($"/api/activities/{clinic.Id}");
            return clinic.Id;
        }
    }

    private static async Task Refresh(params DispatchClient[] clients)
    {
        foreach (var client in clients)
        {
            await DispatchClient.Expect(await client.Refresh(), HttpStatusCode.OK);
        }
    }

    private static string[] Fields(System.Text.Json.Nodes.JsonObject problem) => [.. problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal)];

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();
}
