using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// The routes the staff desk needs (issue #18): the place tree with counts, renaming a place, the
/// volunteers of a place, editing an open request and staff releasing a no-show's claim. Each with
/// its scope refusals and bad input, which change nothing.
/// </summary>
public sealed class DeskRoutesApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();

    private static Task<HttpResponseMessage> Patch(DispatchClient client, string path, string json) =>
        client.Http.PatchAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static JsonObject Node(JsonNode? parent, string id) =>
        parent!["children"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == id)!.AsObject();

    private static (int Open, int Overdue, int Volunteers) Counts(JsonObject node) =>
        (node["counts"]!["open"]!.GetValue<int>(), node["counts"]!["overdue"]!.GetValue<int>(), node["counts"]!["volunteers"]!.GetValue<int>());

    [Fact]
    public async Task The_tree_starts_at_every_region_for_admins_and_at_their_place_for_staff_with_counts()
    {
        using var m3 = await World.As("staff-m3");
        await m3.CreateRequest("m3", title: "Tree count");

        // The board learns of the request one-way; the tree reads the boards.
        var tree = await Eventually.Get(
            () => World.Admin.GetOk<JsonObject>("/api/places/tree"),
            t => Counts(Node(Node(Node(t["items"]![0], "c1"), "t2"), "m3")).Open == 1);
        var region = Assert.Single(tree["items"]!.AsArray())!.AsObject();
        Assert.Equal(("r1", "Place r1", "region"), (region["id"]!.GetValue<string>(), region["name"]!.GetValue<string>(), region["kind"]!.GetValue<string>()));
        var county = Node(region, "c1");
        Assert.Equal<string>(["t1", "t2"], county["children"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).Order());
        Assert.Equal((1, 0, 2), Counts(Node(Node(county, "t2"), "m3")));
        Assert.Equal((1, 0, 2), Counts(Node(county, "t2")));
        Assert.Equal(6, Counts(region).Volunteers);
        Assert.Empty(Node(Node(county, "t2"), "m3")["children"]!.AsArray());

        using var t1 = await World.As("staff-t1");
        var mine = await t1.GetOk<JsonObject>("/api/places/tree");
        var town = Assert.Single(mine["items"]!.AsArray())!.AsObject();
        Assert.Equal("t1", town["id"]!.GetValue<string>());
        Assert.Equal(4, Counts(town).Volunteers);
        Assert.Equal<string>(["m1", "m2"], town["children"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).Order());

        using var volunteer = await World.As(World.Volunteer("m1", 1));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Get("/api/places/tree"), HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Admins_rename_a_place_and_others_may_not()
    {
        await World.Admin.CreatePlace("m9", "community", "t2");

        var renamed = await (await Patch(World.Admin, "/api/places/m9", """{"name":"  幸福社区 "}""")).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("幸福社区", renamed!["name"]!.GetValue<string>());
        Assert.Equal("幸福社区", (await World.Admin.GetOk<JsonObject>("/api/places/m9"))["name"]!.GetValue<string>());
        Assert.Equal<string>(["r1", "c1", "t2", "m9"], (await World.Admin.GetOk<JsonObject>("/api/places/m9"))["path"]!.AsArray().Select(p => p!.GetValue<string>()));

        var problem = await DispatchClient.Problem(await Patch(World.Admin, "/api/places/m9", """{"name":"  "}"""), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]?["name"]);
        Assert.NotNull((await DispatchClient.Problem(await Patch(World.Admin, "/api/places/m9", "{\"name\":\"" + new string('x', 201) + "\"}"), HttpStatusCode.BadRequest))["errors"]?["name"]);
        Assert.Equal("notFound", await Reason(Patch(World.Admin, "/api/places/nowhere", """{"name":"X"}"""), HttpStatusCode.NotFound));
        using var staff = await World.As("staff-m3");
        Assert.Equal("roleNotAllowed", await Reason(Patch(staff, "/api/places/m3", """{"name":"Mine"}"""), HttpStatusCode.Forbidden));
        Assert.Equal("幸福社区", (await World.Admin.GetOk<JsonObject>("/api/places/m9"))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Staff_list_and_search_the_volunteers_of_their_place_by_display_name_paged()
    {
        using var staff = await World.As("staff-t1");

        var all = await staff.GetOk<JsonObject>("/api/places/t1/volunteers");
        Assert.Equal((4, 1, 20), (all["total"]!.GetValue<int>(), all["page"]!.GetValue<int>(), all["pageSize"]!.GetValue<int>()));
        var first = all["items"]![0]!;
        Assert.Equal(("vol-m1-1", "User vol-m1-1", "m1", false), (first["username"]!.GetValue<string>(), first["displayName"]!.GetValue<string>(), first["communityId"]!.GetValue<string>(), first["disabled"]!.GetValue<bool>()));
        Assert.Equal(0, first["activeClaims"]!.GetValue<int>());

        var search = await staff.GetOk<JsonObject>("/api/places/t1/volunteers?q=M2-");
        Assert.Equal<string>(["vol-m2-1", "vol-m2-2"], search["items"]!.AsArray().Select(i => i!["username"]!.GetValue<string>()));
        var second = await staff.GetOk<JsonObject>("/api/places/t1/volunteers?page=2&pageSize=3");
        Assert.Equal((4, 2), (second["total"]!.GetValue<int>(), second["page"]!.GetValue<int>()));
        Assert.Equal<string>(["vol-m2-2"], second["items"]!.AsArray().Select(i => i!["username"]!.GetValue<string>()));
        Assert.Equal(2, (await World.Admin.GetOk<JsonObject>("/api/places/m3/volunteers"))["total"]!.GetValue<int>());

        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/volunteers?pageSize=0"), HttpStatusCode.BadRequest))["errors"]?["pageSize"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/volunteers?page=x"), HttpStatusCode.BadRequest))["errors"]?["page"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/volunteers?q=" + new string('x', 101)), HttpStatusCode.BadRequest))["errors"]?["q"]);
        Assert.Equal("outOfScope", await Reason(staff.Get("/api/places/m3/volunteers"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(staff.Get("/api/places/nowhere/volunteers"), HttpStatusCode.NotFound));
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Get("/api/places/m1/volunteers"), HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Staff_edit_an_open_request_nobody_holds_and_the_history_says_so()
    {
        using var staff = await World.As("staff-t1");
        var request = await staff.CreateRequest("m1", title: "Thermos cup");

        var response = await Patch(staff, $"/api/requests/{request.Id}", """{"title":" Thermos cup and gloves ","urgency":"critical","categories":["goods","winter"]}""");
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        var edited = (await response.Content.ReadFromJsonAsync<RequestView>(DispatchClient.Json))!;
        Assert.Equal(("Thermos cup and gloves", Urgency.Critical, RequestStatus.Open), (edited.Title, edited.Urgency, edited.Status));
        Assert.Equal<string>(["goods", "winter"], edited.Categories);
        Assert.NotEqual(request.Policy, edited.Policy);
        var entry = (await staff.GetOk<HistoryEntry[]>($"/api/requests/{request.Id}/history"))[^1];
        Assert.Equal((RequestAction.Edited, "staff-t1", "title, categories, urgency"), (entry.Action, entry.Actor, entry.Note));

        // Bad input, scope and role: refused, and the request stays as it was.
        foreach (var (json, field) in new[]
        {
            ("""{"title":"  "}""", "title"),
            ("""{"urgency":"asap"}""", "urgency"),
            ("""{"categories":[""]}""", "categories"),
            ("{\"description\":\"" + new string('x', 4001) + "\"}", "description"),
        })
        {
            var problem = await DispatchClient.Problem(await Patch(staff, $"/api/requests/{request.Id}", json), HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
        }

        using var other = await World.As("staff-m3");
        Assert.Equal("outOfScope", await Reason(Patch(other, $"/api/requests/{request.Id}", """{"title":"Mine"}"""), HttpStatusCode.Forbidden));
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        Assert.Equal("roleNotAllowed", await Reason(Patch(volunteer, $"/api/requests/{request.Id}", """{"title":"Mine"}"""), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(Patch(staff, $"/api/requests/{Guid.NewGuid()}", """{"title":"X"}"""), HttpStatusCode.NotFound));

        // Once a volunteer holds it, what they said yes to stays.
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        Assert.Equal("alreadyTaken", await Reason(Patch(staff, $"/api/requests/{request.Id}", """{"title":"Changed"}"""), HttpStatusCode.Conflict));
        var after = await staff.GetOk<RequestView>($"/api/requests/{request.Id}");
        Assert.Equal(("Thermos cup and gloves", edited.Version + 1), (after.Title, after.Version));
    }

    [Fact]
    public async Task Staff_release_a_no_show_with_a_reason_and_a_volunteer_still_releases_their_own()
    {
        using var staff = await World.As("staff-t1");
        var username = World.Volunteer("m2", 1);
        using var volunteer = await World.As(username);
        var request = await staff.CreateRequest("m2", title: "Carry the rice");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/start");

        Assert.NotNull((await DispatchClient.Problem(await staff.Post($"/api/requests/{request.Id}/release", new { volunteer = username }), HttpStatusCode.BadRequest))["errors"]?["reason"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post($"/api/requests/{request.Id}/release", new { volunteer = "Not A Name!", reason = "x" }), HttpStatusCode.BadRequest))["errors"]?["volunteer"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post($"/api/requests/{request.Id}/release", new { volunteer = World.Volunteer("m2", 2), reason = "x" }), HttpStatusCode.BadRequest))["errors"]?["volunteer"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post($"/api/requests/{request.Id}/release", new { volunteer = username, reason = new string('x', 2001) }), HttpStatusCode.BadRequest))["errors"]?["reason"]);
        using var other = await World.As("staff-m3");
        Assert.Equal("outOfScope", await Reason(other.Post($"/api/requests/{request.Id}/release", new { volunteer = username, reason = "No-show" }), HttpStatusCode.Forbidden));
        using var colleague = await World.As(World.Volunteer("m2", 2));
        Assert.Equal("notClaimant", await Reason(colleague.Post($"/api/requests/{request.Id}/release", new { volunteer = username, reason = "Not coming" }), HttpStatusCode.Forbidden));
        Assert.Equal(RequestStatus.InProgress, (await staff.GetOk<RequestView>($"/api/requests/{request.Id}")).Status);

        var released = await staff.PostOk<RequestView>($"/api/requests/{request.Id}/release", new { volunteer = username.ToUpperInvariant(), reason = "Did not turn up at 9:00" });

        Assert.Equal(RequestStatus.Open, released.Status);
        Assert.Empty(released.Claimants);
        var entry = (await staff.GetOk<HistoryEntry[]>($"/api/requests/{request.Id}/history"))[^1];
        Assert.Equal((RequestAction.Released, "staff-t1", "Did not turn up at 9:00"), (entry.Action, entry.Actor, entry.Note));
        var view = await Eventually.Get(
            () => staff.GetOk<JsonObject>($"/api/volunteers/{username}"),
            v => v["activeClaims"]!.AsArray().Count == 0);
        Assert.Empty(view["activeClaims"]!.AsArray());

        // The volunteer's own release, no body, as before.
        var second = await staff.CreateRequest("m2", title: "Fetch medicine");
        using var colleagueAgain = await World.As(World.Volunteer("m2", 2));
        await colleagueAgain.PostOk<RequestView>($"/api/requests/{second.Id}/claim");
        Assert.Equal(RequestStatus.Open, (await colleagueAgain.PostOk<RequestView>($"/api/requests/{second.Id}/release")).Status);
    }
}
