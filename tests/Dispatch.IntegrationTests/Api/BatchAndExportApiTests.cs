using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Queries;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary><c>POST /api/requests/batch</c> and <c>GET /api/places/{id}/requests/export</c>.</summary>
public sealed class BatchAndExportApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    [Fact]
    public async Task Each_item_of_a_batch_is_created_or_refused_on_its_own_and_a_key_covers_the_batch()
    {
        using var staff = await fixture.World.As("staff-t1");
        object Item(string community, string title) => new
        {
            communityId = community, kind = "wish", title, categories = new[] { "goods" }, urgency = "normal", places = 1, points = 5,
            beneficiary = new { name = "Xiao Ming", phone = ContactSentinel.Phone },
        };
        var body = new
        {
            items = new object[]
            {
                Item("m1", "批量 one"),
                new { communityId = "m1", kind = "wish", beneficiary = new { name = "Xiao Ming" } },
                Item("m3", "outside the scope"),
                new { communityId = "m1", kind = "wish", title = "wrong shape", places = "three" },
                "not an object",
                Item("m2", "批量 two"),
            },
        };

        var response = await staff.Post("/api/requests/batch", body, idempotencyKey: "batch-1");
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        var results = (await response.Content.ReadFromJsonAsync<JsonObject>(DispatchClient.Json))!["results"]!.AsArray();
        Assert.Equal([0, 1, 2, 3, 4, 5], results.Select(r => r!["index"]!.GetValue<int>()));
        var first = results[0]!["id"]!.GetValue<Guid>();
        var last = results[5]!["id"]!.GetValue<Guid>();
        Assert.Null(results[0]!["problem"]);
        Assert.Equal("invalid", results[1]!["problem"]!["reason"]!.GetValue<string>());
        Assert.NotNull(results[1]!["problem"]!["errors"]!["title"]);
        Assert.Equal((403, "outOfScope"), (results[2]!["problem"]!["status"]!.GetValue<int>(), results[2]!["problem"]!["reason"]!.GetValue<string>()));
        Assert.NotNull(results[3]!["problem"]!["errors"]!["items[3]"]);
        Assert.NotNull(results[4]!["problem"]!["errors"]!["items[4]"]);
        Assert.Equal("批量 one", (await staff.GetOk<RequestView>($"/api/requests/{first}")).Title);
        Assert.Equal("m2", (await staff.GetOk<RequestView>($"/api/requests/{last}")).CommunityId);

        // The same key again: the same answer, nothing created twice.
        var again = await staff.Post("/api/requests/batch", body, idempotencyKey: "batch-1");
        await DispatchClient.Expect(again, HttpStatusCode.OK);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        var page = await Eventually.Get(
            () => staff.GetOk<RequestPage>("/api/places/t1/requests?q=" + Uri.EscapeDataString("批量")),
            p => p.Total >= 2);
        Assert.Equal(2, page.Total);

        // The batch itself: 1 to 1,000 items, staff only.
        Assert.NotNull((await DispatchClient.Problem(await staff.Post("/api/requests/batch", new { items = Array.Empty<object>() }), HttpStatusCode.BadRequest))["errors"]!["items"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post("/api/requests/batch", new { items = Enumerable.Repeat(Item("m1", "x"), 1001) }), HttpStatusCode.BadRequest))["errors"]!["items"]);
        using var volunteer = await fixture.World.As(World.Volunteer("m1", 1));
        await DispatchClient.Problem(await volunteer.Post("/api/requests/batch", body), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_export_is_a_csv_file_with_a_bom_every_matching_row_and_no_contact()
    {
        using var admin = await fixture.World.App.Admin();
        await admin.CreatePlace("x-town", "town", "c1");
        await admin.CreatePlace("x-m", "community", "x-town");
        await admin.CreateAccount("staff-x", "staff", "x-town");
        using var exporter = await fixture.World.App.LoginAs("staff-x", World.Password);
        var cup = await PlaceRequestsApiTests.Publish(exporter, "x-m", "wish", "为留守儿童送保温杯", "八岁, \"left-behind\"\nchild", "goods");
        await PlaceRequestsApiTests.Publish(exporter, "x-m", "errand", "=HYPERLINK(\"http://x\")", null, "food");
        var cancelled = await PlaceRequestsApiTests.Publish(exporter, "x-m", "case", "Land", null, "dispute");
        await exporter.PostOk<RequestView>($"/api/requests/{cancelled.Id}/cancel", new { reason = "Withdrawn" });
        await Eventually.Get(() => exporter.GetOk<RequestPage>("/api/places/x-town/requests?status=cancelled"), p => p.Total == 1);

        var response = await exporter.Get("/api/places/x-town/requests/export?format=csv&status=open&sort=oldest");
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.StartsWith("id,communityId,kind,title,description,", text, StringComparison.Ordinal);
        Assert.StartsWith($"{cup.Id},x-m,wish,为留守儿童送保温杯,\"八岁, \"\"left-behind\"\"\nchild\",goods,normal,open,", text.Split("\r\n", 2)[1].Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://x\"\")\",", text, StringComparison.Ordinal);
        Assert.DoesNotContain(cancelled.Id.ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(ContactSentinel.Phone, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Xiao Ming", text, StringComparison.Ordinal);

        Assert.NotNull((await DispatchClient.Problem(await exporter.Get("/api/places/x-town/requests/export?format=pdf"), HttpStatusCode.BadRequest))["errors"]!["format"]);
        Assert.NotNull((await DispatchClient.Problem(await exporter.Get("/api/places/x-town/requests/export?kind=chore"), HttpStatusCode.BadRequest))["errors"]!["kind"]);
        await DispatchClient.Problem(await exporter.Get("/api/places/t1/requests/export"), HttpStatusCode.Forbidden);
        using var volunteer = await fixture.World.As(World.Volunteer("m1", 1));
        await DispatchClient.Problem(await volunteer.Get("/api/places/m1/requests/export"), HttpStatusCode.Forbidden);
    }
}
