using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Volunteers;

namespace Dispatch.Organisations;

/// <summary>What an organisation must be, and who may become its member: plain rules, shared by the grain and the web host.</summary>
public static class OrganisationRules
{
    public const int MaxName = 100;
    public const int MaxCommunities = 50;
    public const int MaxMembers = 500;

    /// <summary>
    /// The organisation an account speaks for, whose notices reach it: a unit's contact is placed at
    /// its unit, a department's account is bound to its department; null for every other account.
    /// </summary>
    public static string? ContactOf(Accounts.AccountView account) => account.Role switch
    {
        AccountRole.Unit => account.PlaceId,
        AccountRole.Department => account.DepartmentId,
        _ => null,
    };

    /// <summary>Every problem with a new organisation's own fields, keyed by JSON name (whether its communities exist is not checked here).</summary>
    public static ValidationErrors Check(NewOrganisation organisation)
    {
        var communityIds = organisation.CommunityIds.IsDefault ? [] : organisation.CommunityIds;
        var errors = new ValidationErrors()
            .Require(Identifiers.IsValidPlaceId(organisation.Id), "id", "'id' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
            .RequireText(organisation.Name, "name", MaxName)
            .Require(communityIds.Length is >= 1 and <= MaxCommunities, "communityIds", $"'communityIds' must list 1 to {MaxCommunities} communities.");

        var malformed = communityIds.Where(id => !Identifiers.IsValidPlaceId(id)).ToList();
        if (malformed.Count > 0)
        {
            errors.Add("communityIds", $"Not a valid community id: {string.Join(", ", malformed.Select(Quote))}.");
        }

        var repeated = communityIds.Where(Identifiers.IsValidPlaceId)
            .GroupBy(id => id, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();
        if (repeated.Count > 0)
        {
            errors.Add("communityIds", $"Listed more than once: {string.Join(", ", repeated.Select(Quote))}.");
        }

        return errors;
    }

    /// <summary>The first problem of <see cref="Check"/> as a failure, or null when the organisation is valid.</summary>
    public static Failure? Validate(NewOrganisation organisation)
    {
        var errors = Check(organisation).ToDictionary();
        return errors.Count == 0 ? null : Failure.Invalid(errors.First().Key, errors.First().Value[0]);
    }

    /// <summary>The organisation as it is stored: the name trimmed, the communities in the order given.</summary>
    public static OrganisationView Create(NewOrganisation organisation, string createdBy, DateTimeOffset now) =>
        new(organisation.Id, organisation.Name.Trim(), organisation.CommunityIds, [], createdBy, now, organisation.Kind);

    /// <summary>
    /// True when <paramref name="organisation"/> asks again, by the same creator, for what <paramref name="existing"/>
    /// already is: a retried create, answered with the organisation rather than a conflict. The order of the
    /// communities does not matter.
    /// </summary>
    public static bool IsRetryOf(OrganisationView existing, NewOrganisation organisation, string createdBy) =>
        string.Equals(existing.CreatedBy, createdBy, StringComparison.Ordinal)
        && string.Equals(existing.Id, organisation.Id, StringComparison.Ordinal)
        && existing.Kind == organisation.Kind
        && string.Equals(existing.Name, organisation.Name?.Trim(), StringComparison.Ordinal)
        && !organisation.CommunityIds.IsDefault
        && existing.CommunityIds.Length == organisation.CommunityIds.Length
        && existing.CommunityIds.ToHashSet(StringComparer.Ordinal).SetEquals(organisation.CommunityIds);

    /// <summary>
    /// Null when <paramref name="username"/> may join <paramref name="organisation"/>: a registered volunteer
    /// (<paramref name="volunteer"/>, null when there is none) of one of its communities, with room left.
    /// An existing member always may (joining again changes nothing).
    /// </summary>
    public static Failure? CheckNewMember(OrganisationView organisation, string username, VolunteerView? volunteer)
    {
        if (volunteer is null)
        {
            return Failure.Invalid("username", $"'{username}' is not a registered volunteer.");
        }

        if (!organisation.ReportsTo(volunteer.CommunityId))
        {
            return Failure.Invalid(
                "username",
                $"Volunteer '{username}' is registered with community '{volunteer.CommunityId}', which organisation '{organisation.Id}' does not report to.");
        }

        if (!organisation.HasMember(username) && organisation.Members.Length >= MaxMembers)
        {
            return Failure.Conflict("memberLimit", $"Organisation '{organisation.Id}' already has {MaxMembers} members, the most allowed.");
        }

        return null;
    }

    /// <summary>The organisation with <paramref name="username"/> as its newest member; the same instance when already one.</summary>
    public static OrganisationView WithMember(OrganisationView organisation, string username) =>
        organisation.HasMember(username) ? organisation : organisation with { Members = organisation.Members.Add(username) };

    /// <summary>
    /// Null when <paramref name="actor"/> may take <paramref name="username"/> out of an organisation
    /// as far as the actor's role goes: a volunteer only themselves (403 <c>outOfScope</c>, asked before
    /// anything is looked up, so that a volunteer learns nothing about which other usernames exist).
    /// Staff and admins are held to their scope by the door (<c>ScopeGuard.MemberToRemove</c>).
    /// </summary>
    public static Failure? CheckRemover(Actor actor, string username) =>
        actor.Role == AccountRole.Volunteer && !string.Equals(actor.Username, username, StringComparison.Ordinal)
            ? Scope.Refuse("Volunteers may only take themselves out of an organisation.")
            : null;

    /// <summary>The organisation without <paramref name="username"/>; the same instance when not a member.</summary>
    public static OrganisationView WithoutMember(OrganisationView organisation, string username) =>
        organisation.HasMember(username)
            ? organisation with { Members = organisation.Members.RemoveAll(m => string.Equals(m, username, StringComparison.Ordinal)) }
            : organisation;

    /// <summary>Null when <paramref name="organisation"/> may report in to <paramref name="communityId"/> too (already doing so included).</summary>
    public static Failure? CheckNewCommunity(OrganisationView organisation, string communityId)
    {
        if (!Identifiers.IsValidPlaceId(communityId))
        {
            return Failure.Invalid("communityId", $"'{communityId}' is not a valid community id.");
        }

        return !organisation.ReportsTo(communityId) && organisation.CommunityIds.Length >= MaxCommunities
            ? Failure.Conflict("communityLimit", $"Organisation '{organisation.Id}' already reports to {MaxCommunities} communities, the most allowed.")
            : null;
    }

    /// <summary>
    /// Null when <paramref name="organisation"/> may stop reporting in to <paramref name="communityId"/>:
    /// not its last community, and none of its members (their <paramref name="memberCommunities"/>) registered there.
    /// </summary>
    public static Failure? CheckRemovedCommunity(OrganisationView organisation, string communityId, IEnumerable<string> memberCommunities)
    {
        ArgumentNullException.ThrowIfNull(memberCommunities);
        if (!organisation.ReportsTo(communityId))
        {
            return null;
        }

        if (organisation.CommunityIds.Length == 1)
        {
            return Failure.Conflict("lastCommunity", $"Community '{communityId}' is the only one organisation '{organisation.Id}' reports to.");
        }

        return memberCommunities.Contains(communityId, StringComparer.Ordinal)
            ? Failure.Conflict("communityHasMembers", $"Members of organisation '{organisation.Id}' are registered with community '{communityId}': remove them first.")
            : null;
    }

    /// <summary>The organisation reporting in to <paramref name="communityId"/> too; the same instance when it already does.</summary>
    public static OrganisationView WithCommunity(OrganisationView organisation, string communityId) =>
        organisation.ReportsTo(communityId) ? organisation : organisation with { CommunityIds = organisation.CommunityIds.Add(communityId) };

    /// <summary>The organisation no longer reporting in to <paramref name="communityId"/>; the same instance when it did not.</summary>
    public static OrganisationView WithoutCommunity(OrganisationView organisation, string communityId) =>
        organisation.ReportsTo(communityId)
            ? organisation with { CommunityIds = organisation.CommunityIds.RemoveAll(c => string.Equals(c, communityId, StringComparison.Ordinal)) }
            : organisation;

    private static string Quote(string? id) => $"'{id}'";
}
