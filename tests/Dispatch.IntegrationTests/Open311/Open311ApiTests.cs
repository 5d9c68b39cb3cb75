using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Open311;

/// <summary>
/// A client that only knows GeoReport v2: discovers the services, files a request with its key,
/// and follows it to closed, in both formats, while volunteers and staff work through the Dispatch API.
/// </summary>
public sealed class Open311ApiTests(Open311Fixture fixture) : IClassFixture<Open311Fixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task Discovery_names_the_endpoint_its_formats_and_a_contact()
    {
        var discovery = await fixture.Client().Get("discovery");

        Assert.Equal(HttpStatusCode.OK, discovery.Status);
        Assert.Equal("discovery", discovery.Xml.Name.LocalName);
        Assert.False(string.IsNullOrWhiteSpace(discovery.Json["contact"]!.GetValue<string>()));
        var endpoint = Assert.Single(discovery.Json["endpoints"]!.AsArray())!;
        Assert.Equal("http://wiki.open311.org/GeoReport_v2", endpoint["specification"]!.GetValue<string>());
        Assert.EndsWith("/open311/v2", endpoint["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["text/xml", "application/json"], endpoint["formats"]!.AsArray().Select(f => f!.GetValue<string>()));
    }

    [Fact]
    public async Task Services_default_to_one_per_kind_and_an_activity_asks_for_its_places()
    {
        var client = fixture.Client();

        var services = await client.Get("services", "?jurisdiction_id=m1", schema: "services");
        Assert.Equal(["wish", "errand", "case", "activity"], services.Json.AsArray().Select(s => s!["service_code"]!.GetValue<string>()));
        Assert.All(services.Json.AsArray(), s => Assert.Equal("realtime", s!["type"]!.GetValue<string>()));

        var activity = await client.Get("services/activity", "?jurisdiction_id=t1", schema: "service-definition");
        Assert.Equal("service_definition", activity.Xml.Name.LocalName);
        var places = activity.Json["attributes"]!.AsArray().Single(a => a!["code"]!.GetValue<string>() == "places")!;
        Assert.Equal(("number", true, true), (places["datatype"]!.GetValue<string>(), places["required"]!.GetValue<bool>(), places["variable"]!.GetValue<bool>()));

        var wish = await client.Get("services/wish", "?jurisdiction_id=m1", schema: "service-definition");
        var urgency = Assert.Single(wish.Json["attributes"]!.AsArray())!;
        Assert.Equal(["normal", "urgent", "critical"], urgency["values"]!.AsArray().Select(v => v!["key"]!.GetValue<string>()));

        Assert.Contains("pothole", Assert.Single(GeoReport.Errors(await client.Get("services/pothole", "?jurisdiction_id=m1"), HttpStatusCode.NotFound)), StringComparison.Ordinal);
        Assert.Contains("jurisdiction_id", Assert.Single(GeoReport.Errors(await client.Get("services"), HttpStatusCode.BadRequest)), StringComparison.Ordinal);
        GeoReport.Errors(await client.Get("services", "?jurisdiction_id=atlantis"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_request_filed_with_a_key_is_claimed_through_Dispatch_and_followed_to_closed()
    {
        var client = fixture.Client();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var posted = await client.Post("json",
            ("api_key", fixture.KeyM1), ("jurisdiction_id", "m1"), ("service_code", "wish"),
            ("description", "A thermos cup for an 8-year-old\nHe walks to school in the cold."),
            ("lat", "48.01"), ("long", "124.02"), ("address_string", "Building 3, Xinhua Community"),
            ("first_name", "Li"), ("last_name", "Na"), ("email", "li.na@example.org"), ("phone", "139-1234-5678"),
            ("media_url", "https://example.org/cup.jpg"), ("attribute[urgency]", "urgent"));
        await DispatchClient.Expect(posted, HttpStatusCode.OK);
        var receipt = Assert.Single(JsonNode.Parse(await posted.Content.ReadAsStringAsync())!.AsArray())!;
        var id = Guid.Parse(receipt["service_request_id"]!.GetValue<string>());
        Assert.Contains("Place m1", receipt["service_notice"]!.GetValue<string>(), StringComparison.Ordinal);

        // In Dispatch: the community's request, with the submitter as the private contact.
        var created = await World.Admin.GetOk<RequestView>($"/api/requests/{id}");
        Assert.Equal(("m1", RequestKind.Wish, "A thermos cup for an 8-year-old", Urgency.Urgent, RequestStatus.Open),
            (created.CommunityId, created.Kind, created.Title, created.Urgency, created.Status));
        Assert.Equal(new Beneficiary("Li Na <li.na@example.org>", "139-1234-5678", "Building 3, Xinhua Community"), created.Beneficiary);
        Assert.StartsWith("open311:", created.CreatedBy, StringComparison.Ordinal);

        var filed = await Follow(client, id);
        Assert.Equal(("open", "Waiting for a volunteer.", "wish", "Micro-wish", "Place m1"),
            (Text(filed, "status"), Text(filed, "status_notes"), Text(filed, "service_code"), Text(filed, "service_name"), Text(filed, "agency_responsible")));
        Assert.Equal("A thermos cup for an 8-year-old\nHe walks to school in the cold.", Text(filed, "description"));
        Assert.Equal("https://example.org/cup.jpg", Text(filed, "media_url"));
        var requested = DateTimeOffset.Parse(Text(filed, "requested_datetime")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(requested, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(created.Deadlines.Single(d => d.Kind == Dispatch.Escalation.DeadlineKind.Stage).Due.ToUnixTimeSeconds(),
            DateTimeOffset.Parse(Text(filed, "expected_datetime")!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds());

        // A volunteer of the community claims it through the Dispatch API.
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        await volunteer.PostOk<RequestView>($"/api/requests/{id}/claim");
        var claimed = await Follow(client, id);
        Assert.Equal(("open", "Claimed by a volunteer."), (Text(claimed, "status"), Text(claimed, "status_notes")));

        // Staff cancel it: closed.
        using var staff = await World.As("staff-t1");
        await staff.PostOk<RequestView>($"/api/requests/{id}/cancel", new { reason = "The family moved away" });
        var cancelled = await Follow(client, id);
        Assert.Equal(("closed", "Cancelled by staff."), (Text(cancelled, "status"), Text(cancelled, "status_notes")));
        Assert.Null(Text(cancelled, "expected_datetime"));

        // The updates, in order, with the status after each.
        var updates = await client.Get("servicerequestupdates", "?jurisdiction_id=t1");
        Assert.Equal("service_request_updates", updates.Xml.Name.LocalName);
        var mine = updates.Json.AsArray().Where(u => u!["service_request_id"]!.GetValue<string>() == id.ToString()).ToList();
        Assert.Equal([("open", "Claimed by a volunteer."), ("closed", "Cancelled by staff.")],
            mine.Select(u => (u!["status"]!.GetValue<string>(), u["description"]!.GetValue<string>())));
        Assert.Equal(mine.Count, mine.Select(u => u!["update_id"]!.GetValue<string>()).Distinct().Count());

        // The listing finds it, closed, and filters by status and service.
        var listed = await client.Get("requests", "?jurisdiction_id=m1&status=closed&service_code=wish", schema: "requests");
        Assert.Contains(listed.Json.AsArray(), r => r!["service_request_id"]!.GetValue<string>() == id.ToString());
        var open = await client.Get("requests", "?jurisdiction_id=m1&status=open", schema: "requests");
        Assert.DoesNotContain(open.Json.AsArray(), r => r!["service_request_id"]!.GetValue<string>() == id.ToString());

        // Nothing private in any GET: not the contact, the address, the coordinates, the check-in code, the people.
        foreach (var answer in new[] { filed, claimed, cancelled, updates, listed })
        {
            foreach (var secret in new[] { "Li Na", "li.na@example.org", "139-1234-5678", "Building 3", "48.01", created.CheckInCode!, World.Volunteer("m1", 1), "staff-t1", "moved away" })
            {
                Assert.DoesNotContain(secret, answer.JsonText, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, answer.XmlText, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_client_speaking_only_XML_files_and_finds_its_request()
    {
        var client = fixture.Client();

        var posted = await client.Post("xml", ("api_key", fixture.KeyM1), ("jurisdiction_id", "m1"), ("service_code", "errand"),
            ("description", "Book a clinic visit for Old Zhang"), ("address_string", "Building 5"));
        await DispatchClient.Expect(posted, HttpStatusCode.OK);
        Assert.Equal("text/xml", posted.Content.Headers.ContentType?.MediaType);
        var receipt = System.Xml.Linq.XDocument.Parse(await posted.Content.ReadAsStringAsync()).Root!;
        Assert.Equal("service_requests", receipt.Name.LocalName);
        var id = receipt.Element("request")!.Element("service_request_id")!.Value;

        var listed = await client.Get("requests", $"?jurisdiction_id=c1&service_code=errand", schema: "requests");
        var request = listed.Xml.Elements("request").Single(r => r.Element("service_request_id")!.Value == id);
        Assert.Equal(("open", "errand", "Errand"), (request.Element("status")!.Value, request.Element("service_code")!.Value, request.Element("service_name")!.Value));

        var byId = await client.Get("requests", $"?service_request_id={id},not-an-id,{Guid.NewGuid()}", schema: "requests");
        Assert.Equal(id, Assert.Single(byId.Json.AsArray())!["service_request_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_town_key_files_in_the_community_nearest_to_the_point()
    {
        var client = fixture.Client();

        var nearM2 = await client.Post("json", ("api_key", fixture.KeyT1), ("jurisdiction_id", "t1"), ("service_code", "activity"),
            ("description", "Free haircuts in the square"), ("lat", "48.45"), ("long", "124.40"), ("attribute[places]", "4"));
        await DispatchClient.Expect(nearM2, HttpStatusCode.OK);
        var id = JsonNode.Parse(await nearM2.Content.ReadAsStringAsync())![0]!["service_request_id"]!.GetValue<string>();
        var request = await World.Admin.GetOk<RequestView>($"/api/requests/{id}");
        Assert.Equal(("m2", RequestKind.Activity, 4), (request.CommunityId, request.Kind, request.Places));

        // A town key may file in a community of its town, named directly.
        var inM1 = await client.Post("json", ("api_key", fixture.KeyT1), ("jurisdiction_id", "m1"), ("service_code", "case"), ("address_string", "Building 9"));
        await DispatchClient.Expect(inM1, HttpStatusCode.OK);

        // Without a point, a town cannot tell which community.
        var before = await fixture.BoardTotal("m2");
        var nowhere = await GeoReport.Both(
            await client.Post("json", ("api_key", fixture.KeyT1), ("jurisdiction_id", "t1"), ("service_code", "wish"), ("address_string", "Somewhere")),
            await client.Post("xml", ("api_key", fixture.KeyT1), ("jurisdiction_id", "t1"), ("service_code", "wish"), ("address_string", "Somewhere")));
        Assert.Contains("'lat' and 'long'", Assert.Single(GeoReport.Errors(nowhere, HttpStatusCode.BadRequest)), StringComparison.Ordinal);
        Assert.Equal(before, await fixture.BoardTotal("m2"));
    }

    [Fact]
    public async Task The_request_alias_and_the_listing_show_the_same_request()
    {
        var client = fixture.Client();
        var posted = await client.Post("json", ("api_key", fixture.KeyM1), ("jurisdiction_id", "m1"), ("service_code", "case"),
            ("description", "Unpaid land compensation"), ("address_id", "A-17"));
        var id = JsonNode.Parse(await posted.Content.ReadAsStringAsync())![0]!["service_request_id"]!.GetValue<string>();

        var plural = await client.Get($"requests/{id}", schema: "requests");
        var alias = await client.Get($"request/{id}", schema: "requests");

        Assert.Equal(plural.JsonText, alias.JsonText);
        Assert.Equal(plural.XmlText, alias.XmlText);
        GeoReport.Errors(await client.Get($"requests/{id}", "?jurisdiction_id=t2"), HttpStatusCode.NotFound);
        GeoReport.Errors(await client.Get($"requests/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
        GeoReport.Errors(await client.Get("requests/not-a-guid"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Requests_staff_published_are_not_shown_through_Open311()
    {
        using var staff = await World.As("staff-t1");
        var published = await staff.CreateRequest("m1");
        var client = fixture.Client();

        GeoReport.Errors(await client.Get($"requests/{published.Id}"), HttpStatusCode.NotFound);
        var listed = await client.Get("requests", "?jurisdiction_id=m1", schema: "requests");
        Assert.DoesNotContain(listed.Json.AsArray(), r => r!["service_request_id"]!.GetValue<string>() == published.Id.ToString());
    }

    [Fact]
    public async Task Admins_configure_services_that_the_places_below_inherit()
    {
        var client = fixture.Client();
        var configured = await World.Admin.Put("/api/open311/jurisdictions/t2/services", new
        {
            services = new object[]
            {
                new { code = "wish-goods", name = "Goods for a child", kind = "wish", category = "goods", points = 15, group = "wishes" },
                new { code = "clinic", name = "Free clinic", kind = "activity", category = "health" },
            },
        });
        await DispatchClient.Expect(configured, HttpStatusCode.OK);

        var services = await client.Get("services", "?jurisdiction_id=m3", schema: "services");
        Assert.Equal(["wish-goods", "clinic"], services.Json.AsArray().Select(s => s!["service_code"]!.GetValue<string>()));
        var elsewhere = await client.Get("services", "?jurisdiction_id=m1", schema: "services");
        Assert.Equal(4, elsewhere.Json.AsArray().Count);

        var posted = await client.Post("json", ("api_key", fixture.KeyT2), ("jurisdiction_id", "m3"), ("service_code", "wish-goods"), ("address_string", "Building 1"));
        await DispatchClient.Expect(posted, HttpStatusCode.OK);
        var id = JsonNode.Parse(await posted.Content.ReadAsStringAsync())![0]!["service_request_id"]!.GetValue<string>();
        var request = await World.Admin.GetOk<RequestView>($"/api/requests/{id}");
        Assert.Equal((RequestKind.Wish, "goods", 15), (request.Kind, Assert.Single(request.Categories), request.Points));
        Assert.Equal("Goods for a child", Text(await Follow(client, Guid.Parse(id)), "service_name"));

        // A default code is no longer offered there.
        var refused = await client.Post("json", ("api_key", fixture.KeyT2), ("jurisdiction_id", "m3"), ("service_code", "wish"), ("address_string", "Building 1"));
        await DispatchClient.Expect(refused, HttpStatusCode.BadRequest);

        await DispatchClient.Expect(await World.Admin.Http.DeleteAsync("/api/open311/jurisdictions/t2/services"), HttpStatusCode.NoContent);
        Assert.Equal(4, (await client.Get("services", "?jurisdiction_id=m3", schema: "services")).Json.AsArray().Count);
    }

    /// <summary>GETs the request by id in both formats, checks them against each other and the schema, and returns the JSON request.</summary>
    private static async Task<GeoReportAnswer> Follow(GeoReport client, Guid id)
    {
        var answer = await client.Get($"requests/{id}", schema: "requests");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("service_requests", answer.Xml.Name.LocalName);
        Assert.Equal(id.ToString(), Assert.Single(answer.Json.AsArray())!["service_request_id"]!.GetValue<string>());
        return answer;
    }

    private static string? Text(GeoReportAnswer answer, string field) => answer.Json[0]![field]?.GetValue<string>();
}
