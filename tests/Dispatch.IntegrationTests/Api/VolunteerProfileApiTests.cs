using System.Net;
using System.Net.Http.Json;
using Dispatch.IntegrationTests.Support;
using Dispatch.Volunteers;

namespace Dispatch.IntegrationTests.Api;

/// <summary>A volunteer's own profile (PUT /api/volunteers/{username}/profile): theirs to change, kept across sign-ins, refused by field.</summary>
public sealed class VolunteerProfileApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    private static async Task<VolunteerView> Ok(HttpResponseMessage response)
    {
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<VolunteerView>(DispatchClient.Json))!;
    }

    private static object Profile(string[] skills, string[] availability, string? unit) => new { skills, availability, unit };

    [Fact]
    public async Task A_volunteer_sets_skills_availability_and_unit_and_they_stay_after_signing_in_again()
    {
        await World.Admin.CreateAccount("profile-own", "volunteer", "m1", World.Password, ["driving"]);
        using var volunteer = await World.As("profile-own");

        var changed = await Ok(await volunteer.Put("/api/volunteers/profile-own/profile", Profile([" 理发 ", "陪护"], ["周末", "工作日晚上"], "旗供电公司")));
        Assert.Equal(["理发", "陪护"], changed.Skills.ToArray());
        Assert.Equal(["周末", "工作日晚上"], changed.Availability.ToArray());
        Assert.Equal("旗供电公司", changed.Unit);

        // Signing in registers the volunteer again with the account's skills: the profile's stay.
        using var again = await World.As("profile-own");
        var read = await World.Admin.GetOk<VolunteerView>("/api/volunteers/profile-own");
        Assert.Equal(["理发", "陪护"], read.Skills.ToArray());
        Assert.Equal("旗供电公司", read.Unit);

        // An empty list clears, a missing unit removes it.
        var cleared = await Ok(await again.Put("/api/volunteers/profile-own/profile", Profile([], [], null)));
        Assert.Empty(cleared.Skills);
        Assert.Empty(cleared.Availability);
        Assert.Null(cleared.Unit);
    }

    [Fact]
    public async Task Bad_fields_are_refused_by_name_and_nothing_changes()
    {
        await World.Admin.CreateAccount("profile-bad", "volunteer", "m1", World.Password, ["driving"]);
        using var volunteer = await World.As("profile-bad");

        var problem = await DispatchClient.Problem(
            await volunteer.Put("/api/volunteers/profile-bad/profile", Profile([new string('x', 51)], [.. Enumerable.Range(0, 11).Select(i => $"slot {i}")], new string('u', 101))),
            HttpStatusCode.BadRequest);
        Assert.Equal("invalid", problem["reason"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["skills"]);
        Assert.NotNull(problem["errors"]!["availability"]);
        Assert.NotNull(problem["errors"]!["unit"]);

        Assert.Equal(["driving"], (await World.Admin.GetOk<VolunteerView>("/api/volunteers/profile-bad")).Skills.ToArray());
    }

    [Fact]
    public async Task Only_the_volunteer_changes_their_profile()
    {
        await World.Admin.CreateAccount("profile-theirs", "volunteer", "m1", World.Password, ["driving"]);
        using var other = await World.As(World.Volunteer("m1", 1));
        using var staff = await World.As("staff-t1");

        var byOther = await DispatchClient.Problem(await other.Put("/api/volunteers/profile-theirs/profile", Profile(["理发"], [], null)), HttpStatusCode.Forbidden);
        Assert.Equal("outOfScope", byOther["reason"]!.GetValue<string>());
        var byStaff = await DispatchClient.Problem(await staff.Put("/api/volunteers/profile-theirs/profile", Profile(["理发"], [], null)), HttpStatusCode.Forbidden);
        Assert.Equal("outOfScope", byStaff["reason"]!.GetValue<string>());
        var unknown = await DispatchClient.Problem(await staff.Put("/api/volunteers/nobody-here/profile", Profile([], [], null)), HttpStatusCode.NotFound);
        Assert.Equal("notFound", unknown["reason"]!.GetValue<string>());

        Assert.Equal(["driving"], (await World.Admin.GetOk<VolunteerView>("/api/volunteers/profile-theirs")).Skills.ToArray());
    }
}
