using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// The admins' list of Open311 keys: every key issued, newest first, revoked ones marked, and
/// never the key itself nor its hash; admins only.
/// </summary>
public sealed class Open311KeysApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task Admins_list_the_keys_issued_newest_first_with_revoked_ones_marked_and_never_the_secret()
    {
        var older = await World.Admin.PostOk<JsonObject>("/api/open311/keys", new { jurisdictionId = "m1", name = "Xinhua hotline" }, HttpStatusCode.Created);
        var newer = await World.Admin.PostOk<JsonObject>("/api/open311/keys", new { jurisdictionId = "t1", name = "Town 12345 app" }, HttpStatusCode.Created);
        await DispatchClient.Expect(await World.Admin.Http.DeleteAsync($"/api/open311/keys/{older["id"]}"), HttpStatusCode.NoContent);

        var response = await World.Admin.Get("/api/open311/keys");
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        var raw = await response.Content.ReadAsStringAsync();
        var keys = JsonNode.Parse(raw)!.AsArray();
        var ids = keys.Select(k => k!["id"]!.GetValue<string>()).ToList();
        var olderId = older["id"]!.GetValue<string>();
        var newerId = newer["id"]!.GetValue<string>();
        Assert.True(ids.IndexOf(newerId) >= 0 && ids.IndexOf(newerId) < ids.IndexOf(olderId), raw);

        var revoked = keys.Single(k => k!["id"]!.GetValue<string>() == olderId)!;
        Assert.Equal(("m1", "Xinhua hotline", true, "admin"), (
            revoked["jurisdictionId"]!.GetValue<string>(), revoked["name"]!.GetValue<string>(), revoked["revoked"]!.GetValue<bool>(), revoked["revokedBy"]!.GetValue<string>()));
        var active = keys.Single(k => k!["id"]!.GetValue<string>() == newerId)!;
        Assert.Equal(("t1", false), (active["jurisdictionId"]!.GetValue<string>(), active["revoked"]!.GetValue<bool>()));
        Assert.DoesNotContain(older["apiKey"]!.GetValue<string>(), raw, StringComparison.Ordinal);
        Assert.DoesNotContain(newer["apiKey"]!.GetValue<string>().Split('.')[1], raw, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", raw, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Staff_and_volunteers_cannot_list_the_keys()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        var refused = await DispatchClient.Problem(await staff.Get("/api/open311/keys"), HttpStatusCode.Forbidden);
        Assert.Equal("roleNotAllowed", refused["reason"]?.GetValue<string>());
        await DispatchClient.Problem(await volunteer.Get("/api/open311/keys"), HttpStatusCode.Forbidden);
    }
}
