using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>Bad input gets a 4xx problem details response naming the field, never a 5xx, and changes nothing.</summary>
public sealed class BadInputTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    public static TheoryData<string, string> BadRequests => new()
    {
        { "{\"communityId\":\"m2\",\"kind\":\"wish\",\"title\":\"" + new string('x', 201) + "\",\"beneficiary\":{\"name\":\"A\"}}", "title" },
        { """{"communityId":"m2","kind":"wish","beneficiary":{"name":"A"}}""", "title" },
        { "{\"communityId\":\"m2\",\"kind\":\"wish\",\"title\":\"T\",\"description\":\"" + new string('x', 4001) + "\",\"beneficiary\":{\"name\":\"A\"}}", "description" },
        { """{"communityId":"m2","kind":"activity","title":"T","places":0,"beneficiary":{"name":"A"}}""", "places" },
        { """{"communityId":"m2","kind":"activity","title":"T","places":1001,"beneficiary":{"name":"A"}}""", "places" },
        { """{"communityId":"m2","kind":"wish","title":"T","places":2,"beneficiary":{"name":"A"}}""", "places" },
        { """{"communityId":"m2","kind":"wish","title":"T","points":-1,"beneficiary":{"name":"A"}}""", "points" },
        { """{"communityId":"m2","kind":"wish","title":"T","points":10001,"beneficiary":{"name":"A"}}""", "points" },
        { """{"communityId":"m2","kind":"wish","title":"T","places":"five","beneficiary":{"name":"A"}}""", "places" },
        { """{"communityId":"m2","kind":"wish","title":"T","points":1.5,"beneficiary":{"name":"A"}}""", "points" },
        { """{"communityId":"m2","kind":"bogus","title":"T","beneficiary":{"name":"A"}}""", "kind" },
        { """{"communityId":"m2","kind":3,"title":"T","beneficiary":{"name":"A"}}""", "kind" },
        { """{"communityId":"m2","title":"T","beneficiary":{"name":"A"}}""", "kind" },
        { """{"communityId":"m2","kind":"wish","title":"T","urgency":"asap","beneficiary":{"name":"A"}}""", "urgency" },
        { """{"communityId":"m2","kind":"wish","title":"T"}""", "beneficiary" },
        { """{"communityId":"m2","kind":"wish","title":"T","beneficiary":{"phone":"1"}}""", "beneficiary.name" },
        { """{"communityId":"m2","kind":"wish","title":"T","categories":"goods","beneficiary":{"name":"A"}}""", "categories" },
        { """{"communityId":"nowhere","kind":"wish","title":"T","beneficiary":{"name":"A"}}""", "communityId" },
        { """{"communityId":"t1","kind":"wish","title":"T","beneficiary":{"name":"A"}}""", "communityId" },
        { """{"kind":"wish","title":"T","beneficiary":{"name":"A"}}""", "communityId" },
        { """{"communityId":"m2","kind":"wish","title":"T",""", "body" },
        { """[1,2,3]""", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_new_request_is_refused_naming_the_field_and_nothing_is_published(string json, string field)
    {
        using var staff = await World.As("staff-t1");
        var before = await Total(staff, "m2");

        var problem = await DispatchClient.Problem(await staff.PostRaw("/api/requests", json), HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
        Assert.Equal(before, await Total(staff, "m2"));
    }

    [Theory]
    [InlineData("""{"name":"X","kind":"community","parentId":"t1"}""", "id")]
    [InlineData("""{"id":"bad id!","name":"X","kind":"community","parentId":"t1"}""", "id")]
    [InlineData("""{"id":"x1","kind":"community","parentId":"t1"}""", "name")]
    [InlineData("""{"id":"x1","name":"X","parentId":"t1"}""", "kind")]
    [InlineData("""{"id":"x1","name":"X","kind":"planet","parentId":"t1"}""", "kind")]
    [InlineData("""{"id":"x1","name":"X","kind":"community"}""", "parentId")]
    [InlineData("""{"id":"x1","name":"X","kind":"region","parentId":"r1"}""", "parentId")]
    [InlineData("""{"id":"x1","name":"X","kind":"community","parentId":"nowhere"}""", "parentId")]
    [InlineData("""{"id":"x1","name":"X","kind":"community","parentId":"c1"}""", "parentId")]
    [InlineData("""{"id":"x1","name":["X"],"kind":"community","parentId":"t1"}""", "name")]
    public async Task A_bad_place_is_refused_naming_the_field(string json, string field)
    {
        var problem = await DispatchClient.Problem(await World.Admin.PostRaw("/api/places", json), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
        Assert.Equal(HttpStatusCode.NotFound, (await World.Admin.Get("/api/places/x1")).StatusCode);
    }

    [Theory]
    [InlineData("""{"username":"x","password":"password-1","displayName":"X","role":"volunteer","placeId":"m1"}""", "username")]
    [InlineData("""{"username":"Bad Name","password":"password-1","displayName":"X","role":"volunteer","placeId":"m1"}""", "username")]
    [InlineData("""{"username":"newbie","password":"short","displayName":"X","role":"volunteer","placeId":"m1"}""", "password")]
    [InlineData("""{"username":"newbie","password":"password-1","role":"volunteer","placeId":"m1"}""", "displayName")]
    [InlineData("""{"username":"newbie","password":"password-1","displayName":"X","role":"king","placeId":"m1"}""", "role")]
    [InlineData("""{"username":"newbie","password":"password-1","displayName":"X","placeId":"m1"}""", "role")]
    [InlineData("""{"username":"newbie","password":"password-1","displayName":"X","role":"volunteer","placeId":"nowhere"}""", "placeId")]
    [InlineData("""{"username":"newbie","password":"password-1","displayName":"X","role":"volunteer","placeId":"t1"}""", "placeId")]
    [InlineData("""{"username":"newbie","password":"password-1","displayName":"X","role":"volunteer","placeId":"m1","skills":[""]}""", "skills")]
    [InlineData("""{"username":"newbie","password":12345678,"displayName":"X","role":"volunteer","placeId":"m1"}""", "password")]
    [InlineData("""{"username":"system","password":"password-1","displayName":"X","role":"staff","placeId":"m1"}""", "username")]
    public async Task A_bad_account_is_refused_naming_the_field(string json, string field)
    {
        var problem = await DispatchClient.Problem(await World.Admin.PostRaw("/api/accounts", json), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
        Assert.Equal(HttpStatusCode.NotFound, (await World.Admin.Get("/api/accounts/newbie")).StatusCode);
    }

    [Fact]
    public async Task Duplicates_are_conflicts_and_leave_the_original_alone()
    {
        await DispatchClient.Problem(
            await World.Admin.Post("/api/places", new { id = "m1", name = "Other", kind = "community", parentId = "t2" }), HttpStatusCode.Conflict);
        Assert.Equal("t1", (await World.Admin.GetOk<JsonObject>("/api/places/m1"))["parentId"]!.GetValue<string>());

        await DispatchClient.Problem(
            await World.Admin.Post("/api/accounts", new { username = "STAFF-T1", password = "password-2", displayName = "Impostor", role = "staff", placeId = "r1" }),
            HttpStatusCode.Conflict);
        await World.As("staff-t1"); // The original password still works.
    }

    [Fact]
    public async Task Bad_transition_bodies_and_board_queries_name_the_field()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As(World.Volunteer("m2", 1));
        var request = await staff.CreateRequest("m2");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/start");

        await AssertField(await volunteer.Post($"/api/requests/{request.Id}/complete", new { note = new string('n', 2001) }), "note");
        await AssertField(await volunteer.PostRaw($"/api/requests/{request.Id}/complete", """{"note":5}"""), "note");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/complete");
        await AssertField(await staff.Post($"/api/requests/{request.Id}/verify", new { rating = 5 }), "approved");
        await AssertField(await staff.Post($"/api/requests/{request.Id}/verify", new { approved = true, rating = 6 }), "rating");
        await AssertField(await staff.PostRaw($"/api/requests/{request.Id}/verify", """{"approved":"yes"}"""), "approved");
        await AssertField(await staff.Post($"/api/requests/{request.Id}/cancel", new { }), "reason");
        Assert.Equal(Dispatch.Requests.RequestStatus.Completed, (await staff.GetOk<RequestView>($"/api/requests/{request.Id}")).Status);

        await AssertField(await staff.Get("/api/communities/m2/requests?status=done"), "status");
        await AssertField(await staff.Get("/api/communities/m2/requests?kind=party"), "kind");
        await AssertField(await staff.Get("/api/communities/m2/requests?page=0"), "page");
        await AssertField(await staff.Get("/api/communities/m2/requests?pageSize=1000"), "pageSize");
        await AssertField(await staff.Get("/api/communities/m2/requests?page=two"), "page");
        await AssertField(await fixture.App.Anonymous().Post("/api/auth/token", new { username = "staff-t1" }), "password");
        await DispatchClient.Problem(await fixture.App.Anonymous().Post("/api/auth/token", new { username = "staff-t1", password = "wrong-password" }), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Unknown_ids_are_404_problems()
    {
        await DispatchClient.Problem(await World.Admin.Get($"/api/requests/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await World.Admin.Get($"/api/requests/{Guid.NewGuid()}/history"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await World.Admin.Get("/api/requests/not-a-guid"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await World.Admin.Post($"/api/requests/{Guid.NewGuid()}/cancel", new { reason = "x" }), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await World.Admin.Get("/api/places/nowhere"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await World.Admin.Get("/api/communities/t1"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await World.Admin.Get("/api/accounts/nobody"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await World.Admin.Get("/api/volunteers/nobody"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_missing_body_is_named_plainly_without_framework_details()
    {
        using var staff = await World.As("staff-t1");
        var request = await staff.CreateRequest("m1");
        var problem = await DispatchClient.Problem(await staff.Post($"/api/requests/{request.Id}/cancel"), HttpStatusCode.BadRequest);
        Assert.Equal("invalid", problem["reason"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["body"]);
        Assert.DoesNotContain("Implicit", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_accepts_only_html_still_gets_problem_details()
    {
        using var staff = await World.As("staff-t1");
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = new StringContent("{\"title\":", System.Text.Encoding.UTF8, "application/json") };
        message.Headers.Accept.ParseAdd("text/html");
        var problem = await DispatchClient.Problem(await staff.Http.SendAsync(message), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]);
    }

    [Fact]
    public async Task A_json_body_in_a_charset_nobody_knows_is_refused_and_publishes_nothing()
    {
        // Found by the API fuzzer: "application/json; charset=nonsense" was a 500.
        using var staff = await World.As("staff-t1");
        var before = await Total(staff, "m2");
        using var content = new StringContent("""{"communityId":"m2","kind":"wish","title":"T","beneficiary":{"name":"A"}}""");
        content.Headers.ContentType = null;
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=nonsense");

        var problem = await DispatchClient.Problem(await staff.Http.PostAsync("/api/requests", content), HttpStatusCode.UnsupportedMediaType);

        Assert.Equal("invalid", problem["reason"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["body"]);
        Assert.Equal(before, await Total(staff, "m2"));
    }

    [Theory]
    [InlineData("GET", "/api/accounts/me", false, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "/api/no-such-route", true, HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/api/accounts/me", true, HttpStatusCode.MethodNotAllowed)]
    public async Task A_refusal_with_an_empty_body_is_problem_details_even_for_a_client_that_accepts_only_html(
        string method, string path, bool signedIn, HttpStatusCode status)
    {
        // Found by the API fuzzer: these answers were "Status Code: 401; Unauthorized" in text/plain.
        using var client = signedIn ? await World.As("staff-t1") : World.App.Anonymous();
        using var message = new HttpRequestMessage(new HttpMethod(method), path);
        message.Headers.Accept.ParseAdd("text/html");
        var problem = await DispatchClient.Problem(await client.Http.SendAsync(message), status);
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_token_request_is_never_replayed_even_with_an_idempotency_key()
    {
        using var staff = await World.As("staff-t1");
        var body = new { username = "staff-t1", password = World.Password };
        var first = await staff.Post("/api/auth/token", body, idempotencyKey: "token-1");
        var second = await staff.Post("/api/auth/token", body, idempotencyKey: "token-1");
        await DispatchClient.Expect(first, HttpStatusCode.OK);
        await DispatchClient.Expect(second, HttpStatusCode.OK);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task A_signing_key_too_short_stops_the_host_at_start()
    {
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, new Dictionary<string, string?> { ["Dispatch:Auth:SigningKey"] = "too-short" });
        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("SigningKey", failure.ToString(), StringComparison.Ordinal);
    }

    private static async Task AssertField(HttpResponseMessage response, string field)
    {
        var problem = await DispatchClient.Problem(response, HttpStatusCode.BadRequest);
        Assert.Equal("invalid", problem["reason"]?.GetValue<string>());
        Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
    }

    private static async Task<int> Total(DispatchClient client, string community) =>
        (await client.GetOk<JsonObject>($"/api/communities/{community}/requests"))["total"]!.GetValue<int>();
}
