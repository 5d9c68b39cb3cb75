using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Organisations;
using Dispatch.Suggestions;
using Dispatch.Volunteers;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// The role and ownership rules the grains hold themselves, asked straight through the grains (so
/// that every door, not only the REST handler, meets them): a volunteer's profile, taking a member
/// out of an organisation, filing and answering a suggestion. A refusal changes nothing.
/// </summary>
public sealed class WhoMayGrainTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_profile_is_changed_by_the_volunteer_only_whoever_else_asks_the_grain()
    {
        var community = GrainWorld.Unique("p");
        var (owner, other) = await Volunteers(community);
        var grain = Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(owner));
        var change = new ProfileChange(["理发"], ["周末"], null);

        foreach (var actor in new[] { new Actor(other, AccountRole.Volunteer, community), new Actor("staff", AccountRole.Staff, community), new Actor("admin", AccountRole.Admin) })
        {
            var refused = await grain.ChangeProfile(change, actor);
            Assert.Equal(new Failure(FailureKind.Forbidden, "outOfScope", "A volunteer's profile is changed by the volunteer only."), refused.Failure);
        }

        Assert.Empty((await grain.Get())!.Skills);
        var changed = await grain.ChangeProfile(change, new Actor(owner, AccountRole.Volunteer, community));
        Assert.Equal(["理发"], changed.Value!.Skills.ToArray());
        Assert.Equal("notFound", (await Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(GrainWorld.Unique("nobody"))).ChangeProfile(change, new Actor("x", AccountRole.Volunteer))).Failure?.Code);
    }

    [Fact]
    public async Task A_volunteer_takes_only_themselves_out_of_an_organisation()
    {
        var community = GrainWorld.Unique("o");
        var (first, second) = await Volunteers(community);
        var id = GrainWorld.Unique("org");
        await Grains.CreateOrganisation(id, community, [first, second]);
        var organisation = Grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id));

        var refused = await organisation.RemoveMember(second, new Actor(first, AccountRole.Volunteer, community));
        Assert.Equal(new Failure(FailureKind.Forbidden, "outOfScope", "Volunteers may only take themselves out of an organisation."), refused.Failure);
        Assert.Equal([first, second], (await organisation.Get())!.Members.ToArray());

        Assert.Equal([second], (await organisation.RemoveMember(first, new Actor(first, AccountRole.Volunteer, community))).Value!.Members.ToArray());
        Assert.Empty((await organisation.RemoveMember(second, GrainWorld.Staff)).Value!.Members);
    }

    [Fact]
    public async Task Only_an_account_with_a_representative_title_files_and_under_the_title_it_holds_now()
    {
        var plain = GrainWorld.Unique("plain");
        var deputy = GrainWorld.Unique("deputy");
        await Grains.CreateStaff(plain, "m");
        await Grains.CreateStaff(deputy, "m");
        Assert.True((await Grains.GetGrain<IAccountGrain>(GrainKeys.Account(deputy)).SetRepresentative(RepresentativeTitle.Cppcc, "admin")).Succeeded);
        var spec = new NewSuggestion(SuggestionKind.Suggestion, "加装电梯", "六层楼没有电梯。", "m");

        var refusedId = Guid.NewGuid().ToString("N");
        var refused = await Suggestion(refusedId).File(spec, ["r", "m"], new Actor(plain, AccountRole.Staff, "m"));
        Assert.Equal(
            new Failure(FailureKind.Forbidden, "notRepresentative", "Only an account with a representative title (党代表, 人大代表, 政协委员) may file suggestions."),
            refused.Failure);
        Assert.Null(await Suggestion(refusedId).Get());
        Assert.Equal("notRepresentative", (await Suggestion(Guid.NewGuid().ToString("N")).File(spec, ["r", "m"], new Actor(GrainWorld.Unique("ghost"), AccountRole.Volunteer, "m"))).Failure?.Code);

        var filed = await Suggestion(Guid.NewGuid().ToString("N")).File(spec, ["r", "m"], new Actor(deputy, AccountRole.Staff, "m"));
        Assert.Equal((deputy, RepresentativeTitle.Cppcc), (filed.Value!.Author, filed.Value.AuthorTitle));
    }

    [Fact]
    public async Task Only_an_account_of_the_department_it_was_handed_to_answers_and_a_refusal_changes_nothing()
    {
        var author = GrainWorld.Unique("rep");
        await Grains.CreateStaff(author, "m");
        await Grains.GetGrain<IAccountGrain>(GrainKeys.Account(author)).SetRepresentative(RepresentativeTitle.PeoplesCongress, "admin");
        var housing = GrainWorld.Unique("housing");
        var (ours, theirs) = (GrainWorld.Unique("li"), GrainWorld.Unique("wu"));
        foreach (var (username, department) in new[] { (ours, housing), (theirs, GrainWorld.Unique("hospital")) })
        {
            await Grains.CreateStaff(username, "m");
            Assert.True((await Grains.GetGrain<IAccountGrain>(GrainKeys.Account(username)).AssignDepartment(department, "admin")).Succeeded);
        }

        var id = Guid.NewGuid().ToString("N");
        var grain = Suggestion(id);
        Assert.True((await grain.File(new NewSuggestion(SuggestionKind.Proposal, "T", "C", "m"), ["r", "m"], new Actor(author, AccountRole.Staff, "m"))).Succeeded);
        Assert.True((await grain.HandOver(new SuggestionHandover(housing, DateTimeOffset.UtcNow.AddDays(10), TimeSpan.FromDays(1)), "staff")).Succeeded);

        var refusal = new Failure(FailureKind.Forbidden, "notDepartment", $"Only the department suggestion '{id}' was handed to may answer it.");
        foreach (var actor in new[] { new Actor(theirs, AccountRole.Department, "m"), new Actor("staff", AccountRole.Staff, "m"), new Actor("admin", AccountRole.Admin), new Actor(author, AccountRole.Staff, "m") })
        {
            Assert.Equal(refusal, (await grain.Answer("代答。", actor)).Failure);
        }

        // A department account's department is read from its account, not taken from the caller's word.
        Assert.Equal(refusal, (await grain.Answer("代答。", new Actor(author, AccountRole.Department, "m"))).Failure);
        Assert.Equal(SuggestionStatus.HandedOver, (await grain.Get())!.Status);

        var answered = await grain.Answer("已列入计划。", new Actor(ours, AccountRole.Department, "m"));
        Assert.Equal((SuggestionStatus.Answered, ours), (answered.Value!.Status, answered.Value.AnsweredBy));
        Assert.Equal("notFound", (await Suggestion(Guid.NewGuid().ToString("N")).Answer("x", new Actor(ours, AccountRole.Department, "m"))).Failure?.Code);
    }

    private ISuggestionGrain Suggestion(string id) => Grains.GetGrain<ISuggestionGrain>(SuggestionKeys.Suggestion(id));

    private async Task<(string First, string Second)> Volunteers(string community)
    {
        var usernames = await Grains.CreateCommunityWithVolunteers(community, 2);
        return (usernames[0], usernames[1]);
    }
}
