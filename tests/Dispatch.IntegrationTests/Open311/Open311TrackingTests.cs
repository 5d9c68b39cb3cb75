using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Open311;

/// <summary>A request filed through Open311 gets a tracking code and link, with the confirmation and rating of the residents' page.</summary>
public sealed class Open311TrackingTests(Open311Fixture fixture) : IClassFixture<Open311Fixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task The_answer_carries_a_tracking_code_that_follows_confirms_and_rates_the_request()
    {
        var client = fixture.Client();
        var posted = await client.Post("json",
            ("api_key", fixture.KeyM1), ("jurisdiction_id", "m1"), ("service_code", "errand"),
            ("description", "Book a health check for me"), ("address_string", "Building 5"), ("phone", "13900001234"));
        await DispatchClient.Expect(posted, HttpStatusCode.OK);
        var receipt = Assert.Single(JsonNode.Parse(await posted.Content.ReadAsStringAsync())!.AsArray())!.AsObject();

        // Every field the answer had stays, in its order; the tracking fields come after.
        Assert.Equal(["service_request_id", "service_notice", "account_id", "tracking_code", "tracking_url"], receipt.Select(f => f.Key));
        var id = Guid.Parse(receipt["service_request_id"]!.GetValue<string>());
        var code = receipt["tracking_code"]!.GetValue<string>();
        Assert.Matches("^[A-Za-z0-9_-]{22}$", code);
        Assert.EndsWith($"/r/track/{code}", receipt["tracking_url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("http", receipt["tracking_url"]!.GetValue<string>(), StringComparison.Ordinal);

        // The listing never shows the code: it is the submitter's credential.
        var listed = await client.Get("requests", $"?service_request_id={id}", schema: "requests");
        Assert.DoesNotContain(code, listed.JsonText, StringComparison.Ordinal);
        Assert.DoesNotContain(code, listed.XmlText, StringComparison.Ordinal);

        using var anonymous = World.App.Anonymous();
        var open = await anonymous.GetOk<JsonObject>($"/api/track/{code}");
        Assert.Equal(("open", false), (open["status"]!.GetValue<string>(), open["canAnswer"]!.GetValue<bool>()));

        using var volunteer = await World.As(World.Volunteer("m1", 2));
        await volunteer.PostOk<RequestView>($"/api/requests/{id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{id}/start");
        await volunteer.PostOk<RequestView>($"/api/requests/{id}/complete");

        Assert.True((await anonymous.GetOk<JsonObject>($"/api/track/{code}"))["canAnswer"]!.GetValue<bool>());
        await anonymous.PostOk<JsonObject>($"/api/track/{code}/confirm", new { done = false });
        var rated = await anonymous.PostOk<JsonObject>($"/api/track/{code}/rating", new { rating = "unsatisfied" });
        Assert.Equal(("completed", false, "unsatisfied"), (rated["status"]!.GetValue<string>(), rated["done"]!.GetValue<bool>(), rated["rating"]!.GetValue<string>()));
        Assert.Equal(ResidentRating.Unsatisfied, (await World.Admin.GetOk<RequestView>($"/api/requests/{id}")).ResidentFeedback?.Rating);
    }

    [Fact]
    public async Task An_XML_answer_carries_the_tracking_fields_too()
    {
        var posted = await fixture.Client().Post("xml", ("api_key", fixture.KeyM1), ("jurisdiction_id", "m1"), ("service_code", "errand"),
            ("description", "Fetch my medicine"), ("address_string", "Building 6"));
        await DispatchClient.Expect(posted, HttpStatusCode.OK);
        var request = XDocument.Parse(await posted.Content.ReadAsStringAsync()).Root!.Element("request")!;
        Assert.Equal(["service_request_id", "service_notice", "account_id", "tracking_code", "tracking_url"], request.Elements().Select(e => e.Name.LocalName));
        Assert.Matches("^[A-Za-z0-9_-]{22}$", request.Element("tracking_code")!.Value);
    }
}
