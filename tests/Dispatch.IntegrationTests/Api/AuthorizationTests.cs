using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.IntegrationTests.Api;

/// <summary>Every route needs a valid token; roles and place scopes decide the rest.</summary>
public sealed class AuthorizationTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    /// <summary>Every /api route the host maps (found from its endpoints, so none is forgotten), with sample values for its parameters.</summary>
    public static IEnumerable<(string Method, string Path)> ApiRoutes(DispatchApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (method, Sample(e.RoutePattern.RawText!))))
            .Distinct();

    /// <summary>
    /// The routes without a token. Signing in, refreshing and signing out present credentials of their own in the body.
    /// Reporting in (POST /api/applications) is how someone without an account gets one, and the
    /// public place directory is where they pick the community (names only: PlaceDirectoryApiTests).
    /// Residents file and follow their needs without an account: the form, the filing, and the
    /// tracking code that is its own credential, also to confirm and rate (ResidentsApiTests).
    /// </summary>
    public static readonly string[] AnonymousRoutes =
    [
        "/api/auth/token", "/api/auth/refresh", "/api/auth/revoke", "/api/applications/", "/api/places/directory/", "/api/places/directory/m1/units",
        "/api/intake/form/{communityId}", "/api/intake/", "/api/track/{code}", "/api/track/{code}/confirm", "/api/track/{code}/rating",
    ];

    /// <summary>
    /// Anonymous by method: a shop item's picture is read by an &lt;img&gt;, which sends no token
    /// (ShopPictureApiTests); uploading and removing it take staff in scope.
    /// </summary>
    public static bool IsAnonymous((string Method, string Path) route) =>
        AnonymousRoutes.Contains(route.Path)
        || (route.Method == "GET" && System.Text.RegularExpressions.Regex.IsMatch(route.Path, "^/api/shop/items/[0-9a-f-]{36}/picture$"));

    [Fact]
    public async Task Every_api_route_but_the_sign_in_routes_answers_401_without_a_valid_token()
    {
        var routes = ApiRoutes(fixture.App).Where(r => !IsAnonymous(r)).ToList();
        Assert.True(routes.Count >= 15, $"Only {routes.Count} routes were found.");
        using var anonymous = fixture.App.Anonymous();
        using var forged = fixture.App.Anonymous();
        forged.Http.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiJ9.c2lnbmF0dXJl");
        foreach (var (method, path) in routes)
        {
            foreach (var client in new[] { anonymous, forged })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null };
                var response = await client.Http.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task Only_admins_create_places_and_staff_create_only_volunteers_inside_their_scope()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        var place = new { id = "nope", name = "Nope", kind = "community", parentId = "t1" };
        await DispatchClient.Problem(await staff.Post("/api/places", place), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await volunteer.Post("/api/places", place), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NotFound, (await World.Admin.Get("/api/places/nope")).StatusCode);

        await DispatchClient.Problem(await staff.Post("/api/accounts", Account("new-staff", "staff", "m1")), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Post("/api/accounts", Account("far-vol", "volunteer", "m3")), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await volunteer.Post("/api/accounts", Account("vol-made", "volunteer", "m1")), HttpStatusCode.Forbidden);
        await DispatchClient.Expect(await staff.Post("/api/accounts", Account("near-vol", "volunteer", "m2")), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.App.Anonymous().Post("/api/auth/token", new { username = "far-vol", password = "password-1" })).StatusCode);
    }

    [Fact]
    public async Task Staff_publish_and_act_only_inside_their_scope()
    {
        using var near = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        await DispatchClient.Problem(await far.Post("/api/requests", NewRequest("m1")), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await volunteer.Post("/api/requests", NewRequest("m1")), HttpStatusCode.Forbidden);

        var request = await near.CreateRequest("m1");
        await DispatchClient.Problem(await far.Get($"/api/requests/{request.Id}"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await far.Get($"/api/requests/{request.Id}/history"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await far.Post($"/api/requests/{request.Id}/cancel", new { reason = "not mine" }), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await near.Post($"/api/requests/{request.Id}/claim"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await far.Get("/api/communities/m1"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await far.Get("/api/communities/m1/requests"), HttpStatusCode.Forbidden);

        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/start");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/complete");
        await DispatchClient.Problem(await far.Post($"/api/requests/{request.Id}/verify", new { approved = true }), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await volunteer.Post($"/api/requests/{request.Id}/verify", new { approved = true }), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await volunteer.Post($"/api/requests/{request.Id}/cancel", new { reason = "mine" }), HttpStatusCode.Forbidden);
        var unchanged = await near.GetOk<RequestView>($"/api/requests/{request.Id}");
        Assert.Equal(Dispatch.Requests.RequestStatus.Completed, unchanged.Status);
    }

    [Fact]
    public async Task Volunteers_see_their_own_community_and_the_beneficiary_only_while_they_hold_a_claim()
    {
        using var staff = await World.As("staff-t1");
        using var claimant = await World.As(World.Volunteer("m1", 1));
        using var neighbour = await World.As(World.Volunteer("m1", 2));
        using var outsider = await World.As(World.Volunteer("m3", 1));
        var request = await staff.CreateRequest("m1");

        Assert.Null((await neighbour.GetOk<RequestView>($"/api/requests/{request.Id}")).Beneficiary);
        await DispatchClient.Problem(await outsider.Get($"/api/requests/{request.Id}"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await outsider.Get("/api/communities/m1/requests"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await neighbour.Post($"/api/requests/{request.Id}/start"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await neighbour.Post($"/api/requests/{request.Id}/release"), HttpStatusCode.Forbidden);

        await claimant.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        Assert.Equal(ContactSentinel.Phone, (await claimant.GetOk<RequestView>($"/api/requests/{request.Id}")).Beneficiary?.Phone);
        Assert.Null((await neighbour.GetOk<RequestView>($"/api/requests/{request.Id}")).Beneficiary);

        var board = await neighbour.Get("/api/communities/m1/requests");
        Assert.DoesNotContain(ContactSentinel.Phone, await board.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await DispatchClient.Problem(await neighbour.Get($"/api/volunteers/{World.Volunteer("m1", 1)}"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await neighbour.Get("/api/accounts/staff-t1"), HttpStatusCode.Forbidden);
        await DispatchClient.Expect(await staff.Get($"/api/volunteers/{World.Volunteer("m1", 1)}"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_former_claimant_no_longer_sees_the_beneficiary_once_the_request_is_cancelled()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As(World.Volunteer("m2", 1));
        var request = await staff.CreateRequest("m2");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        Assert.NotNull((await volunteer.GetOk<RequestView>($"/api/requests/{request.Id}")).Beneficiary);

        await staff.PostOk<RequestView>($"/api/requests/{request.Id}/cancel", new { reason = "Resolved elsewhere" });

        var after = await volunteer.GetOk<RequestView>($"/api/requests/{request.Id}");
        Assert.Contains(World.Volunteer("m2", 1), after.Claimants); // Still on record as having claimed it...
        Assert.Null(after.Beneficiary);                               // ...but no longer holding a claim.
    }

    [Fact]
    public async Task A_refusal_by_role_is_a_problem_with_a_reason_and_volunteers_cannot_probe_usernames()
    {
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        var byRole = await DispatchClient.Problem(await volunteer.Post("/api/places", new { id = "x", name = "x", kind = "region" }), HttpStatusCode.Forbidden);
        Assert.Equal("roleNotAllowed", byRole["reason"]!.GetValue<string>());

        var existing = await DispatchClient.Problem(await volunteer.Get("/api/accounts/staff-t1"), HttpStatusCode.Forbidden);
        var missing = await DispatchClient.Problem(await volunteer.Get("/api/accounts/no-such-user"), HttpStatusCode.Forbidden);
        Assert.Equal(existing["detail"]!.GetValue<string>(), missing["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_units_contact_reads_its_units_report_and_its_own_inbox_and_every_other_route_and_the_live_hub_refuse_it()
    {
        using var staff = await World.As("staff-t1");
        await staff.PostOk<System.Text.Json.Nodes.JsonObject>("/api/organisations", new { id = "walk-unit", name = "县供电公司", communityIds = new[] { "m1" } }, HttpStatusCode.Created);
        await DispatchClient.Expect(await staff.Post("/api/organisations/walk-unit/members", new { username = World.Volunteer("m1", 1) }), HttpStatusCode.OK);
        await staff.CreateAccount("walk-unit-contact", "unit", "walk-unit");
        using var unit = await World.As("walk-unit-contact");
        const string period = "from=2026-11-01&to=2026-12-01";

        Assert.Equal(HttpStatusCode.OK, (await unit.Get($"/api/organisations/walk-unit/report?{period}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await unit.Get($"/api/organisations/walk-unit/report/export?{period}")).StatusCode);

        // Its own inbox (the username from the token): read and marked, polled, since the hub refuses it.
        Assert.Equal(HttpStatusCode.OK, (await unit.Get("/api/inbox")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await unit.Post("/api/inbox/read-all", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await unit.Post("/api/inbox/1/read", new { })).StatusCode);

        // Everything else, whatever the id: refused by role, or (its own report's routes for another unit) out of scope.
        string[] ownReport = ["/api/organisations/m1/report", "/api/organisations/m1/report/export"];
        string[] ownInbox = ["/api/inbox/", "/api/inbox/read-all", "/api/inbox/m1/read"];
        var routes = ApiRoutes(fixture.App).Where(r => !IsAnonymous(r) && !ownInbox.Contains(r.Path)).ToList();
        Assert.True(routes.Count >= 15, $"Only {routes.Count} routes were found.");
        await staff.PostOk<System.Text.Json.Nodes.JsonObject>("/api/organisations", new { id = "m1", name = "同名单位", communityIds = new[] { "m1" } }, HttpStatusCode.Created);
        foreach (var (method, path) in routes)
        {
            var target = ownReport.Contains(path) ? $"{path}?{period}" : path;
            using var request = new HttpRequestMessage(new HttpMethod(method), target) { Content = method is "POST" or "PUT" ? new StringContent("{}", System.Text.Encoding.UTF8, "application/json") : null };
            var response = await unit.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
            var problem = await DispatchClient.Problem(response, HttpStatusCode.Forbidden);
            Assert.Equal(ownReport.Contains(path) ? "outOfScope" : "roleNotAllowed", problem["reason"]!.GetValue<string>());
        }

        var hub = await unit.Http.PostAsync("/hubs/console/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Forbidden, hub.StatusCode);
    }

    private static object Account(string username, string role, string placeId) =>
        new { username, password = "password-1", displayName = username, role, placeId };

    private static object NewRequest(string communityId) =>
        new { communityId, kind = "wish", title = "Out of scope", beneficiary = new { name = "Someone" } };

    private static string Sample(string pattern) => System.Text.RegularExpressions.Regex
        .Replace(pattern, @"\{[A-Za-z]+:guid\}", _ => Guid.NewGuid().ToString())
        .Replace("{id}", "m1", StringComparison.Ordinal)
        .Replace("{username}", "admin", StringComparison.Ordinal)
        .Replace("{kind}", "wish", StringComparison.Ordinal)
        .Replace("{urgency}", "urgent", StringComparison.Ordinal);
}
