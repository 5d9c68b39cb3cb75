using System.Net;
using System.Text.Json.Nodes;
using Dispatch.Activities;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>Activities as events through the API, on a fake clock: sign-up and the waiting list, the check-in code and window, attendance, no-shows, scope and bad input.</summary>
public sealed class ActivitiesApiTests() : ClockedWorld(new DateTimeOffset(2026, 3, 4, 1, 0, 0, TimeSpan.Zero), volunteersPerCommunity: 3)
{
    private DateTimeOffset Start => Clock.GetUtcNow().Date.AddDays(1).AddHours(1);

    [Fact]
    public async Task Volunteers_sign_up_wait_check_in_with_the_organisers_code_and_the_end_records_no_shows()
    {
        using var staff = await World.As("staff-t1");
        using var organiser = await World.As("vol-m1-1");
        using var wang = await World.As("vol-m1-2");
        using var zhao = await World.As("vol-m1-3");
        var start = Start;
        var created = await staff.PostOk<ActivityView>("/api/activities", Clinic("m1", places: 1, start, organiser: "vol-m1-1"), HttpStatusCode.Created);
        Assert.Equal(("m1", 1, "Community hall", "vol-m1-1", ActivityPhase.Scheduled), (created.CommunityId, created.Places, created.Venue, created.Organiser, created.Phase));
        var request = await staff.GetOk<RequestView>($"/api/requests/{created.Id}");
        Assert.Equal((RequestKind.Activity, "Free clinic"), (request.Kind, request.Title));

        var placed = await wang.PostOk<ActivityView>($"/api/activities/{created.Id}/signup");
        var waiting = await zhao.PostOk<ActivityView>($"/api/activities/{created.Id}/signup");
        Assert.Equal(AttendanceStatus.SignedUp, placed.Mine!.Status);
        Assert.Equal((AttendanceStatus.Waiting, 1), (waiting.Mine!.Status, waiting.Mine.WaitingPosition));
        Assert.Equal("alreadySignedUp", await Reason(wang.Post($"/api/activities/{created.Id}/signup"), HttpStatusCode.Conflict));
        Assert.Equal("activityNotStarted", await Reason(organiser.Get($"/api/activities/{created.Id}/check-in-code"), HttpStatusCode.Conflict));

        // Wang gives the place back: it goes to Zhao, who waited.
        await wang.PostOk<ActivityView>($"/api/activities/{created.Id}/withdraw");
        var promoted = await zhao.GetOk<ActivityView>($"/api/activities/{created.Id}");
        Assert.Equal(AttendanceStatus.SignedUp, promoted.Mine!.Status);
        await wang.PostOk<ActivityView>($"/api/activities/{created.Id}/signup");

        Clock.SetUtcNow(start.AddMinutes(5));
        await SignInAgain(staff, organiser, wang, zhao);
        var code = await organiser.GetOk<CheckInCodeView>($"/api/activities/{created.Id}/check-in-code");
        Assert.Equal(code.Code, (await staff.GetOk<CheckInCodeView>($"/api/activities/{created.Id}/check-in-code")).Code);
        Assert.Equal("notOrganiser", await Reason(wang.Get($"/api/activities/{created.Id}/check-in-code"), HttpStatusCode.Forbidden));
        Assert.Equal("onWaitingList", await Reason(wang.Post($"/api/activities/{created.Id}/check-in", new { code = code.Code }), HttpStatusCode.Conflict));
        var wrong = await DispatchClient.Problem(await zhao.Post($"/api/activities/{created.Id}/check-in", new { code = Other(code.Code) }), HttpStatusCode.BadRequest);
        Assert.Equal("wrongCheckInCode", wrong["reason"]?.GetValue<string>());
        Assert.NotNull(wrong["errors"]?["code"]);

        var checkedIn = await zhao.PostOk<ActivityView>($"/api/activities/{created.Id}/check-in", new { code = code.Code });
        Assert.Equal((AttendanceStatus.CheckedIn, start.AddMinutes(5)), (checkedIn.Mine!.Status, checkedIn.Mine.CheckedInAt));
        Clock.SetUtcNow(start.AddMinutes(65));
        await SignInAgain(zhao);
        var left = await zhao.PostOk<ActivityView>($"/api/activities/{created.Id}/check-out");
        Assert.Equal((AttendanceStatus.CheckedOut, 60), (left.Mine!.Status, left.Mine.Minutes));

        Clock.SetUtcNow(start.AddHours(3));
        await SignInAgain(staff, organiser, wang);
        var list = await staff.GetOk<AttendanceList>($"/api/activities/{created.Id}/attendance");
        Assert.Equal((ActivityPhase.Ended, 1, 0, 60), (list.Phase, list.PersonTimes, list.NoShows, list.ServiceMinutes));
        Assert.Equal(AttendanceStatus.Waiting, list.Attendance.Single(a => a.Volunteer == "vol-m1-2").Status);
        Assert.Equal("activityEnded", await Reason(wang.Post($"/api/activities/{created.Id}/signup"), HttpStatusCode.Conflict));
        var asOrganiser = await organiser.GetOk<AttendanceList>($"/api/activities/{created.Id}/attendance");
        Assert.Equal<AttendanceView>(list.Attendance, asOrganiser.Attendance);
    }

