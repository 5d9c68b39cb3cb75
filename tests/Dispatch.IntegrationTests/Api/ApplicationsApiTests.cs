using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.Applications;
using Dispatch.IntegrationTests.Support;
using Dispatch.Organisations;
using Dispatch.Requests;
using Dispatch.WebHost.Security;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Api;

/// <summary>Reporting in (双报到) through the real API: anyone applies, the applicant may only wait, staff in scope decide.</summary>
public sealed class ApplicationsApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private const string Password = "report-in-password";

    private static int phones;

    private World World => fixture.World;

    /// <summary>A fresh phone number per application, so that the per-phone limit stays out of the way.</summary>
    private static string NextPhone() => $"1380013{Interlocked.Increment(ref phones):D4}";

    private static object Person(string username, string communityId = "m1", string? phone = null) => new
    {
        kind = "person",
        communityId,
        name = "王芳",
        phone = phone ?? NextPhone(),
        username,
        password = Password,
        unit = "County Power Supply",
        partyMember = true,
        skills = new[] { "first aid" },
        availability = new[] { "weekday evenings", "weekends" },
        offers = Array.Empty<string>(),
    };

    private async Task<ApplicationStatusView> Apply(object application)
    {
        using var anonymous = World.App.Anonymous();
        var response = await anonymous.Post("/api/applications", application);
        await DispatchClient.Expect(response, HttpStatusCode.Created);
        Assert.Equal("/api/applications/mine", response.Headers.Location?.OriginalString);
        return (await response.Content.ReadFromJsonAsync<ApplicationStatusView>(DispatchClient.Json))!;
    }

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();

    [Fact]
    public async Task Anyone_reports_in_and_then_may_read_their_application_and_nothing_else()
    {
        var applied = await Apply(Person("applicant-wait"));
        Assert.Equal(ApplicationStatus.Waiting, applied.Status);
        Assert.Null(applied.Reason);

        using var applicant = await World.App.LoginAs("applicant-wait", Password);
        var mine = await applicant.GetOk<JsonObject>("/api/applications/mine");
        Assert.Equal((applied.Id, "person", "waiting"), (mine["id"]!.GetValue<string>(), mine["kind"]!.GetValue<string>(), mine["status"]!.GetValue<string>()));

        var request = await World.Admin.CreateRequest("m1");
        Assert.Equal("roleNotAllowed", await Reason(applicant.Get("/api/accounts/me"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(applicant.Get("/api/communities/m1/requests"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(applicant.Get($"/api/requests/{request.Id}"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(applicant.Post($"/api/requests/{request.Id}/claim"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(applicant.Get("/api/places/m1/applications"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(applicant.Post($"/api/applications/{applied.Id}/approve"), HttpStatusCode.Forbidden));

        // Members have no application to read, unless they reported in.
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        Assert.Equal("notFound", await Reason(volunteer.Get("/api/applications/mine"), HttpStatusCode.NotFound));
        Assert.Equal("roleNotAllowed", await Reason(World.Admin.Get("/api/applications/mine"), HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task A_taken_username_is_refused_on_the_username_field_and_nothing_is_created()
    {
        await Apply(Person("applicant-dup"));
        using var anonymous = World.App.Anonymous();

        foreach (var taken in new[] { "applicant-dup", "Applicant-Dup", World.Volunteer("m1", 1) })
        {
            var problem = await DispatchClient.Problem(await anonymous.Post("/api/applications", Person(taken)), HttpStatusCode.Conflict);
            Assert.Equal("usernameTaken", problem["reason"]!.GetValue<string>());
            Assert.NotNull(problem["errors"]!["username"]);
        }

        // The volunteer's password is unchanged and the list holds one application of that name.
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        using var staff = await World.As("staff-t1");
        var page = await staff.GetOk<ApplicationPage>("/api/places/m1/applications?pageSize=200");
        Assert.Single(page.Items, a => a.Username == "applicant-dup");
        Assert.DoesNotContain(page.Items, a => a.Username == World.Volunteer("m1", 1));
    }

    [Fact]
    public async Task Bad_fields_are_named_and_nothing_is_created()
    {
        using var anonymous = World.App.Anonymous();
        var problem = await DispatchClient.Problem(
            await anonymous.Post("/api/applications", new { communityId = "m1", name = "", phone = "12x", username = "applicant-bad", password = "short", skills = new[] { "" } }),
            HttpStatusCode.BadRequest);
        Assert.Equal("invalid", problem["reason"]!.GetValue<string>());
        Assert.Equal(
            new[] { "kind", "name", "password", "phone", "skills" },
            problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));

        var unit = await DispatchClient.Problem(
            await anonymous.Post("/api/applications", new { kind = "unit", communityId = "m1", name = "Li Ming", phone = NextPhone(), username = "applicant-bad", password = Password }),
            HttpStatusCode.BadRequest);
        Assert.Equal(["unit"], unit["errors"]!.AsObject().Select(e => e.Key));

        // The kind of unit belongs to a unit's report-in, and is one of the known kinds.
        var personWithUnitKind = await DispatchClient.Problem(
            await anonymous.Post("/api/applications", new { kind = "person", communityId = "m1", name = "Li Ming", phone = NextPhone(), username = "applicant-bad", password = Password, unitKind = "privateEnterprise" }),
            HttpStatusCode.BadRequest);
        Assert.Equal(["unitKind"], personWithUnitKind["errors"]!.AsObject().Select(e => e.Key));
        var badUnitKind = await anonymous.PostRaw("/api/applications", """{"kind":"unit","communityId":"m1","name":"Li Ming","unit":"A bank","unitKind":"bank"}""");
        await DispatchClient.Problem(badUnitKind, HttpStatusCode.BadRequest);

        foreach (var place in new[] { "t1", "nowhere" })
        {
            var notCommunity = await DispatchClient.Problem(await anonymous.Post("/api/applications", Person("applicant-bad", place)), HttpStatusCode.BadRequest);
            Assert.Equal(["communityId"], notCommunity["errors"]!.AsObject().Select(e => e.Key));
        }

        var badKind = await anonymous.PostRaw("/api/applications", """{"kind":"robot","communityId":"m1"}""");
        await DispatchClient.Problem(badKind, HttpStatusCode.BadRequest);

        var signIn = await anonymous.Post("/api/auth/token", new { username = "applicant-bad", password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    [Fact]
    public async Task Staff_see_and_decide_the_applications_of_their_scope_only()
    {
        var applied = await Apply(Person("applicant-scope", phone: "13912345678"));
        using var staffT1 = await World.As("staff-t1");
        using var staffM3 = await World.As("staff-m3");
        using var volunteer = await World.As(World.Volunteer("m1", 1));

        // From the town and from the community: the application with its private phone.
        foreach (var place in new[] { "t1", "m1" })
        {
            var page = await staffT1.GetOk<ApplicationPage>($"/api/places/{place}/applications?status=waiting&pageSize=200");
            var listed = Assert.Single(page.Items, a => a.Id == applied.Id);
            Assert.Equal(("13912345678", "王芳", ApplicationStatus.Waiting), (listed.Phone, listed.Name, listed.Status));
            Assert.Equal(1, page.Page);
            Assert.True(page.Total >= 1);
        }

        Assert.DoesNotContain((await staffT1.GetOk<ApplicationPage>("/api/places/m1/applications?status=rejected")).Items, a => a.Id == applied.Id);
        Assert.Empty((await staffM3.GetOk<ApplicationPage>("/api/places/m3/applications")).Items.Where(a => a.Id == applied.Id));
        Assert.Equal("outOfScope", await Reason(staffM3.Get("/api/places/m1/applications"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(staffM3.Post($"/api/applications/{applied.Id}/approve"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(staffM3.Post($"/api/applications/{applied.Id}/reject", new { reason = "no" }), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Get("/api/places/m1/applications"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Post($"/api/applications/{applied.Id}/approve"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(staffT1.Post("/api/applications/0123456789abcdef0123456789abcdef/approve"), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(staffT1.Get("/api/places/nowhere/applications"), HttpStatusCode.NotFound));

        var badQuery = await DispatchClient.Problem(await staffT1.Get("/api/places/m1/applications?status=maybe&page=0"), HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "page", "status" }, badQuery["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));

        // Still waiting: nobody out of scope changed it.
        Assert.Equal(ApplicationStatus.Waiting, (await staffT1.GetOk<ApplicationPage>("/api/places/m1/applications?status=waiting&pageSize=200")).Items.Single(a => a.Id == applied.Id).Status);
    }

    [Fact]
    public async Task An_approved_applicant_is_a_volunteer_who_can_claim()
    {
        var applied = await Apply(Person("applicant-yes"));
        using var staff = await World.As("staff-t1");

        var approved = await staff.PostOk<ApplicationView>($"/api/applications/{applied.Id}/approve");
        Assert.Equal((ApplicationStatus.Approved, "staff-t1"), (approved.Status, approved.DecidedBy));

        // Approving again is a retry; rejecting now is too late.
        Assert.Equal(ApplicationStatus.Approved, (await staff.PostOk<ApplicationView>($"/api/applications/{applied.Id}/approve")).Status);
        Assert.Equal("alreadyDecided", await Reason(staff.Post($"/api/applications/{applied.Id}/reject", new { reason = "Changed my mind" }), HttpStatusCode.Conflict));

        using var volunteer = await World.App.LoginAs("applicant-yes", Password);
        var me = await volunteer.GetOk<JsonObject>("/api/accounts/me");
        Assert.Equal(("volunteer", "m1", "王芳"), (me["role"]!.GetValue<string>(), me["placeId"]!.GetValue<string>(), me["displayName"]!.GetValue<string>()));
        Assert.Equal("approved", (await volunteer.GetOk<JsonObject>("/api/applications/mine"))["status"]!.GetValue<string>());

        var request = await staff.CreateRequest("m1");
        var claimed = await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        Assert.Contains("applicant-yes", claimed.Claimants);
        var registered = await staff.GetOk<JsonObject>("/api/volunteers/applicant-yes");
        Assert.Equal<string>(["first aid"], registered["skills"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task A_rejected_applicant_is_shown_the_reason_and_stays_an_applicant()
    {
        var applied = await Apply(Person("applicant-no"));
        using var staff = await World.As("staff-t1");

        var missing = await DispatchClient.Problem(await staff.Post($"/api/applications/{applied.Id}/reject", new { reason = " " }), HttpStatusCode.BadRequest);
        Assert.Equal(["reason"], missing["errors"]!.AsObject().Select(e => e.Key));

        var rejected = await staff.PostOk<ApplicationView>($"/api/applications/{applied.Id}/reject", new { reason = "请到居住地社区报到" });
        Assert.Equal((ApplicationStatus.Rejected, "请到居住地社区报到"), (rejected.Status, rejected.Reason));
        Assert.Equal("alreadyDecided", await Reason(staff.Post($"/api/applications/{applied.Id}/approve"), HttpStatusCode.Conflict));

        using var applicant = await World.App.LoginAs("applicant-no", Password);
        var mine = await applicant.GetOk<JsonObject>("/api/applications/mine");
        Assert.Equal(("rejected", "请到居住地社区报到"), (mine["status"]!.GetValue<string>(), mine["reason"]!.GetValue<string>()));
        Assert.Equal("roleNotAllowed", await Reason(applicant.Get("/api/communities/m1/requests"), HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Staff_in_scope_read_who_submitted_and_decided_an_application_and_nobody_else_does()
    {
        var applied = await Apply(Person("applicant-trail"));
        using var staff = await World.As("staff-t1");
        using var staffM3 = await World.As("staff-m3");
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        using var applicant = await World.App.LoginAs("applicant-trail", Password);

        var submitted = Assert.Single(await staff.GetOk<JsonArray>($"/api/applications/{applied.Id}/trail"));
        Assert.Equal(("submitted", "applicant-trail"), (submitted!["action"]!.GetValue<string>(), submitted["by"]!.GetValue<string>()));
        Assert.Null(submitted["reason"]);

        await staff.PostOk<ApplicationView>($"/api/applications/{applied.Id}/reject", new { reason = "请到居住地社区报到" });
        // A repeated rejection changes nothing, so it adds nothing to the trail.
        await staff.PostOk<ApplicationView>($"/api/applications/{applied.Id}/reject", new { reason = "请到居住地社区报到" });

        var trail = await staff.GetOk<ApplicationEvent[]>($"/api/applications/{applied.Id}/trail");
        Assert.Equal([ApplicationAction.Submitted, ApplicationAction.Rejected], trail.Select(e => e.Action));
        Assert.Equal(("staff-t1", "请到居住地社区报到"), (trail[1].By, trail[1].Reason));
        Assert.True(trail[1].At >= trail[0].At);

        Assert.Equal("outOfScope", await Reason(staffM3.Get($"/api/applications/{applied.Id}/trail"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Get($"/api/applications/{applied.Id}/trail"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(applicant.Get($"/api/applications/{applied.Id}/trail"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(staff.Get("/api/applications/0123456789abcdef0123456789abcdef/trail"), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(staff.Get("/api/applications/not%20an%20id/trail"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task An_approved_unit_becomes_an_organisation_of_the_community_with_its_contact_as_member()
    {
        var applied = await Apply(new
        {
            kind = "unit",
            communityId = "m1",
            name = "Li Ming",
            phone = NextPhone(),
            username = "unit-contact",
            password = Password,
            unit = "County Water Company",
            unitKind = "stateOwnedEnterprise",
            offers = new[] { "pipe repairs", "a meeting room" },
        });
        using var staff = await World.As("staff-t1");

        var approved = await staff.PostOk<ApplicationView>($"/api/applications/{applied.Id}/approve");

        var organisation = await staff.GetOk<OrganisationView>($"/api/organisations/{approved.OrganisationId}");
        Assert.Equal(("County Water Company", "staff-t1"), (organisation.Name, organisation.CreatedBy));
        Assert.Equal<string>(["m1"], organisation.CommunityIds);
        Assert.Equal<string>(["unit-contact"], organisation.Members);
        Assert.Equal<string>(["pipe repairs", "a meeting room"], approved.Offers);
        Assert.Equal(UnitKind.StateOwnedEnterprise, approved.UnitKind);
    }

    [Fact]
    public async Task A_phone_number_applies_a_few_times_then_waits()
    {
        using var anonymous = World.App.Anonymous();
        const string phone = "138 0000 9999";
        for (var i = 0; i < 3; i++)
        {
            // A taken username still counts: the limit is on attempts, not on successes.
            var answer = await anonymous.Post("/api/applications", Person(World.Volunteer("m1", 1), phone: phone));
            Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        }

        var refused = await DispatchClient.Problem(await anonymous.Post("/api/applications", Person("applicant-limited", phone: "13800009999")), HttpStatusCode.TooManyRequests);
        Assert.Equal(("rateLimited", DispatchRateLimits.ApplicationsPerPhone), (refused["reason"]!.GetValue<string>(), refused["limit"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Created, (await anonymous.Post("/api/applications", Person("applicant-limited"))).StatusCode);
    }
}

/// <summary>The per-address limit of report-ins, on its own host: every in-process client shares one address.</summary>
public sealed class ApplicationAddressLimitTests
{
    [Fact]
    public async Task An_address_reports_in_up_to_its_burst_then_waits_for_the_refill()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, new Dictionary<string, string?>
        {
            ["Dispatch:RateLimits:ApplicationsPerAddress:Burst"] = "2",
            ["Dispatch:RateLimits:ApplicationsPerAddress:Refill"] = "1",
            ["Dispatch:RateLimits:ApplicationsPerAddress:Period"] = "00:01:00",
        }, clock);
        using var admin = await app.Admin();
        await World.Seed(admin, volunteersPerCommunity: 0);
        using var anonymous = app.Anonymous();
        object Application(int n) => new { kind = "person", communityId = "m1", name = $"Person {n}", phone = $"1370000000{n}", username = $"by-address-{n}", password = "report-in-password" };

        Assert.Equal(HttpStatusCode.Created, (await anonymous.Post("/api/applications", Application(1))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await anonymous.Post("/api/applications", Application(2))).StatusCode);
        var refused = await DispatchClient.Problem(await anonymous.Post("/api/applications", Application(3)), HttpStatusCode.TooManyRequests);
        Assert.Equal(DispatchRateLimits.ApplicationsPerAddress, refused["limit"]!.GetValue<string>());

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Created, (await anonymous.Post("/api/applications", Application(3))).StatusCode);
    }
}
