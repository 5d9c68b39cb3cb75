using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.Intake;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Requests;
using Dispatch.WebHost.Security;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Api;

/// <summary>A host on a fake clock (the form's minimum fill time is read from it), with room for many filings from one address.</summary>
public sealed class ResidentsFixture() : WorldFixture(new FakeTimeProvider(DateTimeOffset.UtcNow))
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Dispatch:RateLimits:IntakePerAddress:Burst"] = "1000",
        ["Dispatch:RateLimits:IntakePerAddress:Refill"] = "1",
        ["Dispatch:RateLimits:IntakePerAddress:Period"] = "00:00:01",
    };
}

/// <summary>Residents file needs without an account; staff in scope triage them; volunteers see only what staff accept.</summary>
public sealed class ResidentsApiTests(ResidentsFixture fixture) : IClassFixture<ResidentsFixture>
{
    private static int phones;

    private World World => fixture.World;

    private FakeTimeProvider Clock => fixture.Clock!;

    private static string NextPhone() => $"1370013{Interlocked.Increment(ref phones):D4}";

    private static Dictionary<string, object?> Filing(string title, string communityId = "m1", string? phone = null) => new()
    {
        ["communityId"] = communityId,
        ["kind"] = "help",
        ["help"] = "book",
        ["title"] = title,
        ["description"] = "腿脚不便，想请人帮忙预约社区医院的体检。",
        ["name"] = "张大爷",
        ["phone"] = phone ?? NextPhone(),
        ["address"] = "3号楼2单元401",
        ["language"] = "zh-CN",
    };

    /// <summary>Opens the form of the filing's community; with <paramref name="wait"/>, a person's time to fill it in passes.</summary>
    private async Task<Dictionary<string, object?>> WithToken(DispatchClient anonymous, Dictionary<string, object?> filing, bool wait = true)
    {
        var form = await anonymous.GetOk<JsonObject>($"/api/intake/form/{filing["communityId"]}");
        filing["formToken"] = form["formToken"]!.GetValue<string>();
        if (wait)
        {
            Clock.Advance(TimeSpan.FromSeconds(6));
        }

        return filing;
    }

    private async Task<(string Code, string Id)> File(Dictionary<string, object?> filing)
    {
        using var anonymous = World.App.Anonymous();
        var response = await anonymous.Post("/api/intake", await WithToken(anonymous, filing));
        await DispatchClient.Expect(response, HttpStatusCode.Created);
        var receipt = (await response.Content.ReadFromJsonAsync<JsonObject>(DispatchClient.Json))!;
        var code = receipt["trackingCode"]!.GetValue<string>();
        Assert.Equal($"/api/track/{code}", response.Headers.Location?.OriginalString);
        Assert.Equal(($"/r/track/{code}", "waiting"), (receipt["trackingUrl"]!.GetValue<string>(), receipt["status"]!.GetValue<string>()));

        using var staff = await World.As("staff-t1");
        var page = await staff.GetOk<IntakePage>("/api/places/m1/intake?pageSize=200");
        var item = Assert.Single(page.Items, i => i.Title == (string)filing["title"]!);
        return (code, item.Id);
    }

    private async Task<IReadOnlyList<IntakeItem>> Listed(string title, string place = "t1")
    {
        using var staff = await World.As("staff-t1");
        return [.. (await staff.GetOk<IntakePage>($"/api/places/{place}/intake?pageSize=200")).Items.Where(i => i.Title == title)];
    }

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();