    [Fact]
    public async Task A_place_never_used_is_a_no_show_once_the_event_has_ended()
    {
        using var staff = await World.As("staff-t1");
        using var wang = await World.As("vol-m1-2");
        var created = await staff.PostOk<ActivityView>("/api/activities", Clinic("m1", places: 3, Start, organiser: "staff-t1"), HttpStatusCode.Created);
        await wang.PostOk<ActivityView>($"/api/activities/{created.Id}/signup");

        var start = Start;
        Clock.SetUtcNow(start.AddHours(2));
        await SignInAgain(staff, wang);
        var ended = await wang.GetOk<ActivityView>($"/api/activities/{created.Id}");

        Assert.Equal((ActivityPhase.Ended, 1, 0, AttendanceStatus.NoShow), (ended.Phase, ended.NoShows, ended.PersonTimes, ended.Mine!.Status));
        Assert.Equal("activityEnded", await Reason(staff.Get($"/api/activities/{created.Id}/check-in-code"), HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Staff_and_volunteers_outside_the_community_are_refused_and_nothing_changes()
    {
        using var staff = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        using var farVolunteer = await World.As("vol-m3-1");
        var created = await staff.PostOk<ActivityView>("/api/activities", Clinic("m1", places: 2, Start, organiser: "staff-t1"), HttpStatusCode.Created);

        Assert.Equal("outOfScope", await Reason(far.Post("/api/activities", Clinic("m1", 2, Start, "staff-m3")), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(far.Get($"/api/activities/{created.Id}/attendance"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(far.Get($"/api/activities/{created.Id}/check-in-code"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(farVolunteer.Post($"/api/activities/{created.Id}/signup"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(farVolunteer.Get($"/api/activities/{created.Id}"), HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Post($"/api/activities/{created.Id}/signup")).StatusCode);

        var after = await staff.GetOk<ActivityView>($"/api/activities/{created.Id}");
        Assert.Equal((0, 0, created.Version), (after.SignedUp, after.Waiting, after.Version));
    }

    [Fact]
    public async Task Bad_input_names_the_field_and_creates_nothing()
    {
        using var staff = await World.As("staff-t1");
        using var wang = await World.As("vol-m1-2");
        var before = (await staff.GetOk<JsonObject>("/api/communities/m1/requests"))["total"]?.GetValue<int>();

        var window = await DispatchClient.Problem(
            await staff.Post("/api/activities", new { communityId = "m1", title = "Clinic", places = 2, startsAt = Start, endsAt = Start.AddMinutes(5), venue = "", organiser = "staff-t1" }),
            HttpStatusCode.BadRequest);
        var missing = await DispatchClient.Problem(await staff.Post("/api/activities", new { communityId = "m1", title = "Clinic", places = 2 }), HttpStatusCode.BadRequest);
        var unknown = await DispatchClient.Problem(await staff.Post("/api/activities", Clinic("m1", 2, Start, organiser: "nobody-here")), HttpStatusCode.BadRequest);
        var places = await DispatchClient.Problem(await staff.Post("/api/activities", Clinic("m1", 0, Start, organiser: "staff-t1")), HttpStatusCode.BadRequest);
        var notCommunity = await DispatchClient.Problem(await staff.Post("/api/activities", Clinic("t1", 2, Start, organiser: "staff-t1")), HttpStatusCode.BadRequest);

        Assert.Equal(["endsAt", "venue"], Fields(window));
        Assert.Equal(["endsAt", "organiser", "startsAt", "venue"], Fields(missing));
        Assert.Equal(["organiser"], Fields(unknown));
        Assert.Equal(["places"], Fields(places));
        Assert.Equal(["communityId"], Fields(notCommunity));
        Assert.Equal(before, (await staff.GetOk<JsonObject>("/api/communities/m1/requests"))["total"]?.GetValue<int>());

        var created = await staff.PostOk<ActivityView>("/api/activities", Clinic("m1", 2, Start, organiser: "staff-t1"), HttpStatusCode.Created);
        Assert.Equal(["code"], Fields(await DispatchClient.Problem(await wang.Post($"/api/activities/{created.Id}/check-in", new { code = " " }), HttpStatusCode.BadRequest)));
        var plain = await staff.CreateRequest("m1");
        Assert.Equal("notFound", await Reason(staff.Get($"/api/activities/{plain.Id}"), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(wang.Post($"/api/activities/{plain.Id}/signup"), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(staff.Get($"/api/activities/{Guid.NewGuid()}/attendance"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Creating_again_with_the_same_idempotency_key_answers_the_same_activity()
    {
        using var staff = await World.As("staff-t1");
        var body = Clinic("m1", 2, Start, organiser: "staff-t1");

        var first = await staff.Post("/api/activities", body, idempotencyKey: "clinic-1");
        var second = await staff.Post("/api/activities", body, idempotencyKey: "clinic-1");

        await DispatchClient.Expect(first, HttpStatusCode.Created);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
    }

    private static object Clinic(string communityId, int places, DateTimeOffset start, string organiser) => new
    {
        communityId,
        title = "Free clinic",
        description = "Blood pressure and sugar checks for the elderly.",
        categories = new[] { "health" },
        places,
        points = 5,
        startsAt = start,
        endsAt = start.AddHours(2),
        venue = "Community hall",
        organiser,
    };

    /// <summary>Access tokens last 15 minutes of the fake clock: after moving it, each client signs in again.</summary>
    private static async Task SignInAgain(params DispatchClient[] clients)
    {
        foreach (var client in clients)
        {
            await DispatchClient.Expect(await client.Refresh(), HttpStatusCode.OK);
        }
    }

    private static string Other(string code) => code == "000000" ? "111111" : "000000";

    private static string[] Fields(JsonObject problem) => [.. problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal)];

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();
}
