using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Organisations;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;

namespace Dispatch.UnitTests.Organisations;

public sealed class OrganisationRulesTests
{
    private static readonly NewOrganisation PowerSupply = new("power-supply", "County Power Supply Company", [Given.CommunityId, Given.OtherCommunityId]);

    private static IReadOnlyCollection<string> Fields(NewOrganisation organisation) => OrganisationRules.Check(organisation).ToDictionary().Keys.ToArray();

    private static VolunteerView VolunteerOf(string username, string communityId) =>
        new(username, $"User {username}", communityId, [], [], 5, 0, Given.Morning, [], [], [], null);

    [Fact]
    public void A_valid_organisation_has_no_errors()
    {
        Assert.True(OrganisationRules.Check(PowerSupply).IsEmpty);
        Assert.Null(OrganisationRules.Validate(PowerSupply));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-power")]
    [InlineData("power supply")]
    [InlineData("power/supply")]
    [InlineData("org:power")]
    [InlineData("供电公司")]
    public void An_id_outside_the_place_id_pattern_is_refused(string id)
    {
        Assert.Equal(["id"], Fields(PowerSupply with { Id = id }));
        var failure = OrganisationRules.Validate(PowerSupply with { Id = id });
        Assert.NotNull(failure);
        Assert.Equal((FailureKind.Invalid, "invalid", "id"), (failure.Kind, failure.Code, failure.Field));
    }

    [Fact]
    public void An_id_of_64_characters_is_the_longest()
    {
        Assert.True(OrganisationRules.Check(PowerSupply with { Id = new string('o', 64) }).IsEmpty);
        Assert.Equal(["id"], Fields(PowerSupply with { Id = new string('o', 65) }));
        Assert.Equal(["id"], Fields(PowerSupply with { Id = null! }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_name_is_required(string name)
    {
        Assert.Equal(["name"], Fields(PowerSupply with { Name = name }));
        Assert.Equal(["name"], Fields(PowerSupply with { Name = null! }));
    }

    [Fact]
    public void A_name_of_100_characters_is_the_longest()
    {
        Assert.True(OrganisationRules.Check(PowerSupply with { Name = new string('n', 100) }).IsEmpty);
        Assert.Equal(["name"], Fields(PowerSupply with { Name = new string('n', 101) }));
    }

    [Fact]
    public void At_least_one_community_is_required()
    {
        Assert.Equal(["communityIds"], Fields(PowerSupply with { CommunityIds = [] }));
        Assert.Equal(["communityIds"], Fields(PowerSupply with { CommunityIds = default }));
    }

    [Fact]
    public void At_most_50_communities_are_allowed()
    {
        var fifty = Enumerable.Range(1, 50).Select(i => $"m{i}").ToImmutableArray();

        Assert.True(OrganisationRules.Check(PowerSupply with { CommunityIds = fifty }).IsEmpty);
        Assert.Equal(["communityIds"], Fields(PowerSupply with { CommunityIds = fifty.Add("m51") }));
    }

    [Fact]
    public void A_malformed_community_id_is_named_in_the_message()
    {
        var errors = OrganisationRules.Check(PowerSupply with { CommunityIds = ["m1", "bad id", ""] }).ToDictionary();

        Assert.Equal(["communityIds"], errors.Keys);
        var message = Assert.Single(errors["communityIds"]);
        Assert.Contains("'bad id'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("'m1'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_community_listed_twice_is_refused_but_ids_differing_in_case_are_different_communities()
    {
        var errors = OrganisationRules.Check(PowerSupply with { CommunityIds = ["m1", "m2", "m1"] }).ToDictionary();

        Assert.Equal(["communityIds"], errors.Keys);
        Assert.Contains("'m1'", Assert.Single(errors["communityIds"]), StringComparison.Ordinal);
        Assert.True(OrganisationRules.Check(PowerSupply with { CommunityIds = ["m1", "M1"] }).IsEmpty);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_Validate_gives_the_first()
    {
        var organisation = new NewOrganisation("", "", []);

        Assert.Equal(["id", "name", "communityIds"], Fields(organisation));
        Assert.Equal("id", OrganisationRules.Validate(organisation)?.Field);
    }

    [Fact]
    public void Create_trims_the_name_keeps_the_order_of_communities_and_starts_without_members()
    {
        var view = OrganisationRules.Create(PowerSupply with { Name = "  Power Supply  " }, "staff.li", Given.Morning);

        Assert.Equal(("power-supply", "Power Supply", "staff.li", Given.Morning), (view.Id, view.Name, view.CreatedBy, view.CreatedAt));
        Assert.Equal<string>([Given.CommunityId, Given.OtherCommunityId], view.CommunityIds);
        Assert.Empty(view.Members);
        Assert.True(view.ReportsTo(Given.OtherCommunityId));
        Assert.False(view.ReportsTo("elsewhere"));
    }

    [Fact]
    public void The_same_creator_asking_for_the_same_organisation_again_is_a_retry()
    {
        var existing = OrganisationRules.Create(PowerSupply, "staff.li", Given.Morning);

        Assert.True(OrganisationRules.IsRetryOf(existing, PowerSupply, "staff.li"));
        Assert.True(OrganisationRules.IsRetryOf(existing, PowerSupply with { Name = " County Power Supply Company " }, "staff.li"));
        Assert.True(OrganisationRules.IsRetryOf(existing, PowerSupply with { CommunityIds = [Given.OtherCommunityId, Given.CommunityId] }, "staff.li"));
    }

    [Fact]
    public void Another_creator_or_other_content_is_not_a_retry()
    {
        var existing = OrganisationRules.Create(PowerSupply, "staff.li", Given.Morning);

        Assert.False(OrganisationRules.IsRetryOf(existing, PowerSupply, "staff.wang"));
        Assert.False(OrganisationRules.IsRetryOf(existing, PowerSupply with { Name = "Water Company" }, "staff.li"));
        Assert.False(OrganisationRules.IsRetryOf(existing, PowerSupply with { CommunityIds = [Given.CommunityId] }, "staff.li"));
        Assert.False(OrganisationRules.IsRetryOf(existing, PowerSupply with { CommunityIds = [Given.CommunityId, Given.CommunityId] }, "staff.li"));
        Assert.False(OrganisationRules.IsRetryOf(existing, PowerSupply with { CommunityIds = default }, "staff.li"));
        Assert.False(OrganisationRules.IsRetryOf(existing, PowerSupply with { Name = null! }, "staff.li"));
    }

    [Fact]
    public void A_volunteer_of_one_of_its_communities_may_join()
    {
        var organisation = OrganisationRules.Create(PowerSupply, "staff.li", Given.Morning);

        Assert.Null(OrganisationRules.CheckNewMember(organisation, "li.na", VolunteerOf("li.na", Given.OtherCommunityId)));

        var joined = OrganisationRules.WithMember(organisation, "li.na");
        Assert.True(joined.HasMember("li.na"));
        Assert.Equal<string>(["li.na"], joined.Members);
        Assert.Same(joined, OrganisationRules.WithMember(joined, "li.na"));
    }

    [Fact]
    public void An_unknown_volunteer_or_one_of_another_community_is_refused_on_the_username()
    {
        var organisation = OrganisationRules.Create(PowerSupply with { CommunityIds = [Given.CommunityId] }, "staff.li", Given.Morning);

        var unknown = OrganisationRules.CheckNewMember(organisation, "nobody", null);
        var outsider = OrganisationRules.CheckNewMember(organisation, "li.na", VolunteerOf("li.na", Given.OtherCommunityId));

        Assert.Equal((FailureKind.Invalid, "username"), (unknown?.Kind, unknown?.Field));
        Assert.Equal((FailureKind.Invalid, "username"), (outsider?.Kind, outsider?.Field));
        Assert.Contains(Given.OtherCommunityId, outsider!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_501st_member_is_refused_but_an_existing_member_may_join_again()
    {
        var organisation = OrganisationRules.Create(PowerSupply, "staff.li", Given.Morning);
        for (var i = 0; i < OrganisationRules.MaxMembers - 1; i++)
        {
            organisation = OrganisationRules.WithMember(organisation, $"vol-{i}");
        }

        Assert.Null(OrganisationRules.CheckNewMember(organisation, "vol-last", VolunteerOf("vol-last", Given.CommunityId)));
        organisation = OrganisationRules.WithMember(organisation, "vol-last");
        Assert.Equal(500, organisation.Members.Length);

        var refused = OrganisationRules.CheckNewMember(organisation, "vol-more", VolunteerOf("vol-more", Given.CommunityId));
        Assert.Equal((FailureKind.Conflict, "memberLimit"), (refused?.Kind, refused?.Code));
        Assert.Null(OrganisationRules.CheckNewMember(organisation, "vol-7", VolunteerOf("vol-7", Given.CommunityId)));
    }

    [Fact]
    public void Removing_a_member_keeps_the_others_in_order_and_removing_a_non_member_changes_nothing()
    {
        var organisation = OrganisationRules.Create(PowerSupply, "staff.li", Given.Morning);
        organisation = OrganisationRules.WithMember(OrganisationRules.WithMember(OrganisationRules.WithMember(organisation, "a1"), "b2"), "c3");

        var removed = OrganisationRules.WithoutMember(organisation, "b2");

        Assert.Equal<string>(["a1", "c3"], removed.Members);
        Assert.False(removed.HasMember("b2"));
        Assert.Same(removed, OrganisationRules.WithoutMember(removed, "b2"));
    }

    [Fact]
    public void A_community_is_added_once_and_up_to_the_limit()
    {
        var organisation = OrganisationRules.Create(PowerSupply, "staff", Given.Morning);
        Assert.Null(OrganisationRules.CheckNewCommunity(organisation, "m9"));
        var added = OrganisationRules.WithCommunity(organisation, "m9");
        Assert.Equal<string>([Given.CommunityId, Given.OtherCommunityId, "m9"], added.CommunityIds);
        Assert.Same(added, OrganisationRules.WithCommunity(added, "m9"));
        Assert.Equal((FailureKind.Invalid, "communityId"), (OrganisationRules.CheckNewCommunity(organisation, "not a place")?.Kind, OrganisationRules.CheckNewCommunity(organisation, "not a place")?.Field));

        var full = organisation with { CommunityIds = [.. Enumerable.Range(0, OrganisationRules.MaxCommunities).Select(i => $"m{i}")] };
        Assert.Equal((FailureKind.Conflict, "communityLimit"), (OrganisationRules.CheckNewCommunity(full, "another")?.Kind, OrganisationRules.CheckNewCommunity(full, "another")?.Code));
        Assert.Null(OrganisationRules.CheckNewCommunity(full, "m0"));
    }

    [Fact]
    public void A_community_is_removed_unless_it_is_the_last_or_members_are_registered_there()
    {
        var organisation = OrganisationRules.Create(PowerSupply, "staff", Given.Morning);
        Assert.Null(OrganisationRules.CheckRemovedCommunity(organisation, Given.OtherCommunityId, [Given.CommunityId]));
        Assert.Equal("communityHasMembers", OrganisationRules.CheckRemovedCommunity(organisation, Given.CommunityId, [Given.CommunityId])?.Code);
        Assert.Null(OrganisationRules.CheckRemovedCommunity(organisation, "elsewhere", [Given.CommunityId]));

        var removed = OrganisationRules.WithoutCommunity(organisation, Given.OtherCommunityId);
        Assert.Equal<string>([Given.CommunityId], removed.CommunityIds);
        Assert.Same(removed, OrganisationRules.WithoutCommunity(removed, Given.OtherCommunityId));
        Assert.Equal((FailureKind.Conflict, "lastCommunity"), (OrganisationRules.CheckRemovedCommunity(removed, Given.CommunityId, [])?.Kind, OrganisationRules.CheckRemovedCommunity(removed, Given.CommunityId, [])?.Code));
    }

    [Fact]
    public void A_volunteer_takes_only_themselves_out_and_staff_and_admins_are_left_to_their_scope()
    {
        var member = new Actor("wang.fang", AccountRole.Volunteer, Given.CommunityId);

        Assert.Null(OrganisationRules.CheckRemover(member, "wang.fang"));
        Assert.Equal(
            new Failure(FailureKind.Forbidden, "outOfScope", "Volunteers may only take themselves out of an organisation."),
            OrganisationRules.CheckRemover(member, "li.lei"));
        Assert.Null(OrganisationRules.CheckRemover(new Actor("town.zhao", AccountRole.Staff, "t"), "li.lei"));
        Assert.Null(OrganisationRules.CheckRemover(new Actor("admin", AccountRole.Admin), "li.lei"));
    }
}
