using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Organisations;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// The desk's organisations page (issue #18, item 12): the organisations of a place, their
/// communities added and removed, and the claims their members hold for them; scope refusals and
/// bad input, which change nothing. A world of its own, since it adds organisations.
/// </summary>
public sealed class DeskOrganisationsApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();

    private static string[] Ids(JsonObject page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();

    private static Task<OrganisationView> Create(DispatchClient staff, string id, string name, params string[] communityIds) =>
        staff.PostOk<OrganisationView>("/api/organisations", new { id, name, communityIds }, HttpStatusCode.Created);

    [Fact]
    public async Task Staff_list_the_organisations_of_their_place_and_add_and_remove_communities()
    {
        using var staff = await World.As("staff-t1");
        await Create(staff, "power", "县供电公司", "m1");
        await Create(staff, "school", "第一中学", "m2");
        await Create(World.Admin, "hospital", "人民医院", "m3");

        var town = await staff.GetOk<JsonObject>("/api/places/t1/organisations");
        Assert.Equal<string>(["school", "power"], Ids(town));
        Assert.Equal((2, 1, 20), (town["total"]!.GetValue<int>(), town["page"]!.GetValue<int>(), town["pageSize"]!.GetValue<int>()));
        Assert.Equal<string>(["power"], Ids(await staff.GetOk<JsonObject>("/api/places/m1/organisations")));
        Assert.Equal<string>(["school"], Ids(await staff.GetOk<JsonObject>("/api/places/t1/organisations?q=中学")));
        Assert.Equal<string>(["power"], Ids(await staff.GetOk<JsonObject>("/api/places/t1/organisations?page=2&pageSize=1")));

        // A second community: listed there too; then taken away again.
        var added = await staff.PostOk<OrganisationView>("/api/organisations/power/communities", new { communityId = "m2" });
        Assert.Equal<string>(["m1", "m2"], added.CommunityIds);
        Assert.Equal<string>(["school", "power"], Ids(await staff.GetOk<JsonObject>("/api/places/m2/organisations")));
        var response = await staff.Http.DeleteAsync("/api/organisations/power/communities/m1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var removed = (await response.Content.ReadFromJsonAsync<OrganisationView>(DispatchClient.Json))!;
        Assert.Equal<string>(["m2"], removed.CommunityIds);
        Assert.Empty(Ids(await staff.GetOk<JsonObject>("/api/places/m1/organisations")));

        // Not its last community; not one its members are registered with.
        Assert.Equal("lastCommunity", await Reason(staff.Http.DeleteAsync("/api/organisations/power/communities/m2"), HttpStatusCode.Conflict));
        await staff.PostOk<OrganisationView>("/api/organisations/school/communities", new { communityId = "m1" });
        await staff.PostOk<OrganisationView>("/api/organisations/school/members", new { username = World.Volunteer("m2", 1) });
        Assert.Equal("communityHasMembers", await Reason(staff.Http.DeleteAsync("/api/organisations/school/communities/m2"), HttpStatusCode.Conflict));
        Assert.Equal<string>(["m2", "m1"], (await staff.GetOk<OrganisationView>("/api/organisations/school")).CommunityIds);
    }

    [Fact]
    public async Task Staff_see_the_claims_members_hold_for_their_organisation()
    {
        using var staff = await World.As("staff-t1");
        await Create(staff, "bank", "农商银行", "m1");
        var member = World.Volunteer("m1", 2);
        await staff.PostOk<OrganisationView>("/api/organisations/bank/members", new { username = member });
        var activity = await staff.PostOk<RequestView>(
            "/api/requests",
            new
            {
                communityId = "m1",
                kind = "activity",
                title = "Clean the park",
                categories = new[] { "environment" },
                urgency = "normal",
                places = 4,
                points = 10,
                beneficiary = new { name = "Park office", phone = "138-0000-0000", address = "North gate" },
            },
            HttpStatusCode.Created);
        using (var memberClient = await World.As(member))
        {
            await memberClient.PostOk<RequestView>($"/api/requests/{activity.Id}/claim", new { organisationId = "bank", places = 3 });
        }

        var claims = await staff.GetOk<JsonArray>("/api/organisations/bank/claims");
        var claim = Assert.Single(claims)!;
        Assert.Equal((activity.Id.ToString(), "Clean the park", "m1", "open", member, 3), (
            claim["requestId"]!.GetValue<string>(), claim["title"]!.GetValue<string>(), claim["communityId"]!.GetValue<string>(),
            claim["status"]!.GetValue<string>(), claim["volunteer"]!.GetValue<string>(), claim["places"]!.GetValue<int>()));

        using var outsider = await World.As("staff-m3");
        Assert.Equal("outOfScope", await Reason(outsider.Get("/api/organisations/bank/claims"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(staff.Get("/api/organisations/nobody/claims"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task The_organisation_routes_refuse_bad_input_by_name_and_places_outside_the_scope()
    {
        using var staff = await World.As("staff-t1");
        await Create(staff, "post", "邮政所", "m1");
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/organisations?pageSize=0"), HttpStatusCode.BadRequest))["errors"]?["pageSize"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/organisations?q=" + new string('x', 101)), HttpStatusCode.BadRequest))["errors"]?["q"]);
        Assert.Equal("outOfScope", await Reason(staff.Get("/api/places/t2/organisations"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(staff.Get("/api/places/nowhere/organisations"), HttpStatusCode.NotFound));
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Get("/api/places/m1/organisations"), HttpStatusCode.Forbidden));

        Assert.NotNull((await DispatchClient.Problem(await staff.Post("/api/organisations/post/communities", new { communityId = (string?)null }), HttpStatusCode.BadRequest))["errors"]?["communityId"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post("/api/organisations/post/communities", new { communityId = "t1" }), HttpStatusCode.BadRequest))["errors"]?["communityId"]);
        Assert.Equal("outOfScope", await Reason(staff.Post("/api/organisations/post/communities", new { communityId = "m3" }), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(staff.Post("/api/organisations/nobody/communities", new { communityId = "m2" }), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(staff.Http.DeleteAsync("/api/organisations/post/communities/nowhere"), HttpStatusCode.NotFound));
        Assert.Equal<string>(["m1"], (await staff.GetOk<OrganisationView>("/api/organisations/post")).CommunityIds);
    }
}
