using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dispatch.IntegrationTests.Fuzz;

/// <summary>
/// Walks every mapped route as staff-m3 (scope: community m3) against resources of m1, t1 and the
/// organisation of m1 and m2: each one that names a resource refuses with 403 or 404 and changes
/// nothing an admin can see. Routes come from the host's endpoints (<see cref="ApiSurface"/>), so a
/// new route is walked without anyone listing it; those that are not scoped by design are listed
/// here with the reason.
/// </summary>
public sealed class ScopeWalkTests(FuzzFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<FuzzFixture>
{
    /// <summary>Routes that name no resource inside a place, and why.</summary>
    private static readonly Dictionary<string, string> Unscoped = new(StringComparer.Ordinal)
    {
        ["/api/auth/token"] = "signing in: the caller has no scope yet",
        ["/api/auth/refresh"] = "the refresh token in the body names its own account",
        ["/api/auth/revoke"] = "the refresh token in the body names its own account",
        ["/api/accounts/me"] = "the caller's own account",
        ["/api/places/{id}"] = "the place tree is public to every signed-in user (names and paths, nothing else)",
        ["/api/policies"] = "the escalation policies are one set for the whole deployment (staff read, admins write)",
        ["/api/policies/{kind}/{urgency}"] = "one set for the whole deployment; admins only",
        ["/api/places"] = "creates a place; admins only",
        ["/api/places/tree"] = "the caller's own scope: the places below the caller's place, nothing outside it (DeskRoutesApiTests)",
        ["/api/admin/backups"] = "the whole deployment; admins only",
        ["/api/open311/keys"] = "Open311 administration; admins only (the key's jurisdiction bounds its filings)",
        ["/api/applications"] = "reporting in: anonymous, names a community to apply to and no resource of anyone's (ApplicationsApiTests)",
        ["/api/intake"] = "a resident's filing: anonymous, names a community to file with and no resource of anyone's (ResidentsApiTests)",
        ["/api/inbox"] = "the caller's own inbox: the username comes from the token, no resource of anyone else's is named (NotificationsInboxApiTests)",
        ["/api/inbox/read-all"] = "the caller's own inbox (NotificationsInboxApiTests)",
        ["/api/me/channels"] = "the caller's own channels: the username comes from the token (NotificationsChannelsApiTests)",
        ["/api/me/deliveries"] = "the caller's own e-mails and text messages: the username comes from the token (NotificationsEmailTests)",
        ["/api/me/views"] = "the caller's own saved views: the username comes from the token (SavedViewsApiTests)",
        ["/api/me/views/{name}"] = "a saved view of the caller's own, named within their views: another's cannot be named (SavedViewsApiTests)",
        ["/api/inbox/{id}/read"] = "a notice of the caller's own inbox, numbered within it: another's cannot be named (NotificationsInboxApiTests)",
        ["/verify/{certificateId}"] = "the public check of a certificate of service: anonymous, the unguessable id is the credential and the page shows nothing private (HonoursApiTests)",
        ["/api/intake/form/{communityId}"] = "the residents' public form: anonymous, a community's name and a form token (ResidentsApiTests)",
        ["/api/track/{code}"] = "a resident's tracking code: anonymous, the unguessable code is the credential and names no place (ResidentsApiTests)",
        ["/api/track/{code}/confirm"] = "the resident confirms with their tracking code, the credential (ResidentsApiTests)",
        ["/api/track/{code}/rating"] = "the resident rates with their tracking code, the credential (ResidentsApiTests)",
        ["/api/places/directory"] = "the public place directory: names, ids and kinds of places, nothing of anyone's (PlaceDirectoryApiTests)",
        ["/api/places/directory/{id}/units"] = "the public place directory: the names of a community's units, nothing else (PlaceDirectoryApiTests)",
        ["/api/suggestions"] = "a representative's own suggestions (the username comes from the token), or staff's cut to their scope; filing names a place concerned, any place (SuggestionsApiTests)",
        ["/api/requests/batch"] = "names no resource: each item is scoped like POST /api/requests and refused on its own (403 outOfScope in its result; BatchAndExportApiTests)",
    };

    /// <summary>Routes that require a period: given one, so that what refuses them is the scope and not the input.</summary>
    private static readonly Dictionary<string, string> PeriodQueries = new(StringComparer.Ordinal)
    {
        ["/api/places/{id}/honours"] = "?period=2026-11",
        ["/api/organisations/{id}/report"] = "?from=2026-11-01&to=2026-12-01",
        ["/api/organisations/{id}/report/export"] = "?from=2026-11-01&to=2026-12-01",
        ["/api/places/{id}/unit-reports"] = "?from=2026-11-01&to=2026-12-01",
        ["/api/suggestions/stats"] = "?placeId=t1&from=2026-11-01&to=2026-12-01",
        ["/api/places/{id}/unit-reports/export"] = "?from=2026-11-01&to=2026-12-01",
    };

    /// <summary>Prefixes outside the REST API, and why they are not walked here.</summary>
    private static readonly Dictionary<string, string> OtherDoors = new(StringComparer.Ordinal)
    {
        ["/open311/"] = "public GeoReport: reads are public by the standard, filings are bounded by the api_key's jurisdiction (Open311 tests)",
        ["/hubs/"] = "the console hub authorises each Watch and Resume with Scope (ConsoleHubTests)",
        ["/health/"] = "liveness and readiness: no data",
        ["/openapi/"] = "the API description: no data",
        ["/metrics"] = "aggregate counters: no per-place data",
        ["/dashboard"] = "the Orleans dashboard: admins only",
        ["/console"] = "a static page",
        ["/app"] = "a static page",
        ["/r/"] = "the residents' static pages",
    };

    [Fact]
    public async Task Every_route_that_names_a_resource_refuses_staff_outside_its_scope_and_changes_nothing()
    {
        var routes = await ApiSurface.Read(fixture.App.Services, fixture.Raw);
        using var far = await fixture.World.As("staff-m3");
        var token = far.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        var reader = new StateReader(fixture.Raw, fixture.Tokens[FuzzRole.Admin]);
        var probes = Probes();

        var walked = 0;
        var failures = new List<string>();
        foreach (var route in routes)
        {
            if (Unscoped.ContainsKey(route.Pattern) || OtherDoors.Keys.Any(p => route.Pattern.StartsWith(p, StringComparison.Ordinal)))
            {
                continue;
            }

            Assert.True(route.AnswersProblems, $"{route} is neither walked nor listed as unscoped.");
            foreach (var method in route.Methods)
            {
                var path = Path(route) + (PeriodQueries.TryGetValue(route.Pattern, out var query) ? query : "");
                var before = await reader.Take(probes);
                using var message = new HttpRequestMessage(new HttpMethod(method), path);
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    message.Content = new StringContent(Body(method, route.Pattern, fixture.Suggestion), Encoding.UTF8, "application/json");
                }

                using var response = await fixture.Raw.SendAsync(message);
                var body = await response.Content.ReadAsStringAsync();
                var reason = TryReason(body);
                output.WriteLine($"{method} {path}: {(int)response.StatusCode} {reason}");
                walked++;
                // Refused by the scope, or by the role before the scope is asked: never by the input.
                if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                    || reason is not ("outOfScope" or "roleNotAllowed" or "notFound"))
                {
                    failures.Add($"{method} {path}: {(int)response.StatusCode} {body}");
                    continue;
                }

                if (before.Difference(await reader.Take(probes)) is { } difference)
                {
                    failures.Add($"{method} {path} was refused but changed the state: {difference}");
                }
            }
        }

        Assert.True(walked >= 40, $"Only {walked} calls were walked.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>Every parameter filled with a resource of m1 or t1, or the organisation of m1 and m2.</summary>
    private string Path(FuzzRoute route)
    {
        var path = new StringBuilder();
        foreach (var segment in route.Segments)
        {
            path.Append(segment.Parameter switch
            {
                null => segment.Literal,
                "id" when route.Pattern.StartsWith("/api/requests/", StringComparison.Ordinal) => fixture.Requests["open"].ToString(),
                "id" when route.Pattern.StartsWith("/api/activities/", StringComparison.Ordinal) => fixture.Requests["open"].ToString(),
                "id" when route.Pattern.StartsWith("/api/shop/items/", StringComparison.Ordinal) => fixture.ShopItem.ToString(),
                "id" when route.Pattern.StartsWith("/api/organisations/", StringComparison.Ordinal) => FuzzFixture.Organisation,
                "id" when route.Pattern.StartsWith("/api/open311/keys/", StringComparison.Ordinal) => fixture.Open311Key.ToString(),
                "id" when route.Pattern.StartsWith("/api/places/", StringComparison.Ordinal) => "t1",
                "id" when route.Pattern.StartsWith("/api/suggestions/", StringComparison.Ordinal) => fixture.Suggestion,
                "id" when route.Pattern.StartsWith("/api/departments/", StringComparison.Ordinal) => FuzzFixture.Department,
                "id" => "m1",
                "orderId" => fixture.Order.ToString(),
                "entryId" => Guid.Empty.ToString(),
                "deliveryId" => "1",
                "postId" => Guid.Empty.ToString(),
                "itemId" => Guid.Empty.ToString(),
                "username" => "vol-m1-1",
                "communityId" => "m1",
                var other => throw new InvalidOperationException($"No value for {{{other}}} in {route}: add one."),
            });
        }

        return path.ToString();
    }

    /// <summary>A body the route accepts, so that what refuses it is the scope and not the input.</summary>
    private static string Body(string method, string pattern, string suggestion) => JsonSerializer.Serialize<object>((method, pattern) switch
    {
        ("POST", "/api/requests") => new { communityId = "m1", kind = "wish", title = "Out of scope", places = 1, beneficiary = new { name = "Walked", phone = "555-0100" } },
        ("POST", "/api/activities") => new { communityId = "m1", title = "Out of scope", places = 2, startsAt = "2030-01-01T09:00:00Z", endsAt = "2030-01-01T11:00:00Z", venue = "Hall", organiser = "staff-t1" },
        ("POST", "/api/volunteers/{username}/hours") => new { activityId = Guid.Empty, minutes = 5, reason = "walk" },
        ("POST", "/api/volunteers/{username}/hours/{entryId:guid}/correct") => new { minutes = 5, reason = "walk" },
        ("POST", "/api/applications/{id}/reject") => new { reason = "Walked" },
        ("POST", "/api/intake/{id}/decline") => new { reason = "Walked" },
        ("POST", "/api/intake/{id}/merge") => new { requestId = Guid.Empty },
        ("PATCH", "/api/requests/{id:guid}") => new { title = "Walked" },
        ("PATCH", "/api/places/{id}") => new { name = "Walked" },
        ("POST", "/api/places/{id}/menu/{itemId:guid}/order") => new { kind = "wish", beneficiary = new { name = "Walked", phone = "555-0100" } },
        ("POST", "/api/accounts") => new { username = "walked-vol", password = "Walk-the-scope-42!", displayName = "Walked", role = "volunteer", placeId = "m1" },
        ("PUT", "/api/accounts/{username}/password") => new { newPassword = "Walk-the-scope-42!" },
        ("PUT", "/api/accounts/{username}/role") => new { role = "staff", placeId = "m3" },
        ("PUT", "/api/volunteers/{username}/community") => new { communityId = "m2" },
        ("POST", "/api/accounts/{username}/disable") => new { reason = "walk" },
        ("POST", "/api/volunteers/{username}/points") => new { amount = 5, reason = "walk" },
        ("POST", "/api/organisations") => new { id = "walked-org", name = "Walked", communityIds = new[] { "m1" } },
        ("POST", "/api/organisations/{id}/members") => new { username = "vol-m1-2" },
        ("POST", "/api/places/{id}/shop/items") => new { name = "Walked", cost = 1, stock = 1 },
        ("PATCH", "/api/shop/items/{id:guid}") => new { stock = 1 },
        ("POST", "/api/places/{id}/posts") => new { name = "Walked" },
        ("PUT", "/api/volunteers/{username}/posts") => new { declarations = Array.Empty<object>() },
        ("PUT", "/api/organisations/{id}/posts") => new { communityId = "m1", declarations = Array.Empty<object>() },
        ("POST", "/api/activities/{id:guid}/check-in") => new { code = "123456" },
        ("POST", "/api/requests/{id:guid}/hours") => new { minutes = 5 },
        ("POST", "/api/requests/{id:guid}/verify") => new { approved = true },
        ("POST", "/api/requests/{id:guid}/cancel") => new { reason = "walk" },
        ("POST", "/api/requests/{id:guid}/handover") => new { to = "staff-t1" },
        ("POST", "/api/requests/{id:guid}/dispatch") => new { auto = true },
        ("POST", "/api/shop/items/{id:guid}/orders/{orderId}/cancel") => new { reason = "walk" },
        ("POST", "/api/organisations/{id}/communities") => new { communityId = "m1" },
        ("PUT", "/api/places/{id}/points-scheme") => new { rules = Array.Empty<object>() },
        ("POST", "/api/places/{id}/points/standing-roles") => new { username = "vol-m1-1", role = "楼栋长" },
        ("POST", "/api/places/{id}/points/standing-roles/end") => new { username = "vol-m1-1", role = "楼栋长" },
        ("POST", "/api/places/{id}/points/standing-roles/run") => new { month = "2026-11" },
        ("POST", "/api/volunteers/{username}/certificates") => new { period = "2026-11" },
        ("POST", "/api/suggestions/handovers") => new { departmentId = FuzzFixture.Department, suggestionIds = new[] { suggestion }, deadline = "2027-06-01T00:00:00Z" },
        ("POST", "/api/suggestions/{id}/answer") => new { answer = "Walked" },
        ("POST", "/api/suggestions/{id}/rating") => new { rating = "satisfied" },
        ("PUT", "/api/accounts/{username}/representative") => new { title = "cppcc" },
        ("PUT", "/api/accounts/{username}/department") => new { departmentId = FuzzFixture.Department },
        _ => new { },
    });

    /// <summary>What a walked call could change, read as the admin.</summary>
    private List<string> Probes()
    {
        var request = fixture.Requests["open"];
        return
        [
            "/api/communities/m1/requests",
            $"/api/requests/{request}",
            $"/api/requests/{request}/history",
            $"/api/shop/items/{fixture.ShopItem}",
            $"/api/shop/items/{fixture.ShopItem}/orders",
            "/api/places/t1/shop/items",
            $"/api/organisations/{FuzzFixture.Organisation}",
            "/api/volunteers/vol-m1-1/points?limit=500",
            "/api/volunteers/vol-m1-1/hours",
            "/api/accounts/vol-m1-1",
            "/api/accounts/walked-vol",
            "/api/organisations/walked-org",
            "/api/places/m1/security-events",
            "/api/open311/jurisdictions/m1/services",
            $"/api/suggestions/{fixture.Suggestion}",
            $"/api/suggestions/{fixture.Suggestion}/history",
        ];
    }

    private static string? TryReason(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["reason"]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
