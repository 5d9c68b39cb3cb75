using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Organisations;

namespace Dispatch.IntegrationTests.Api;

/// <summary>Organisations (双报到单位) and their members through the real API: who may create, read and link, and what is refused.</summary>
public sealed class OrganisationsApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    private static object Organisation(string id, params string[] communityIds) =>
        new { id, name = $"Unit {id}", communityIds };

    private static Task<OrganisationView> Create(DispatchClient client, string id, params string[] communityIds) =>
        client.PostOk<OrganisationView>("/api/organisations", Organisation(id, communityIds), HttpStatusCode.Created);

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();

    private static Task<HttpResponseMessage> Delete(DispatchClient client, string path) => client.Http.DeleteAsync(new Uri(path, UriKind.Relative));

    [Fact]
    public async Task Staff_register_an_organisation_with_communities_in_their_scope()
    {
        using var staff = await World.As("staff-t1");

        var response = await staff.Post("/api/organisations", new { id = "power-supply", name = "  County Power Supply  ", communityIds = new[] { "m2", "m1" } });

        await DispatchClient.Expect(response, HttpStatusCode.Created);
        Assert.Equal("/api/organisations/power-supply", response.Headers.Location?.OriginalString);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>(DispatchClient.Json))!;
        Assert.Equal("power-supply", created["id"]!.GetValue<string>());
        Assert.Equal("County Power Supply", created["name"]!.GetValue<string>());
        Assert.Equal(["m2", "m1"], created["communityIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Empty(created["members"]!.AsArray());
        Assert.Equal("staff-t1", created["createdBy"]!.GetValue<string>());
        Assert.NotNull(created["createdAt"]);

        var read = await World.Admin.GetOk<OrganisationView>("/api/organisations/power-supply");
        Assert.Equal(("power-supply", "County Power Supply", "staff-t1"), (read.Id, read.Name, read.CreatedBy));
    }

    [Fact]
    public async Task Readers_are_admins_staff_in_scope_of_one_of_its_communities_and_its_communities_volunteers()
    {
        using var staff = await World.As("staff-t1");
        await Create(World.Admin, "clinic-1", "m1", "m3");

        using var staffM3 = await World.As("staff-m3");
        using var m1Volunteer = await World.As(World.Volunteer("m1", 1));
        using var m3Volunteer = await World.As(World.Volunteer("m3", 1));
        using var m2Volunteer = await World.As(World.Volunteer("m2", 1));
        foreach (var reader in new[] { World.Admin, staff, staffM3, m1Volunteer, m3Volunteer })
        {
            Assert.Equal("clinic-1", (await reader.GetOk<OrganisationView>("/api/organisations/clinic-1")).Id);
        }

        Assert.Equal("outOfScope", await Reason(m2Volunteer.Get("/api/organisations/clinic-1"), HttpStatusCode.Forbidden));

        await Create(staff, "school-1", "m2");
        Assert.Equal("outOfScope", await Reason(staffM3.Get("/api/organisations/school-1"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(m1Volunteer.Get("/api/organisations/school-1"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(staff.Get("/api/organisations/nowhere"), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(staff.Get("/api/organisations/not%20an%20id"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task A_retried_create_answers_the_organisation_and_any_other_create_of_the_id_is_a_conflict()
    {
        using var staff = await World.As("staff-t1");
        var first = await Create(staff, "water-1", "m1", "m2");

        var retried = await Create(staff, "water-1", "m2", "m1");
        Assert.Equal((first.Id, first.CreatedAt), (retried.Id, retried.CreatedAt));
        Assert.Equal<string>(["m1", "m2"], retried.CommunityIds);

        Assert.Equal("alreadyExists", await Reason(staff.Post("/api/organisations", Organisation("water-1", "m1")), HttpStatusCode.Conflict));
        Assert.Equal("alreadyExists", await Reason(World.Admin.Post("/api/organisations", Organisation("water-1", "m1", "m2")), HttpStatusCode.Conflict));
        using var staffM3 = await World.As("staff-m3");
        Assert.Equal("alreadyExists", await Reason(staffM3.Post("/api/organisations", Organisation("water-1", "m3")), HttpStatusCode.Conflict));

        var unchanged = await World.Admin.GetOk<OrganisationView>("/api/organisations/water-1");
        Assert.Equal<string>(["m1", "m2"], unchanged.CommunityIds);
    }

    [Fact]
    public async Task Staff_may_not_register_an_organisation_with_a_community_outside_their_scope()
    {
        using var staffM3 = await World.As("staff-m3");
        using var staffT1 = await World.As("staff-t1");
        using var volunteer = await World.As(World.Volunteer("m1", 1));

        Assert.Equal("outOfScope", await Reason(staffM3.Post("/api/organisations", Organisation("far-1", "m1")), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(staffT1.Post("/api/organisations", Organisation("far-1", "m1", "m3")), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Post("/api/organisations", Organisation("far-1", "m1")), HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.NotFound, (await World.Admin.Get("/api/organisations/far-1")).StatusCode);

        await Create(World.Admin, "far-1", "m1", "m3");
    }

    [Theory]
    [InlineData("""{"name":"Unit","communityIds":["m1"]}""", "id")]
    [InlineData("""{"id":"bad id!","name":"Unit","communityIds":["m1"]}""", "id")]
    [InlineData("""{"id":"org:x","name":"Unit","communityIds":["m1"]}""", "id")]
    [InlineData("""{"id":"bad-1","communityIds":["m1"]}""", "name")]
    [InlineData("""{"id":"bad-1","name":"   ","communityIds":["m1"]}""", "name")]
    [InlineData("""{"id":"bad-1","name":["Unit"],"communityIds":["m1"]}""", "name")]
    [InlineData("""{"id":"bad-1","name":"Unit"}""", "communityIds")]
    [InlineData("""{"id":"bad-1","name":"Unit","communityIds":[]}""", "communityIds")]
    [InlineData("""{"id":"bad-1","name":"Unit","communityIds":"m1"}""", "communityIds")]
    [InlineData("""{"id":"bad-1","name":"Unit","communityIds":["m1","m1"]}""", "communityIds")]
    [InlineData("""{"id":"bad-1","name":"Unit","communityIds":["m1",null]}""", "communityIds")]
    [InlineData("""{"id":"bad-1","name":"Unit","communityIds":["m1","nowhere"]}""", "communityIds")]
    [InlineData("""{"id":"bad-1","name":"Unit","communityIds":["t1"]}""", "communityIds")]
    [InlineData("""{"id":"bad-1","name":"Unit",""", "body")]
    [InlineData("""[1,2,3]""", "body")]
    [InlineData("", "body")]
    public async Task A_bad_organisation_is_refused_naming_the_field_and_nothing_is_created(string json, string field)
    {
        using var staff = await World.As("staff-t1");

        var problem = await DispatchClient.Problem(await staff.PostRaw("/api/organisations", json), HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
        Assert.Equal("invalid", problem["reason"]?.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await World.Admin.Get("/api/organisations/bad-1")).StatusCode);
    }

    [Fact]
    public async Task A_name_over_100_characters_and_more_than_50_communities_are_refused()
    {
        var longName = await DispatchClient.Problem(
            await World.Admin.Post("/api/organisations", new { id = "long-1", name = new string('n', 101), communityIds = new[] { "m1" } }),
            HttpStatusCode.BadRequest);
        Assert.NotNull(longName["errors"]?["name"]);

        var many = await DispatchClient.Problem(
            await World.Admin.Post("/api/organisations", new { id = "long-1", name = "Unit", communityIds = Enumerable.Range(1, 51).Select(i => $"x{i}").ToArray() }),
            HttpStatusCode.BadRequest);
        Assert.NotNull(many["errors"]?["communityIds"]);
    }

    [Fact]
    public async Task Staff_link_and_unlink_volunteers_of_its_communities_and_members_may_read_it()
    {
        using var staff = await World.As("staff-t1");
        await Create(staff, "repair-1", "m1", "m2");
        var first = World.Volunteer("m1", 1);
        var second = World.Volunteer("m2", 2);

        var withFirst = await staff.PostOk<OrganisationView>("/api/organisations/repair-1/members", new { username = first });
        Assert.Equal<string>([first], withFirst.Members);

        // Linking again changes nothing; usernames are case-insensitive.
        var again = await staff.PostOk<OrganisationView>("/api/organisations/repair-1/members", new { username = first.ToUpperInvariant() });
        Assert.Equal<string>([first], again.Members);

        var withBoth = await World.Admin.PostOk<OrganisationView>("/api/organisations/repair-1/members", new { username = second });
        Assert.Equal<string>([first, second], withBoth.Members);

        using var member = await World.As(second);
        Assert.Equal<string>([first, second], (await member.GetOk<OrganisationView>("/api/organisations/repair-1")).Members);

        var response = await Delete(staff, $"/api/organisations/repair-1/members/{first}");
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        Assert.Equal<string>([second], (await response.Content.ReadFromJsonAsync<OrganisationView>(DispatchClient.Json))!.Members);

        // Unlinking someone who is no longer a member changes nothing.
        await DispatchClient.Expect(await Delete(staff, $"/api/organisations/repair-1/members/{first}"), HttpStatusCode.OK);
        Assert.Equal<string>([second], (await staff.GetOk<OrganisationView>("/api/organisations/repair-1")).Members);
    }

    [Fact]
    public async Task A_member_may_leave_on_their_own()
    {
        using var staff = await World.As("staff-t1");
        await Create(staff, "leave-1", "m1");
        var username = World.Volunteer("m1", 2);
        await staff.PostOk<OrganisationView>("/api/organisations/leave-1/members", new { username });
        using var member = await World.As(username);

        var response = await Delete(member, $"/api/organisations/leave-1/members/{username}");

        await DispatchClient.Expect(response, HttpStatusCode.OK);
        Assert.Empty((await response.Content.ReadFromJsonAsync<OrganisationView>(DispatchClient.Json))!.Members);
        Assert.Empty((await staff.GetOk<OrganisationView>("/api/organisations/leave-1")).Members);
    }

    [Fact]
    public async Task Linking_is_refused_for_volunteers_of_other_communities_unknown_users_and_outside_scope()
    {
        using var staffT1 = await World.As("staff-t1");
        using var staffM3 = await World.As("staff-m3");
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        await Create(staffT1, "tutors-1", "m1");
        var path = "/api/organisations/tutors-1/members";

        // A volunteer of another community: refused on the username, whoever asks, once the scope allows.
        Assert.Equal("invalid", await Reason(World.Admin.Post(path, new { username = World.Volunteer("m3", 1) }), HttpStatusCode.BadRequest));
        Assert.Equal("invalid", await Reason(staffT1.Post(path, new { username = World.Volunteer("m2", 1) }), HttpStatusCode.BadRequest));
        Assert.Equal("invalid", await Reason(staffM3.Post(path, new { username = World.Volunteer("m3", 1) }), HttpStatusCode.BadRequest));

        // Staff act on volunteers of their own scope only.
        Assert.Equal("outOfScope", await Reason(staffM3.Post(path, new { username = World.Volunteer("m1", 1) }), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(staffT1.Post(path, new { username = World.Volunteer("m3", 1) }), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Post(path, new { username = World.Volunteer("m1", 1) }), HttpStatusCode.Forbidden));

        foreach (var body in new object[] { new { username = "nobody-here" }, new { username = "staff-t1" }, new { username = "Not Valid" }, new { } })
        {
            var problem = await DispatchClient.Problem(await World.Admin.Post(path, body), HttpStatusCode.BadRequest);
            Assert.NotNull(problem["errors"]?["username"]);
        }

        Assert.Equal("notFound", await Reason(World.Admin.Post("/api/organisations/nowhere/members", new { username = World.Volunteer("m1", 1) }), HttpStatusCode.NotFound));
        Assert.Empty((await World.Admin.GetOk<OrganisationView>("/api/organisations/tutors-1")).Members);
    }

    [Fact]
    public async Task Unlinking_is_refused_outside_scope_and_for_other_volunteers()
    {
        using var staffT1 = await World.As("staff-t1");
        using var staffM3 = await World.As("staff-m3");
        await Create(World.Admin, "mixed-1", "m1", "m3");
        var m1Member = World.Volunteer("m1", 1);
        var m3Member = World.Volunteer("m3", 2);
        await staffT1.PostOk<OrganisationView>("/api/organisations/mixed-1/members", new { username = m1Member });
        await staffM3.PostOk<OrganisationView>("/api/organisations/mixed-1/members", new { username = m3Member });
        using var fellow = await World.As(m3Member);
        using var outsider = await World.As(World.Volunteer("m2", 1));

        Assert.Equal("outOfScope", await Reason(Delete(staffM3, $"/api/organisations/mixed-1/members/{m1Member}"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(Delete(fellow, $"/api/organisations/mixed-1/members/{m1Member}"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(Delete(outsider, $"/api/organisations/mixed-1/members/{World.Volunteer("m2", 1)}"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(Delete(staffT1, "/api/organisations/mixed-1/members/nobody-here"), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(Delete(staffT1, $"/api/organisations/nowhere/members/{m1Member}"), HttpStatusCode.NotFound));

        Assert.Equal<string>([m1Member, m3Member], (await World.Admin.GetOk<OrganisationView>("/api/organisations/mixed-1")).Members);
    }
}
