using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary><c>PUT /api/volunteers/{username}/community</c>: staff move a volunteer within their scope.</summary>
public sealed class VolunteerMoveApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private static string[] Usernames(JsonObject page) => [.. page["items"]!.AsArray().Select(i => i!["username"]!.GetValue<string>())];

    [Fact]
    public async Task Staff_move_a_volunteer_between_communities_in_their_scope_and_their_claims_are_released()
    {
        using var staff = await fixture.World.As("staff-t1");
        var mover = World.Volunteer("m1", 2);
        using var volunteer = await fixture.World.As(mover);
        var request = await PlaceRequestsApiTests.Publish(staff, "m1", "wish", "搬家前认领的心愿", null, "daily");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");

        var answer = await staff.Put($"/api/volunteers/{mover}/community", new { communityId = "m2" });
        await DispatchClient.Expect(answer, HttpStatusCode.OK);
        var moved = (await answer.Content.ReadFromJsonAsync<JsonObject>(DispatchClient.Json))!;
        Assert.Equal(("m2", "volunteer"), (moved["placeId"]!.GetValue<string>(), moved["role"]!.GetValue<string>()));
        Assert.Contains(mover, Usernames(await staff.GetOk<JsonObject>($"/api/places/m2/volunteers?q={mover}")));
        Assert.DoesNotContain(mover, Usernames(await staff.GetOk<JsonObject>($"/api/places/m1/volunteers?q={mover}")));
        Assert.Equal("m2", (await staff.GetOk<JsonObject>($"/api/volunteers/{mover}"))["communityId"]!.GetValue<string>());
        var released = await staff.GetOk<RequestView>($"/api/requests/{request.Id}");
        Assert.Equal(RequestStatus.Open, released.Status);
        Assert.DoesNotContain(mover, released.Claimants);
    }

    [Fact]
    public async Task A_move_out_of_scope_or_of_anyone_but_a_volunteer_is_refused_and_changes_nothing()
    {
        using var staff = await fixture.World.As("staff-t1");
        var path = $"/api/volunteers/{World.Volunteer("m1", 1)}/community";

        Assert.NotNull((await DispatchClient.Problem(await staff.Put(path, new { }), HttpStatusCode.BadRequest))["errors"]!["communityId"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Put(path, new { communityId = "nowhere" }), HttpStatusCode.BadRequest))["errors"]!["communityId"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Put(path, new { communityId = "t1" }), HttpStatusCode.BadRequest))["errors"]!["communityId"]);
        Assert.Equal("outOfScope", (await DispatchClient.Problem(await staff.Put(path, new { communityId = "m3" }), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        Assert.Equal("roleNotAllowed", (await DispatchClient.Problem(await staff.Put("/api/volunteers/staff-m3/community", new { communityId = "m2" }), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        await DispatchClient.Problem(await staff.Put("/api/volunteers/nobody-here/community", new { communityId = "m2" }), HttpStatusCode.NotFound);

        using var other = await fixture.World.As("staff-m3");
        Assert.Equal("outOfScope", (await DispatchClient.Problem(await other.Put(path, new { communityId = "m3" }), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        using var volunteer = await fixture.World.As(World.Volunteer("m1", 1));
        await DispatchClient.Problem(await volunteer.Put(path, new { communityId = "m2" }), HttpStatusCode.Forbidden);

        Assert.Equal("m1", (await fixture.World.Admin.GetOk<JsonObject>($"/api/accounts/{World.Volunteer("m1", 1)}"))["placeId"]!.GetValue<string>());
    }
}
