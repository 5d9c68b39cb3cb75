using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.WebHost.Security;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Api;

/// <summary>The public place directory the report-in page picks from: names down to the communities, units by name, nothing else.</summary>
public sealed class PlaceDirectoryApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    private static string[] Names(JsonNode? items) => [.. items!.AsArray().Select(i => i!["name"]!.GetValue<string>())];

    private static string[] Keys(JsonNode? item) => [.. item!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Anyone_walks_the_tree_by_name_from_the_regions_down_to_a_community()
    {
        using var anonymous = World.App.Anonymous();

        var top = await anonymous.GetOk<JsonObject>("/api/places/directory");
        Assert.Null(top["place"]);
        Assert.Contains("Place r1", Names(top["items"]));
        Assert.All(top["items"]!.AsArray(), region => Assert.Equal("region", region!["kind"]!.GetValue<string>()));

        var town = await anonymous.GetOk<JsonObject>("/api/places/directory?parent=t1");
        Assert.Equal(("t1", "town"), (town["place"]!["id"]!.GetValue<string>(), town["place"]!["kind"]!.GetValue<string>()));
        Assert.Equal(["Place r1", "Place c1", "Place t1"], town["ladder"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["Place m1", "Place m2"], Names(town["items"]));
        Assert.Equal(["m1", "m2"], town["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));

        // Names, ids and kinds only: no counters, staff, volunteers or requests of the places.
        Assert.Equal(["id", "kind", "name"], Keys(town["items"]![0]));
        Assert.Equal(["id", "kind", "name"], Keys(town["place"]));

        var community = await anonymous.GetOk<JsonObject>("/api/places/directory?parent=m1");
        Assert.Equal(["Place r1", "Place c1", "Place t1", "Place m1"], community["ladder"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Empty(community["items"]!.AsArray());
    }

    [Fact]
    public async Task Grids_are_left_out_and_cannot_be_browsed()
    {
        await World.Admin.CreatePlace("m2-grid-1", "grid", "m2");
        using var anonymous = World.App.Anonymous();

        Assert.Empty((await anonymous.GetOk<JsonObject>("/api/places/directory?parent=m2"))["items"]!.AsArray());
        var refused = await DispatchClient.Problem(await anonymous.Get("/api/places/directory?parent=m2-grid-1"), HttpStatusCode.NotFound);
        Assert.Equal("notFound", refused["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_or_malformed_parent_is_refused_by_name()
    {
        using var anonymous = World.App.Anonymous();

        var unknown = await DispatchClient.Problem(await anonymous.Get("/api/places/directory?parent=nowhere"), HttpStatusCode.NotFound);
        Assert.Equal("notFound", unknown["reason"]!.GetValue<string>());
        var malformed = await DispatchClient.Problem(await anonymous.Get("/api/places/directory?parent=Not%20an%20id!"), HttpStatusCode.BadRequest);
        Assert.Equal("invalid", malformed["reason"]!.GetValue<string>());
        Assert.NotNull(malformed["errors"]!["parent"]);
    }

    [Fact]
    public async Task Anyone_reads_the_names_of_the_units_registered_with_a_community_and_only_those()
    {
        await World.Admin.PostOk<JsonObject>("/api/organisations", new { id = "dir-power", name = "旗供电公司", communityIds = new[] { "m1" } }, HttpStatusCode.Created);
        await World.Admin.PostOk<JsonObject>("/api/organisations", new { id = "dir-school", name = "第一中学", communityIds = new[] { "m1", "m3" } }, HttpStatusCode.Created);
        using var anonymous = World.App.Anonymous();

        var units = await anonymous.GetOk<JsonObject>("/api/places/directory/m1/units");
        var items = units["items"]!.AsArray();
        Assert.Contains(items, i => i!["id"]!.GetValue<string>() == "dir-power" && i["name"]!.GetValue<string>() == "旗供电公司");
        Assert.Contains("第一中学", Names(items));
        Assert.All(items, i => Assert.Equal(["id", "name"], Keys(i)));

        var other = Names((await anonymous.GetOk<JsonObject>("/api/places/directory/m3/units"))["items"]);
        Assert.Contains("第一中学", other);
        Assert.DoesNotContain("旗供电公司", other);

        Assert.Equal("notFound", (await DispatchClient.Problem(await anonymous.Get("/api/places/directory/t1/units"), HttpStatusCode.NotFound))["reason"]!.GetValue<string>());
        Assert.Equal("notFound", (await DispatchClient.Problem(await anonymous.Get("/api/places/directory/nowhere/units"), HttpStatusCode.NotFound))["reason"]!.GetValue<string>());
    }
}

/// <summary>The per-address limit of directory reads, on its own host: every in-process client shares one address.</summary>
public sealed class PlaceDirectoryLimitTests
{
    [Fact]
    public async Task An_address_reads_the_directory_up_to_its_burst_then_waits_for_the_refill()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero));
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, new Dictionary<string, string?>
        {
            ["Dispatch:RateLimits:DirectoryReadsPerAddress:Burst"] = "2",
            ["Dispatch:RateLimits:DirectoryReadsPerAddress:Refill"] = "1",
            ["Dispatch:RateLimits:DirectoryReadsPerAddress:Period"] = "00:00:10",
        }, clock);
        using var admin = await app.Admin();
        await World.Seed(admin, volunteersPerCommunity: 0);
        using var anonymous = app.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.Get("/api/places/directory")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Get("/api/places/directory/m1/units")).StatusCode);
        var response = await anonymous.Get("/api/places/directory?parent=t1");
        Assert.NotNull(response.Headers.RetryAfter);
        var refused = await DispatchClient.Problem(response, HttpStatusCode.TooManyRequests);
        Assert.Equal(("rateLimited", DispatchRateLimits.DirectoryReadsPerAddress), (refused["reason"]!.GetValue<string>(), refused["limit"]!.GetValue<string>()));

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Get("/api/places/directory?parent=t1")).StatusCode);
    }
}