    [Fact]
    public async Task A_resident_files_without_an_account_and_gets_an_unguessable_tracking_code()
    {
        using var anonymous = World.App.Anonymous();
        var form = await anonymous.GetOk<JsonObject>("/api/intake/form/m1");
        Assert.Equal("m1", form["communityId"]!.GetValue<string>());
        Assert.Equal("notFound", await Reason(anonymous.Get("/api/intake/form/t1"), HttpStatusCode.NotFound));

        var (code, id) = await File(Filing("帮我预约体检 A", phone: "137 0000 1111"));
        Assert.Matches("^[A-Za-z0-9_-]{22}$", code);

        var item = Assert.Single(await Listed("帮我预约体检 A"));
        Assert.Equal((id, IntakeStatus.Waiting, IntakeKind.Help, HelpKind.Book), (item.Id, item.Status, item.Kind, item.Help));
        Assert.Equal(("张大爷", "13700001111", "3号楼2单元401", ResidentLanguage.ZhCn), (item.Name, item.Phone, item.Address, item.Language));

        // Nothing of it reaches volunteers, whose community board lists requests only.
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        var board = await volunteer.GetOk<JsonNode>("/api/communities/m1/requests");
        Assert.DoesNotContain("帮我预约体检 A", board.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Get("/api/places/m1/intake"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Get($"/api/intake/{id}"), HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.Get($"/api/intake/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_filled_honeypot_is_refused_and_nothing_is_filed()
    {
        using var anonymous = World.App.Anonymous();
        var filing = await WithToken(anonymous, Filing("Honeypot"));
        filing["website"] = "http://spam.example";
        var problem = await DispatchClient.Problem(await anonymous.Post("/api/intake", filing), HttpStatusCode.BadRequest);
        Assert.Equal("notAccepted", problem["reason"]!.GetValue<string>());
        Assert.Equal(["website"], problem["errors"]!.AsObject().Select(e => e.Key));
        Assert.Empty(await Listed("Honeypot"));
    }

    [Fact]
    public async Task A_form_sent_too_fast_too_late_or_with_another_token_is_refused_and_nothing_is_filed()
    {
        using var anonymous = World.App.Anonymous();
        var fast = await WithToken(anonymous, Filing("Too fast"), wait: false);
        var tooFast = await DispatchClient.Problem(await anonymous.Post("/api/intake", fast), HttpStatusCode.BadRequest);
        Assert.Equal("tooFast", tooFast["reason"]!.GetValue<string>());
        Assert.Equal(["formToken"], tooFast["errors"]!.AsObject().Select(e => e.Key));

        var late = await WithToken(anonymous, Filing("Too late"));
        Clock.Advance(TimeSpan.FromDays(1));
        var expired = await DispatchClient.Problem(await anonymous.Post("/api/intake", late), HttpStatusCode.BadRequest);
        Assert.Equal("formExpired", expired["reason"]!.GetValue<string>());
        Assert.NotNull(expired["errors"]!["formToken"]);

        var other = await WithToken(anonymous, Filing("Other form", communityId: "m2"));
        other["communityId"] = "m1";
        var invalid = await DispatchClient.Problem(await anonymous.Post("/api/intake", other), HttpStatusCode.BadRequest);
        Assert.Equal(["formToken"], invalid["errors"]!.AsObject().Select(e => e.Key));

        foreach (var title in new[] { "Too fast", "Too late", "Other form" })
        {
            Assert.Empty(await Listed(title));
        }

        // The same fast form, once a person's time has passed, is accepted.
        Clock.Advance(TimeSpan.FromSeconds(6));
        fast["formToken"] = (await anonymous.GetOk<JsonObject>("/api/intake/form/m1"))["formToken"]!.GetValue<string>();
        Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(HttpStatusCode.Created, (await anonymous.Post("/api/intake", fast)).StatusCode);
    }

    [Fact]
    public async Task Bad_fields_are_named_and_nothing_is_filed()
    {
        using var anonymous = World.App.Anonymous();
        var bad = await WithToken(anonymous, Filing(""));
        bad["help"] = null;
        bad["name"] = " ";
        bad["phone"] = "12x";
        bad["formToken"] = null;
        var problem = await DispatchClient.Problem(await anonymous.Post("/api/intake", bad), HttpStatusCode.BadRequest);
        Assert.Equal("invalid", problem["reason"]!.GetValue<string>());
        Assert.Equal(["formToken", "help", "name", "phone", "title"], problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));

        var noKind = await WithToken(anonymous, Filing("No kind"));
        noKind.Remove("kind");
        noKind.Remove("help");
        Assert.Equal(["kind"], (await DispatchClient.Problem(await anonymous.Post("/api/intake", noKind), HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));

        var town = await WithToken(anonymous, Filing("Town"));
        town["communityId"] = "t1";
        Assert.Equal(["communityId"], (await DispatchClient.Problem(await anonymous.Post("/api/intake", town), HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));

        await DispatchClient.Problem(await anonymous.PostRaw("/api/intake", """{"communityId":"m1","kind":"robot"}"""), HttpStatusCode.BadRequest);
        Assert.Empty(await Listed("No kind"));
        Assert.Empty(await Listed("Town"));
    }

    [Fact]
    public async Task A_phone_number_files_a_few_times_then_waits()
    {
        const string phone = "137 9999 0000";
        for (var i = 0; i < 3; i++)
        {
            await File(Filing($"Phone limit {i}", phone: phone));
        }

        using var anonymous = World.App.Anonymous();
        var refused = await DispatchClient.Problem(await anonymous.Post("/api/intake", await WithToken(anonymous, Filing("Phone limit 3", phone: "13799990000"))), HttpStatusCode.TooManyRequests);
        Assert.Equal(("rateLimited", DispatchRateLimits.IntakePerPhone), (refused["reason"]!.GetValue<string>(), refused["limit"]!.GetValue<string>()));
        Assert.Empty(await Listed("Phone limit 3"));
        await File(Filing("Phone limit 4"));
    }

    [Fact]
    public async Task Staff_out_of_scope_can_neither_see_nor_decide_and_nothing_changes()
    {
        var (_, id) = await File(Filing("Scope check"));
        using var staffM3 = await World.As("staff-m3");
        Assert.Equal("outOfScope", await Reason(staffM3.Get("/api/places/m1/intake"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(staffM3.Get($"/api/intake/{id}"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(staffM3.Post($"/api/intake/{id}/accept"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(staffM3.Post($"/api/intake/{id}/decline", new { reason = "no" }), HttpStatusCode.Forbidden));
        Assert.DoesNotContain((await staffM3.GetOk<IntakePage>("/api/places/m3/intake?pageSize=200")).Items, i => i.Id == id);

        using var staff = await World.As("staff-t1");
        Assert.Equal("notFound", await Reason(staff.Get("/api/intake/0123456789abcdef0123456789abcdef"), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(staff.Get("/api/places/nowhere/intake"), HttpStatusCode.NotFound));
        var badQuery = await DispatchClient.Problem(await staff.Get("/api/places/m1/intake?status=maybe&pageSize=0"), HttpStatusCode.BadRequest);
        Assert.Equal(["pageSize", "status"], badQuery["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(IntakeStatus.Waiting, (await staff.GetOk<IntakeItem>($"/api/intake/{id}")).Status);
    }

    [Fact]
    public async Task Staff_accept_an_item_as_a_request_whose_beneficiary_is_the_resident()
    {
        var (_, id) = await File(Filing("Accept me", phone: "13711112222"));
        using var staff = await World.As("staff-t1");

        var invalid = await DispatchClient.Problem(await staff.Post($"/api/intake/{id}/accept", new { title = "" }), HttpStatusCode.BadRequest);
        Assert.Equal(["title"], invalid["errors"]!.AsObject().Select(e => e.Key));

        var accepted = await staff.PostOk<IntakeItem>($"/api/intake/{id}/accept", new { title = "帮张大爷预约体检", urgency = "urgent" });
        Assert.Equal((IntakeStatus.Accepted, "staff-t1", Guid.ParseExact(id, "N")), (accepted.Status, accepted.DecidedBy, accepted.RequestId));
        Assert.Equal(accepted.RequestId, (await staff.PostOk<IntakeItem>($"/api/intake/{id}/accept")).RequestId);
        Assert.Equal("alreadyDecided", await Reason(staff.Post($"/api/intake/{id}/decline", new { reason = "late" }), HttpStatusCode.Conflict));

        var request = await staff.GetOk<RequestView>($"/api/requests/{accepted.RequestId}");
        Assert.Equal((RequestKind.Errand, "帮张大爷预约体检", Urgency.Urgent, RequestStatus.Open), (request.Kind, request.Title, request.Urgency, request.Status));
        Assert.Equal<string>(["帮您约"], request.Categories);
        Assert.Equal(("张大爷", "13711112222", "3号楼2单元401"), (request.Beneficiary!.Name, request.Beneficiary.Phone, request.Beneficiary.Address));

        // Volunteers of the community now see the request, without the resident's contact.
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        var shown = await volunteer.GetOk<JsonObject>($"/api/requests/{accepted.RequestId}");
        Assert.Equal("帮张大爷预约体检", shown["title"]!.GetValue<string>());
        Assert.DoesNotContain("13711112222", shown.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_merge_an_item_into_an_unfinished_request_of_its_community()
    {
        var (_, id) = await File(Filing("Merge me"));
        using var staff = await World.As("staff-t1");
        var target = await staff.CreateRequest("m1", title: "Street lamp");
        var elsewhere = await staff.CreateRequest("m2", title: "Elsewhere");
        var cancelled = await staff.CreateRequest("m1", title: "Cancelled");
        await staff.PostOk<RequestView>($"/api/requests/{cancelled.Id}/cancel", new { reason = "duplicate" });

        Assert.Equal(["requestId"], (await DispatchClient.Problem(await staff.Post($"/api/intake/{id}/merge", new { }), HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(["requestId"], (await DispatchClient.Problem(await staff.Post($"/api/intake/{id}/merge", new { requestId = Guid.NewGuid() }), HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal("otherCommunity", await Reason(staff.Post($"/api/intake/{id}/merge", new { requestId = elsewhere.Id }), HttpStatusCode.BadRequest));
        Assert.Equal("requestFinished", await Reason(staff.Post($"/api/intake/{id}/merge", new { requestId = cancelled.Id }), HttpStatusCode.BadRequest));

        var merged = await staff.PostOk<IntakeItem>($"/api/intake/{id}/merge", new { requestId = target.Id });
        Assert.Equal((IntakeStatus.Merged, target.Id), (merged.Status, merged.RequestId));
        var another = await staff.CreateRequest("m1", title: "Another lamp");
        Assert.Equal(target.Id, (await staff.PostOk<IntakeItem>($"/api/intake/{id}/merge", new { requestId = target.Id })).RequestId);
        Assert.Equal("alreadyDecided", await Reason(staff.Post($"/api/intake/{id}/merge", new { requestId = another.Id }), HttpStatusCode.Conflict));
        Assert.Equal("alreadyDecided", await Reason(staff.Post($"/api/intake/{id}/accept"), HttpStatusCode.Conflict));
        Assert.Equal(RequestStatus.Open, (await staff.GetOk<RequestView>($"/api/requests/{target.Id}")).Status);
    }

    [Fact]
    public async Task Staff_decline_with_a_reason_and_the_list_filters_by_status()
    {
        var (_, id) = await File(Filing("Decline me"));
        using var staff = await World.As("staff-t1");
        Assert.Equal(["reason"], (await DispatchClient.Problem(await staff.Post($"/api/intake/{id}/decline", new { reason = " " }), HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));

        var declined = await staff.PostOk<IntakeItem>($"/api/intake/{id}/decline", new { reason = "请联系物业公司处理" });
        Assert.Equal((IntakeStatus.Declined, "请联系物业公司处理"), (declined.Status, declined.Reason));
        Assert.Contains((await staff.GetOk<IntakePage>("/api/places/m1/intake?status=declined&pageSize=200")).Items, i => i.Id == id);
        Assert.DoesNotContain((await staff.GetOk<IntakePage>("/api/places/m1/intake?status=waiting&pageSize=200")).Items, i => i.Id == id);
        Assert.Equal("alreadyDecided", await Reason(staff.Post($"/api/intake/{id}/accept"), HttpStatusCode.Conflict));
        Assert.Equal(IntakeStatus.Declined, (await staff.GetOk<IntakeItem>($"/api/intake/{id}")).Status);
    }

    [Fact]
    public async Task The_tracking_code_shows_the_status_owner_and_check_in_code_and_nothing_private()
    {
        var (code, id) = await File(Filing("Track me", phone: "13722223333"));
        using var anonymous = World.App.Anonymous();
        var waiting = await anonymous.GetOk<JsonObject>($"/api/track/{code}");
        Assert.Equal(("waiting", "Track me"), (waiting["status"]!.GetValue<string>(), waiting["title"]!.GetValue<string>()));
        Assert.Equal("notFound", await Reason(anonymous.Get("/api/track/AAAAAAAAAAAAAAAAAAAAAA"), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(anonymous.Get("/api/track/not-a-code"), HttpStatusCode.NotFound));

        using var staff = await World.As("staff-t1");
        var accepted = await staff.PostOk<IntakeItem>($"/api/intake/{id}/accept");
        var open = await anonymous.GetOk<JsonObject>($"/api/track/{code}");
        Assert.Equal("open", open["status"]!.GetValue<string>());
        Assert.NotNull(open["deadline"]);
        Assert.Null(open["checkInCode"]);

        await staff.PostOk<RequestView>($"/api/requests/{accepted.RequestId}/acknowledge");
        using var volunteer = await World.As(World.Volunteer("m1", 2));
        await volunteer.PostOk<RequestView>($"/api/requests/{accepted.RequestId}/claim");
        var request = await staff.GetOk<RequestView>($"/api/requests/{accepted.RequestId}");
        var me = await staff.GetOk<JsonObject>("/api/accounts/me");

        var claimed = await anonymous.GetOk<JsonObject>($"/api/track/{code}");
        Assert.Equal(("claimed", request.CheckInCode), (claimed["status"]!.GetValue<string>(), claimed["checkInCode"]!.GetValue<string>()));
        Assert.Equal(me["displayName"]!.GetValue<string>(), claimed["owner"]!.GetValue<string>());
        var text = claimed.ToJsonString();
        foreach (var secret in new[] { "13722223333", "张大爷", "3号楼", "\"staff-t1\"", World.Volunteer("m1", 2) })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_declined_filing_shows_its_reason_and_a_merged_one_never_the_check_in_code()
    {
        var (declinedCode, declinedId) = await File(Filing("Declined track"));
        using var staff = await World.As("staff-t1");
        await staff.PostOk<IntakeItem>($"/api/intake/{declinedId}/decline", new { reason = "请联系物业" });
        using var anonymous = World.App.Anonymous();
        var declined = await anonymous.GetOk<JsonObject>($"/api/track/{declinedCode}");
        Assert.Equal(("declined", "请联系物业"), (declined["status"]!.GetValue<string>(), declined["reason"]!.GetValue<string>()));

        var (mergedCode, mergedId) = await File(Filing("Merged track"));
        var target = await staff.CreateRequest("m1", title: "Someone else's door");
        await staff.PostOk<IntakeItem>($"/api/intake/{mergedId}/merge", new { requestId = target.Id });
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        await volunteer.PostOk<RequestView>($"/api/requests/{target.Id}/claim");
        var merged = await anonymous.GetOk<JsonObject>($"/api/track/{mergedCode}");
        Assert.Equal(("claimed", true), (merged["status"]!.GetValue<string>(), merged["merged"]!.GetValue<bool>()));
        Assert.Null(merged["checkInCode"]);
    }

    /// <summary>Files, accepts, and has a volunteer of m1 claim and start it: the request's id and the resident's code.</summary>
    private async Task<(string Code, Guid RequestId, DispatchClient Volunteer)> InProgress(string title, int volunteer)
    {
        var (code, id) = await File(Filing(title));
        using var staff = await World.As("staff-t1");
        var accepted = await staff.PostOk<IntakeItem>($"/api/intake/{id}/accept");
        var phone = await World.As(World.Volunteer("m1", volunteer));
        await phone.PostOk<RequestView>($"/api/requests/{accepted.RequestId}/claim");
        await phone.PostOk<RequestView>($"/api/requests/{accepted.RequestId}/start");
        return (code, accepted.RequestId!.Value, phone);
    }

    [Fact]
    public async Task The_resident_confirms_once_the_work_is_done_then_rates_it_once()
    {
        var (code, requestId, phone) = await InProgress("Confirm me", volunteer: 1);
        using var anonymous = World.App.Anonymous();
        Assert.False((await anonymous.GetOk<JsonObject>($"/api/track/{code}"))["canAnswer"]!.GetValue<bool>());
        Assert.Equal("notCompleted", await Reason(anonymous.Post($"/api/track/{code}/confirm", new { done = true }), HttpStatusCode.Conflict));

        // The volunteer enters the check-in code the resident read on the tracking page: verified at once.
        var checkIn = (await anonymous.GetOk<JsonObject>($"/api/track/{code}"))["checkInCode"]!.GetValue<string>();
        using (phone)
        {
            await phone.PostOk<RequestView>($"/api/requests/{requestId}/complete", new { checkInCode = checkIn });
        }

        var asked = await anonymous.GetOk<JsonObject>($"/api/track/{code}");
        Assert.Equal(("verified", true), (asked["status"]!.GetValue<string>(), asked["canAnswer"]!.GetValue<bool>()));
        Assert.Null(asked["done"]);
        Assert.Equal("notConfirmed", await Reason(anonymous.Post($"/api/track/{code}/rating", new { rating = "satisfied" }), HttpStatusCode.Conflict));

        Assert.Equal(["done"], (await DispatchClient.Problem(await anonymous.Post($"/api/track/{code}/confirm", new { }), HttpStatusCode.BadRequest))["errors"]!.AsObject().Select(e => e.Key));
        var confirmed = await anonymous.PostOk<JsonObject>($"/api/track/{code}/confirm", new { done = true });
        Assert.True(confirmed["done"]!.GetValue<bool>());
        await anonymous.PostOk<JsonObject>($"/api/track/{code}/confirm", new { done = true });
        Assert.Equal("alreadyConfirmed", await Reason(anonymous.Post($"/api/track/{code}/confirm", new { done = false }), HttpStatusCode.Conflict));

        var missing = await DispatchClient.Problem(await anonymous.Post($"/api/track/{code}/rating", new { comment = new string('好', 501) }), HttpStatusCode.BadRequest);
        Assert.Equal(["comment", "rating"], missing["errors"]!.AsObject().Select(e => e.Key).Order());
        var rated = await anonymous.PostOk<JsonObject>($"/api/track/{code}/rating", new { rating = "basicallySatisfied", comment = "来得及时，就是晚了一天" });
        Assert.Equal(("basicallySatisfied", "verified"), (rated["rating"]!.GetValue<string>(), rated["status"]!.GetValue<string>()));
        Assert.Equal("alreadyRated", await Reason(anonymous.Post($"/api/track/{code}/rating", new { rating = "unsatisfied" }), HttpStatusCode.Conflict));
        Assert.Equal("notFound", await Reason(anonymous.Post("/api/track/AAAAAAAAAAAAAAAAAAAAAA/confirm", new { done = true }), HttpStatusCode.NotFound));

        // Staff read the resident's answers apart from the verification, and the history says it in words.
        using var staff = await World.As("staff-t1");
        var request = await staff.GetOk<RequestView>($"/api/requests/{requestId}");
        Assert.Equal(RequestStatus.Verified, request.Status);
        Assert.Equal((true, ResidentRating.BasicallySatisfied, "来得及时，就是晚了一天"), (request.ResidentFeedback!.Done, request.ResidentFeedback.Rating, request.ResidentFeedback.Comment));
        var history = await staff.GetOk<JsonNode>($"/api/requests/{requestId}/history");
        Assert.Contains("basically satisfied: 来得及时，就是晚了一天", history.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsatisfied_rating_sends_the_request_back_to_staff_who_are_told()
    {
        var (code, requestId, phone) = await InProgress("Unsatisfied", volunteer: 2);

        // staff-t1 took it up: the owner is the one told.
        using var staff = await World.As("staff-t1");
        await staff.PostOk<RequestView>($"/api/requests/{requestId}/acknowledge");
        using var anonymous = World.App.Anonymous();
        var checkIn = (await anonymous.GetOk<JsonObject>($"/api/track/{code}"))["checkInCode"]!.GetValue<string>();
        using (phone)
        {
            await phone.PostOk<RequestView>($"/api/requests/{requestId}/complete", new { checkInCode = checkIn });
        }

        var before = (await staff.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items.Count(i => i.RequestId == requestId);
        await anonymous.PostOk<JsonObject>($"/api/track/{code}/confirm", new { done = true });
        var rated = await anonymous.PostOk<JsonObject>($"/api/track/{code}/rating", new { rating = "unsatisfied", comment = "没人来过" });
        Assert.Equal(("completed", "unsatisfied"), (rated["status"]!.GetValue<string>(), rated["rating"]!.GetValue<string>()));

        var request = await staff.GetOk<RequestView>($"/api/requests/{requestId}");
        Assert.Equal(RequestStatus.Completed, request.Status);
        Assert.Null(request.Verification);
        var notices = (await staff.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items.Where(i => i.RequestId == requestId).ToList();
        Assert.Equal(before + 1, notices.Count);
        Assert.Contains(notices, n => n.Kind == NoticeKind.ResidentUnsatisfied && n.By == "resident");
    }
}

/// <summary>The per-address limit of filings, on its own host: every in-process client shares one address.</summary>
public sealed class IntakeAddressLimitTests
{
    [Fact]
    public async Task An_address_files_up_to_its_burst_then_waits_for_the_refill()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, new Dictionary<string, string?>
        {
            ["Dispatch:RateLimits:IntakePerAddress:Burst"] = "2",
            ["Dispatch:RateLimits:IntakePerAddress:Refill"] = "1",
            ["Dispatch:RateLimits:IntakePerAddress:Period"] = "00:05:00",
        }, clock);
        using var admin = await app.Admin();
        await World.Seed(admin, volunteersPerCommunity: 0);
        using var anonymous = app.Anonymous();
        var token = (await anonymous.GetOk<JsonObject>("/api/intake/form/m1"))["formToken"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromSeconds(10));
        object Filing(int n) => new { communityId = "m1", kind = "wish", title = $"Wish {n}", name = "李阿姨", phone = $"1360000000{n}", formToken = token };

        Assert.Equal(HttpStatusCode.Created, (await anonymous.Post("/api/intake", Filing(1))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await anonymous.Post("/api/intake", Filing(2))).StatusCode);
        var refused = await DispatchClient.Problem(await anonymous.Post("/api/intake", Filing(3)), HttpStatusCode.TooManyRequests);
        Assert.Equal(DispatchRateLimits.IntakePerAddress, refused["limit"]!.GetValue<string>());

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.Created, (await anonymous.Post("/api/intake", Filing(3))).StatusCode);
    }
}
