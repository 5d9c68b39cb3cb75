using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Open311;

/// <summary>Refusals: keys missing, wrong, revoked or for another jurisdiction (403); malformed forms and queries (400); all in GeoReport's error list, changing nothing.</summary>
public sealed class Open311RefusalTests(Open311Fixture fixture) : IClassFixture<Open311Fixture>
{
    private World World => fixture.World;

    public static TheoryData<string> BadKeys => new()
    {
        "",
        "not-a-key",
        "0123456789abcdef0123456789abcdef.not-the-secret",
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task A_missing_or_unknown_key_is_refused_with_403(string key)
    {
        var fields = Form(("jurisdiction_id", "m1"), ("service_code", "wish"), ("address_string", "Building 3")).ToList();
        if (key.Length > 0)
        {
            fields.Add(("api_key", key));
        }

        await AssertRefused(HttpStatusCode.Forbidden, "m1", [.. fields]);
    }

    [Fact]
    public async Task A_key_of_another_jurisdiction_or_of_a_place_below_is_refused_with_403()
    {
        // t2's key in t1's community, and m1's key for the town above it.
        var other = await AssertRefused(HttpStatusCode.Forbidden, "m1", ("api_key", fixture.KeyT2), ("jurisdiction_id", "m1"), ("service_code", "wish"), ("address_string", "Building 3"));
        Assert.Contains("not valid for jurisdiction 'm1'", Assert.Single(other), StringComparison.Ordinal);
        await AssertRefused(HttpStatusCode.Forbidden, "m1", ("api_key", fixture.KeyM1), ("jurisdiction_id", "t1"), ("service_code", "wish"), ("lat", "48"), ("long", "124"));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once_and_revoking_is_for_admins()
    {
        var (id, key) = await Open311Fixture.IssueKey(World.Admin, "m1", "Short-lived");
        var client = fixture.Client();
        await DispatchClient.Expect(await client.Post("json", ("api_key", key), ("jurisdiction_id", "m1"), ("service_code", "wish"), ("address_string", "Building 3")), HttpStatusCode.OK);

        using var staff = await World.As("staff-t1");
        await DispatchClient.Problem(await staff.Http.DeleteAsync($"/api/open311/keys/{id}"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Post("/api/open311/keys", new { jurisdictionId = "t1", name = "Mine" }), HttpStatusCode.Forbidden);
        await DispatchClient.Expect(await World.Admin.Http.DeleteAsync($"/api/open311/keys/{id}"), HttpStatusCode.NoContent);
        await DispatchClient.Expect(await World.Admin.Http.DeleteAsync($"/api/open311/keys/{id}"), HttpStatusCode.NoContent);
        await DispatchClient.Problem(await World.Admin.Http.DeleteAsync($"/api/open311/keys/{Guid.NewGuid()}"), HttpStatusCode.NotFound);

        var errors = await AssertRefused(HttpStatusCode.Forbidden, "m1", ("api_key", key), ("jurisdiction_id", "m1"), ("service_code", "wish"), ("address_string", "Building 3"));
        Assert.Contains("revoked", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_issued_for_places_with_a_name_only()
    {
        var invalid = await DispatchClient.Problem(await World.Admin.Post("/api/open311/keys", new { jurisdictionId = "atlantis", name = "" }), HttpStatusCode.BadRequest);
        Assert.Equal(["jurisdictionId", "name"], invalid["errors"]!.AsObject().Select(e => e.Key).Order());

        var created = await World.Admin.PostOk<JsonObject>("/api/open311/keys", new { jurisdictionId = "c1", name = "County app" }, HttpStatusCode.Created);
        Assert.Equal(("c1", "County app"), (created["jurisdictionId"]!.GetValue<string>(), created["name"]!.GetValue<string>()));
        Assert.StartsWith(Guid.Parse(created["id"]!.GetValue<string>()).ToString("N"), created["apiKey"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string[]> MalformedForms => new()
    {
        { "service_code", ["jurisdiction_id=m1", "address_string=Building+3"] },
        { "not a service", ["jurisdiction_id=m1", "service_code=pothole", "address_string=Building+3"] },
        { "location", ["jurisdiction_id=m1", "service_code=wish", "description=No+place+given"] },
        { "'lat'", ["jurisdiction_id=m1", "service_code=wish", "lat=95", "long=124"] },
        { "'lat'", ["jurisdiction_id=m1", "service_code=wish", "lat=48", "long=east"] },
        { "'email'", ["jurisdiction_id=m1", "service_code=wish", "address_string=B3", "email=nobody"] },
        { "'attribute[places]'", ["jurisdiction_id=m1", "service_code=activity", "address_string=B3", "attribute%5Bplaces%5D=0"] },
        { "'attribute[urgency]'", ["jurisdiction_id=m1", "service_code=wish", "address_string=B3", "attribute%5Burgency%5D=soon"] },
        { "more than once", ["jurisdiction_id=m1", "service_code=wish", "service_code=case", "address_string=B3"] },
        { "jurisdiction_id", ["service_code=wish", "address_string=B3"] },
    };

    [Theory]
    [MemberData(nameof(MalformedForms))]
    public async Task A_missing_or_malformed_field_is_refused_with_400_naming_it(string named, string[] fields)
    {
        var body = string.Join('&', fields.Append($"api_key={Uri.EscapeDataString(fixture.KeyM1)}"));
        var before = await fixture.BoardTotal("m1");
        var client = fixture.Client();

        var answer = await GeoReport.Both(await PostRaw(client, "json", body), await PostRaw(client, "xml", body));

        Assert.Contains(GeoReport.Errors(answer, HttpStatusCode.BadRequest), e => e.Contains(named, StringComparison.Ordinal));
        Assert.Equal(before, await fixture.BoardTotal("m1"));
    }

    [Fact]
    public async Task A_body_that_is_not_a_form_is_refused_with_400()
    {
        var client = fixture.Client();
        var json = await client.Http.PostAsync($"{GeoReport.Base}/requests.json", new StringContent("{\"service_code\":\"wish\"}", Encoding.UTF8, "application/json"));
        var xml = await client.Http.PostAsync($"{GeoReport.Base}/requests.xml", new StringContent("<service_code>wish</service_code>", Encoding.UTF8, "text/xml"));

        Assert.Contains("form-encoded", Assert.Single(GeoReport.Errors(await GeoReport.Both(json, xml), HttpStatusCode.BadRequest)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?jurisdiction_id=m1&start_date=yesterday", "start_date")]
    [InlineData("?jurisdiction_id=m1&start_date=2026-03-01T00:00:00Z&end_date=2026-02-01T00:00:00Z", "end_date")]
    [InlineData("?jurisdiction_id=m1&status=pending", "status")]
    [InlineData("", "jurisdiction_id")]
    public async Task Malformed_queries_are_refused_with_400(string query, string named)
    {
        var answer = await fixture.Client().Get("requests", query);

        Assert.Contains(GeoReport.Errors(answer, HttpStatusCode.BadRequest), e => e.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("requests", "?jurisdiction_id=c1&end_date=0001-01-01T00:00:00Z")]
    [InlineData("requests", "?jurisdiction_id=c1&start_date=9999-12-31T23:59:59Z")]
    [InlineData("servicerequestupdates", "?jurisdiction_id=c1&end_date=0001-01-01T00:00:00Z")]
    public async Task Dates_at_the_ends_of_the_calendar_find_nothing_rather_than_fail(string resource, string query)
    {
        var answer = await fixture.Client().Get(resource, query);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Empty(answer.Json.AsArray());
    }

    [Fact]
    public async Task Unknown_formats_and_resources_answer_404_in_the_error_list()
    {
        var client = fixture.Client();

        var yaml = await client.Http.GetAsync($"{GeoReport.Base}/services.yaml?jurisdiction_id=m1");
        Assert.Equal(HttpStatusCode.NotFound, yaml.StatusCode);
        Assert.Equal("errors", System.Xml.Linq.XDocument.Parse(await yaml.Content.ReadAsStringAsync()).Root!.Name.LocalName);

        GeoReport.Errors(await client.Get("tokens/abc"), HttpStatusCode.NotFound);
        GeoReport.Errors(await client.Get("servicerequestupdates", "?jurisdiction_id=atlantis"), HttpStatusCode.NotFound);
    }

    [Fact]
    public void The_schemas_refuse_what_GeoReport_does_not_allow()
    {
        // Guards the guard: a validator that accepted everything would make every schema check above vacuous.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GeoReport.AssertValid("requests", "[{\"service_request_id\":\"1\",\"status\":\"pending\",\"service_code\":\"wish\",\"requested_datetime\":\"2026-01-01T00:00:00Z\"}]"));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GeoReport.AssertValid("requests", "[{\"service_request_id\":\"1\",\"status\":\"open\",\"service_code\":\"wish\",\"requested_datetime\":\"last Tuesday\"}]"));
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GeoReport.AssertValid("services", "[{\"service_code\":\"wish\",\"service_name\":\"Wish\",\"metadata\":true}]"));
        GeoReport.AssertValid("requests", "[{\"service_request_id\":\"1\",\"status\":\"open\",\"service_code\":\"wish\",\"requested_datetime\":\"2026-01-01T00:00:00Z\"}]");
    }

    /// <summary>POSTs the same refused form in both formats, checks both refuse alike with <paramref name="status"/> and that no request was made.</summary>
    private async Task<IReadOnlyList<string>> AssertRefused(HttpStatusCode status, string community, params (string Name, string Value)[] fields)
    {
        var before = await fixture.BoardTotal(community);
        var client = fixture.Client();

        var answer = await GeoReport.Both(await client.Post("json", fields), await client.Post("xml", fields));

        var errors = GeoReport.Errors(answer, status);
        Assert.Equal(before, await fixture.BoardTotal(community));
        return errors;
    }

    private static (string Name, string Value)[] Form(params (string Name, string Value)[] fields) => fields;

    private static Task<HttpResponseMessage> PostRaw(GeoReport client, string format, string body) =>
        client.Http.PostAsync($"{GeoReport.Base}/requests.{format}", new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));
}
