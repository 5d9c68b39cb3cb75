using Dispatch.Common;

namespace Dispatch.Organisations;

/// <summary>An organisation, keyed by <see cref="GrainKeys.Organisation"/>: its communities and its member volunteers.</summary>
public interface IOrganisationGrain : IGrainWithStringKey
{
    Task<Outcome<OrganisationView>> Create(NewOrganisation organisation, Actor actor);

    /// <summary>The organisation, or null when it was never created.</summary>
    Task<OrganisationView?> Get();

    /// <summary>Links a volunteer account (registered with one of the organisation's communities); idempotent.</summary>
    Task<Outcome<OrganisationView>> AddMember(string username, Actor actor);

    /// <summary>Unlinks a member; idempotent. A volunteer takes only themselves out (<see cref="OrganisationRules.CheckRemover"/>).</summary>
    Task<Outcome<OrganisationView>> RemoveMember(string username, Actor actor);

    /// <summary>The organisation reports in to one more community (the caller checked it exists); idempotent.</summary>
    Task<Outcome<OrganisationView>> AddCommunity(string communityId, Actor actor);

    /// <summary>The organisation no longer reports in to a community: refused for its last one, and while members are registered there; idempotent.</summary>
    Task<Outcome<OrganisationView>> RemoveCommunity(string communityId, Actor actor);

    /// <summary>
    /// Records an account that speaks for the organisation: a unit's contact (role unit, placed at
    /// it) or a department's account (role department, bound to it). Notices for the organisation
    /// reach them. Idempotent; kept apart from <see cref="OrganisationView"/>.
    /// </summary>
    Task AddContact(string username);

    /// <summary>Takes an account off the organisation's contacts (moved elsewhere); idempotent.</summary>
    Task RemoveContact(string username);

    /// <summary>The accounts that speak for the organisation, in the order they were added.</summary>
    Task<System.Collections.Immutable.ImmutableArray<string>> GetContacts();
}
