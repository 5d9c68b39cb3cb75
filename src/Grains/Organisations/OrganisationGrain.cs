using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Volunteers;
using Microsoft.Extensions.Logging;

namespace Dispatch.Organisations;

/// <summary>
/// One co-building unit: its communities and its member volunteers. The web host checks the
/// caller's scope and that the communities exist; this grain keeps the organisation's own rules
/// (<see cref="OrganisationRules"/>), including that a member is a volunteer of one of its communities
/// and that a volunteer takes only themselves out.
/// </summary>
public sealed partial class OrganisationGrain(
    [PersistentState("organisation", StorageNames.Dispatch)] IPersistentState<OrganisationGrain.State> state,
    TimeProvider time,
    ILogger<OrganisationGrain> logger) : Grain, IOrganisationGrain
{
    private string OrganisationId => GrainKeys.IdOf(this.GetPrimaryKeyString(), GrainKeys.OrganisationPrefix);

    public async Task<Outcome<OrganisationView>> Create(NewOrganisation organisation, Actor actor)
    {
        if (state.State.Organisation is { } existing)
        {
            if (!OrganisationRules.IsRetryOf(existing, organisation, actor.Username))
            {
                return Failure.Conflict("alreadyExists", $"Organisation '{existing.Id}' already exists.");
            }

            // A retry may follow a first attempt that stored the organisation but failed to tell
            // every community: telling them again is idempotent and completes the creation.
            await RegisterWithCommunities(existing);
            return existing;
        }

        if (OrganisationRules.Validate(organisation) is { } invalid)
        {
            return invalid;
        }

        if (!string.Equals(organisation.Id, OrganisationId, StringComparison.Ordinal))
        {
            return Failure.Invalid("id", $"'id' must be '{OrganisationId}', the organisation this was sent to.");
        }

        var created = OrganisationRules.Create(organisation, actor.Username, time.GetUtcNow());
        await Store(created);
        LogCreated(created.Id, actor.Username, created.CommunityIds.Length);

        // Only once stored: a community never counts an organisation that does not exist. If this
        // fails the caller sees an error and a retry (same creator, same content) finishes it.
        await RegisterWithCommunities(created);
        return created;
    }

    public Task<OrganisationView?> Get() => Task.FromResult(state.State.Organisation);

    public async Task<Outcome<OrganisationView>> AddMember(string username, Actor actor)
    {
        if (state.State.Organisation is not { } organisation)
        {
            return Failure.NotFound("Organisation", OrganisationId);
        }

        if (!Identifiers.IsValidUsername(username))
        {
            return Failure.Invalid("username", $"'{username}' is not a valid username.");
        }

        if (organisation.HasMember(username))
        {
            return organisation;
        }

        var volunteer = await GrainFactory.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username)).Get();
        if (OrganisationRules.CheckNewMember(organisation, username, volunteer) is { } refused)
        {
            return refused;
        }

        var updated = OrganisationRules.WithMember(organisation, username);
        await Store(updated);
        LogMemberAdded(organisation.Id, username, actor.Username);
        return updated;
    }

    public async Task<Outcome<OrganisationView>> RemoveMember(string username, Actor actor)
    {
        if (OrganisationRules.CheckRemover(actor, username) is { } refused)
        {
            return refused;
        }

        if (state.State.Organisation is not { } organisation)
        {
            return Failure.NotFound("Organisation", OrganisationId);
        }

        if (!organisation.HasMember(username))
        {
            return organisation;
        }

        var updated = OrganisationRules.WithoutMember(organisation, username);
        await Store(updated);
        LogMemberRemoved(organisation.Id, username, actor.Username);
        return updated;
    }

    public async Task<Outcome<OrganisationView>> AddCommunity(string communityId, Actor actor)
    {
        if (state.State.Organisation is not { } organisation)
        {
            return Failure.NotFound("Organisation", OrganisationId);
        }

        if (OrganisationRules.CheckNewCommunity(organisation, communityId) is { } refused)
        {
            return refused;
        }

        var updated = OrganisationRules.WithCommunity(organisation, communityId);
        if (!ReferenceEquals(updated, organisation))
        {
            await Store(updated);
            LogCommunityAdded(organisation.Id, communityId, actor.Username);
        }

        // Told again on a retry: registering is idempotent.
        await GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId)).RegisterOrganisation(organisation.Id);
        return updated;
    }

    public async Task<Outcome<OrganisationView>> RemoveCommunity(string communityId, Actor actor)
    {
        if (state.State.Organisation is not { } organisation)
        {
            return Failure.NotFound("Organisation", OrganisationId);
        }

        var members = await Task.WhenAll(organisation.Members.Select(m => GrainFactory.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(m)).Get()));
        if (OrganisationRules.CheckRemovedCommunity(organisation, communityId, members.OfType<VolunteerView>().Select(v => v.CommunityId)) is { } refused)
        {
            return refused;
        }

        var updated = OrganisationRules.WithoutCommunity(organisation, communityId);
        if (!ReferenceEquals(updated, organisation))
        {
            await Store(updated);
            LogCommunityRemoved(organisation.Id, communityId, actor.Username);
        }

        await GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId)).UnregisterOrganisation(organisation.Id);
        return updated;
    }

    public async Task AddContact(string username)
    {
        if (state.State.Contacts.Contains(username, StringComparer.Ordinal))
        {
            return;
        }

        var previous = state.State.Contacts;
        state.State.Contacts = previous.Add(username);
        await state.WriteOrReloadAsync(this, _ => state.State.Contacts = previous);
    }

    public async Task RemoveContact(string username)
    {
        if (!state.State.Contacts.Contains(username, StringComparer.Ordinal))
        {
            return;
        }

        var previous = state.State.Contacts;
        state.State.Contacts = previous.Remove(username);
        await state.WriteOrReloadAsync(this, _ => state.State.Contacts = previous);
    }

    public Task<ImmutableArray<string>> GetContacts() => Task.FromResult(state.State.Contacts);

    /// <summary>
    /// Stores <paramref name="next"/>. If the write fails, the previous value is put back and the
    /// activation dropped, so the next call reloads what is really stored.
    /// </summary>
    private Task Store(OrganisationView next)
    {
        var previous = state.State.Organisation;
        state.State.Organisation = next;
        return state.WriteOrReloadAsync(this, _ => state.State.Organisation = previous);
    }

    private Task RegisterWithCommunities(OrganisationView organisation) =>
        Task.WhenAll(organisation.CommunityIds.Select(id =>
            GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(id)).RegisterOrganisation(organisation.Id)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Organisation {Organisation} created by {Actor}, reporting to {Count} communities")]
    private partial void LogCreated(string organisation, string actor, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Organisation {Organisation}: {Actor} added member {Member}")]
    private partial void LogMemberAdded(string organisation, string member, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Organisation {Organisation}: {Actor} removed member {Member}")]
    private partial void LogMemberRemoved(string organisation, string member, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Organisation {Organisation}: {Actor} added community {Community}")]
    private partial void LogCommunityAdded(string organisation, string community, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Organisation {Organisation}: {Actor} removed community {Community}")]
    private partial void LogCommunityRemoved(string organisation, string community, string actor);

    [GenerateSerializer, Alias("Dispatch.OrganisationGrain.State")]
    public sealed class State
    {
        [Id(0)] public OrganisationView? Organisation { get; set; }

        /// <summary>The unit contacts or department accounts that notices for the organisation reach.</summary>
        [Id(1)] public ImmutableArray<string> Contacts { get; set; } = [];
    }
}
