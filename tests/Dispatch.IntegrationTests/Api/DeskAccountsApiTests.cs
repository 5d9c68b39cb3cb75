using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// The desk's accounts page (issue #18, item 19): the staff and admin accounts placed at or below a
/// place, disabled ones included, following an account that moves; scope refusals and bad input.
/// A world of its own, since it adds, disables and moves accounts.
/// </summary>
public sealed class DeskAccountsApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();

    private static string[] Usernames(JsonObject page) =>
        page["items"]!.AsArray().Select(i => i!["username"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Staff_and_admins_list_the_accounts_placed_in_their_scope_disabled_and_moved_ones_too()
    {
        await World.Admin.CreateAccount("adm-c1", "admin", "c1");
        await World.Admin.CreateAccount("staff-m2", "staff", "m2");
        await World.Admin.CreateAccount("staff-t1b", "staff", "t1");
        using var staff = await World.As("staff-t1");

        var town = await staff.GetOk<JsonObject>("/api/places/t1/accounts");
        Assert.Equal<string>(["staff-m2", "staff-t1", "staff-t1b"], Usernames(town));
        Assert.Equal((3, 1, 20), (town["total"]!.GetValue<int>(), town["page"]!.GetValue<int>(), town["pageSize"]!.GetValue<int>()));
        var first = town["items"]![0]!;
        Assert.Equal(("User staff-m2", "staff", "m2", false), (first["displayName"]!.GetValue<string>(), first["role"]!.GetValue<string>(), first["placeId"]!.GetValue<string>(), first["disabled"]!.GetValue<bool>()));

        var county = await World.Admin.GetOk<JsonObject>("/api/places/c1/accounts");
        Assert.Equal<string>(["adm-c1", "staff-m2", "staff-m3", "staff-t1", "staff-t1b"], Usernames(county));
        Assert.Equal<string>(["adm-c1"], Usernames(await World.Admin.GetOk<JsonObject>("/api/places/c1/accounts?role=admin")));
        Assert.Equal<string>(["staff-t1b"], Usernames(await staff.GetOk<JsonObject>("/api/places/t1/accounts?q=T1B")));
        var second = await staff.GetOk<JsonObject>("/api/places/t1/accounts?page=2&pageSize=2");
        Assert.Equal((3, 2), (second["total"]!.GetValue<int>(), second["page"]!.GetValue<int>()));
        Assert.Equal<string>(["staff-t1b"], Usernames(second));

        // Disabled, the account stays on the page (to be enabled again); moved, it follows its place.
        await World.Admin.PostOk<JsonObject>("/api/accounts/staff-t1b/disable", new { reason = "on leave" });
        var disabled = (await staff.GetOk<JsonObject>("/api/places/t1/accounts?q=staff-t1b"))["items"]![0]!;
        Assert.True(disabled["disabled"]!.GetValue<bool>());
        var moved = await World.Admin.Put("/api/accounts/staff-m2/role", new { role = "staff", placeId = "m3" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.DoesNotContain("staff-m2", Usernames(await staff.GetOk<JsonObject>("/api/places/t1/accounts")));
        Assert.Contains("staff-m2", Usernames(await World.Admin.GetOk<JsonObject>("/api/places/m3/accounts")));
        var disabledMove = await World.Admin.Put("/api/accounts/staff-t1b/role", new { role = "admin", placeId = "t2" });
        Assert.Equal(HttpStatusCode.OK, disabledMove.StatusCode);
        Assert.Equal<string>(["staff-t1b"], Usernames(await World.Admin.GetOk<JsonObject>("/api/places/t2/accounts?role=admin")));
    }

    [Fact]
    public async Task The_accounts_list_refuses_bad_input_by_name_and_places_outside_the_scope()
    {
        using var staff = await World.As("staff-t1");
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/accounts?role=volunteer"), HttpStatusCode.BadRequest))["errors"]?["role"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/accounts?role=boss"), HttpStatusCode.BadRequest))["errors"]?["role"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/accounts?pageSize=201"), HttpStatusCode.BadRequest))["errors"]?["pageSize"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/accounts?page=0"), HttpStatusCode.BadRequest))["errors"]?["page"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/accounts?q=" + new string('x', 101)), HttpStatusCode.BadRequest))["errors"]?["q"]);
        Assert.Equal("outOfScope", await Reason(staff.Get("/api/places/m3/accounts"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(staff.Get("/api/places/c1/accounts"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(staff.Get("/api/places/nowhere/accounts"), HttpStatusCode.NotFound));
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Get("/api/places/m1/accounts"), HttpStatusCode.Forbidden));
    }
}
