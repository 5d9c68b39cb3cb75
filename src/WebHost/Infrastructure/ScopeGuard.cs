using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Honours;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.Shop;
using Dispatch.Suggestions;
using Dispatch.Volunteers;
using Dispatch.WebHost.Requests;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>A request and how much of it the caller may see.</summary>
public sealed record ScopedRequest(RequestView View, RequestAccess Access);

/// <summary>A suggestion and how the caller stands to it.</summary>
public sealed record ScopedSuggestion(SuggestionView View, SuggestionAccess Access);

/// <summary>
/// "Find X the caller may act on, or the failure", once per kind of resource, for every door. The
/// rule itself is <see cref="Scope"/>; this type only finds the place a resource belongs to. The
/// failures are the existing ones: 404 <c>notFound</c> when X does not exist, then 403
/// <c>outOfScope</c>.
/// </summary>
public sealed class ScopeGuard(IGrainFactory grains, PlaceLookup places)
{
    public PlaceLookup Places => places;

    /// <summary>A place the caller covers (<see cref="Scope.Covers"/>).</summary>
    public async ValueTask<Outcome<PlaceInfo>> Place(Caller caller, string id, string? refusal = null) =>
        await places.Find(id) is not { } place ? Failure.NotFound("Place", id)
        : Scope.Covers(caller, place) ? place
        : Refusal(refusal, "Place", id);

    /// <summary>A place whose shop or leaderboard the caller may look at (<see cref="Scope.Browses"/>).</summary>
    public async ValueTask<Outcome<PlaceInfo>> BrowsedPlace(Caller caller, string id, string? refusal = null) =>
        await places.Find(id) is not { } place ? Failure.NotFound("Place", id)
        : await Browses(caller, place) ? place
        : Refusal(refusal, "Place", id);

    /// <summary>A place the caller may watch (<see cref="Scope.Watches"/>); <paramref name="communityOnly"/> makes anything else not found.</summary>
    public async ValueTask<Outcome<PlaceInfo>> WatchedPlace(Caller caller, string id, bool communityOnly = false)
    {
        var what = communityOnly ? "Community" : "Place";
        return await places.Find(id) is not { } place || (communityOnly && place.Kind != PlaceKind.Community) ? Failure.NotFound(what, id)
            : Scope.Watches(caller, place) ? place
            : Scope.Outside(what, id);
    }

    /// <summary>A community the caller covers, to publish or organise in: 400 naming <paramref name="field"/> when it is none, then 403.</summary>
    public async ValueTask<Outcome<PlaceInfo>> Community(Caller caller, string id, string field = "communityId") =>
        await places.Find(id) is not { Kind: PlaceKind.Community } community ? Failure.Invalid(field, $"'{id}' is not a community.")
        : Scope.Covers(caller, community) ? community
        : Scope.Outside("Community", id);

    /// <summary>
    /// Communities the caller covers, every one of them: 400 naming <paramref name="field"/> with
    /// those that are not communities, then 403 for the first outside the caller's scope.
    /// </summary>
    public async ValueTask<Outcome<IReadOnlyList<PlaceInfo>>> Communities(Caller caller, IEnumerable<string> ids, string field = "communityIds")
    {
        var found = new List<PlaceInfo>();
        var notCommunities = new List<string>();
        foreach (var id in ids)
        {
            if (await places.Find(id) is { Kind: PlaceKind.Community } community)
            {
                found.Add(community);
            }
            else
            {
                notCommunities.Add($"'{id}'");
            }
        }

        return notCommunities.Count > 0 ? Failure.Invalid(field, $"Not a community: {string.Join(", ", notCommunities)}.")
            : found.FirstOrDefault(c => !Scope.Covers(caller, c)) is { } outside ? Scope.Outside("Community", outside.Id)
            : found;
    }

    /// <summary>
    /// The place an account of <paramref name="role"/> is registered at, if the caller may register
    /// it there: admins anyone anywhere; staff volunteers in their scope. A volunteer's place is a community.
    /// </summary>
    public async ValueTask<Outcome<PlaceInfo>> RegistrationPlace(Caller caller, string placeId, AccountRole role)
    {
        if (await places.Find(placeId) is not { } place)
        {
            return Failure.Invalid("placeId", $"Place '{placeId}' does not exist.");
        }

        if (role == AccountRole.Volunteer && place.Kind != PlaceKind.Community)
        {
            return Failure.Invalid("placeId", "A volunteer registers with a community.");
        }

        return caller.IsAdmin ? place
            : role != AccountRole.Volunteer ? Failure.Forbidden("roleNotAllowed", "Staff may create volunteer accounts only.")
            : Scope.Covers(caller, place) ? place
            : Scope.Outside("Place", placeId);
    }

    /// <summary>
    /// The organisation a unit's contact account is placed at, if the caller may create it there:
    /// admins for any organisation, staff for one reporting in to a community in their scope.
    /// </summary>
    public async ValueTask<Outcome<OrganisationView>> UnitRegistration(Caller caller, string organisationId)
    {
        if (await FindOrganisation(organisationId) is not { } organisation)
        {
            return Failure.Invalid("placeId", $"Organisation '{organisationId}' does not exist: a unit account is placed at its organisation.");
        }

        return caller.IsAdmin || await CoversAny(caller, organisation.CommunityIds) ? organisation : Scope.Outside("Organisation", organisationId);
    }

    /// <summary>A certificate of service the caller may read: admins, and staff whose scope holds the community it was issued in.</summary>
    public async ValueTask<Outcome<Certificate>> CertificateOfService(Caller caller, string id) =>
        (CertificateKeys.IsId(id) ? await grains.GetGrain<ICertificateGrain>(CertificateKeys.For(id)).Get() : null) is not { } certificate
            ? Failure.NotFound("Certificate", id)
            : await Covers(caller, certificate.CommunityId) ? certificate
            : Scope.Outside("Certificate", id);

    /// <summary>True when an Open311 key for <paramref name="keyJurisdictionId"/> may file at <paramref name="place"/> (<see cref="Scope.KeyCovers"/>).</summary>
    public static bool KeyCovers(string keyJurisdictionId, PlaceInfo place) => Scope.KeyCovers(keyJurisdictionId, place);

    /// <summary>True when the caller covers the place with this id (false when there is none; admins always).</summary>
    public async ValueTask<bool> Covers(Caller caller, string placeId) =>
        caller.IsAdmin || (await places.Find(placeId) is { } place && Scope.Covers(caller, place));

    /// <summary>
    /// A request the caller may see, with what they may see of it: staff in scope and admins all,
    /// current claimants the contact, volunteers of its community (or offered it) the rest.
    /// </summary>
    public async ValueTask<Outcome<ScopedRequest>> Request(Caller caller, Guid id)
    {
        if (await grains.GetGrain<IRequestGrain>(id).Get() is not { } request)
        {
            return Failure.NotFound("Request", id.ToString());
        }

        var access = await AccessTo(caller, request);
        return access == RequestAccess.None ? Scope.Outside("Request", id.ToString()) : new ScopedRequest(request, access);
    }

    /// <summary>How much of the request the caller may see (<see cref="RequestAccess"/>).</summary>
    public async ValueTask<RequestAccess> AccessTo(Caller caller, RequestView request)
    {
        switch (caller.Role)
        {
            case AccountRole.Admin:
                return RequestAccess.Staff;
            case AccountRole.Staff:
                return await Covers(caller, request.CommunityId) ? RequestAccess.Staff : RequestAccess.None;
            case AccountRole.Unit:
                return RequestAccess.None;
            default:
                // Claimants stay on record once the work is verified or cancelled, but no longer hold a claim.
                if (request.Claimants.Contains(caller.Username, StringComparer.Ordinal))
                {
                    return request.Status.IsFinal() ? RequestAccess.PastClaimant : RequestAccess.Claimant;
                }

                // An offer may come from a town-wide dispatch, outside the volunteer's own community.
                return request.CommunityId == caller.PlaceId || request.Offer?.Volunteer == caller.Username
                    ? RequestAccess.Public
                    : RequestAccess.None;
        }
    }

    /// <summary>A volunteer the caller may see: themselves (when <paramref name="allowSelf"/>), staff in scope, admins.</summary>
    public async ValueTask<Outcome<VolunteerView>> Volunteer(Caller caller, string username, bool allowSelf = true)
    {
        username = Identifiers.NormalizeUsername(username);
        var volunteer = Identifiers.IsValidUsername(username)
            ? await grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username)).Get()
            : null;
        if (volunteer is null)
        {
            return Failure.NotFound("Volunteer", username);
        }

        var allowed = (allowSelf && caller.Username == volunteer.Username)
            || (!caller.IsVolunteer && await Covers(caller, volunteer.CommunityId));
        return allowed ? volunteer : Scope.Outside("Volunteer", username);
    }

    /// <summary>An account the caller may see: its holder, admins, staff whose scope holds its place.</summary>
    public async ValueTask<Outcome<AccountView>> Account(Caller caller, string username)
    {
        username = Identifiers.NormalizeUsername(username);

        // Volunteers see only themselves, and learn nothing about which other usernames exist.
        if (caller.IsVolunteer && username != caller.Username)
        {
            return Scope.Refuse("Volunteers may see their own account only.");
        }

        var account = Identifiers.IsValidUsername(username)
            ? await grains.GetGrain<IAccountGrain>(GrainKeys.Account(username)).Get()
            : null;
        if (account is null)
        {
            return Failure.NotFound("Account", username);
        }

        var allowed = account.Username == caller.Username || (!caller.IsVolunteer && await Covers(caller, account.PlaceId));
        return allowed ? account : Scope.Outside("Account", username);
    }

    /// <summary>
    /// A volunteer the caller may move to another community, and that community: a volunteer
    /// account the caller manages (<see cref="ManagedAccount"/>) and a community the caller may
    /// register volunteers with (<see cref="RegistrationPlace"/>), so staff move within their scope.
    /// </summary>
    public async ValueTask<Outcome<VolunteerMove>> VolunteerMove(Caller caller, string username, string communityId)
    {
        var managed = await ManagedAccount(caller, username);
        if (managed.Value is not { } account)
        {
            return managed.Failure!;
        }

        if (account.Role != AccountRole.Volunteer)
        {
            return Failure.Forbidden("roleNotAllowed", "Only a volunteer is moved to another community.");
        }

        var community = await RegistrationPlace(caller, communityId, AccountRole.Volunteer);
        return community.Value is { } place
            ? new VolunteerMove(account, place)
            : community.Failure! with { Field = community.Failure!.Field is null ? null : "communityId" };
    }

    /// <summary>
    /// An account the caller manages: admins anyone but themselves (so that the last admin cannot
    /// lock everyone out); staff volunteers placed in their scope and the contacts of units they see.
    /// </summary>
    public async ValueTask<Outcome<AccountView>> ManagedAccount(Caller caller, string username)
    {
        username = Identifiers.NormalizeUsername(username);
        if (caller.IsVolunteer)
        {
            return Failure.Forbidden("roleNotAllowed", "Volunteers manage their own account only.");
        }

        if (username == caller.Username)
        {
            return Failure.Forbidden("ownAccount", "You cannot do this to your own account.");
        }

        var account = Identifiers.IsValidUsername(username)
            ? await grains.GetGrain<IAccountGrain>(GrainKeys.Account(username)).Get()
            : null;
        if (account is null)
        {
            return Failure.NotFound("Account", username);
        }

        if (caller.IsAdmin)
        {
            return account;
        }

        // A unit's contact is managed by the staff who see its organisation.
        if (account.Role == AccountRole.Unit)
        {
            return await FindOrganisation(account.PlaceId) is { } unit && await CoversAny(caller, unit.CommunityIds)
                ? account
                : Scope.Outside("Account", username);
        }

        if (account.Role != AccountRole.Volunteer)
        {
            return Failure.Forbidden("roleNotAllowed", "Staff manage volunteer and unit accounts only.");
        }

        return await Covers(caller, account.PlaceId) ? account : Scope.Outside("Account", username);
    }

    /// <summary>
    /// An organisation the caller may see: admins; staff whose scope holds one of its communities;
    /// its own contact (a <c>unit</c> account); volunteers who are members or are registered with one of its communities.
    /// </summary>
    public async ValueTask<Outcome<OrganisationView>> Organisation(Caller caller, string id)
    {
        if (await FindOrganisation(id) is not { } organisation)
        {
            return Failure.NotFound("Organisation", id);
        }

        return await Sees(caller, organisation) ? organisation : Scope.Outside("Organisation", id);
    }

    /// <summary>
    /// The organisation to take <paramref name="username"/> out of, if the caller may: a volunteer
    /// only themselves (<see cref="OrganisationRules.CheckRemover"/>, asked before anything is looked
    /// up); then 404 when the organisation does not exist; a member leaves an organisation they may
    /// see (<see cref="Organisation"/>); staff and admins act on volunteers they may see (<see cref="Volunteer"/>).
    /// </summary>
    public async ValueTask<Outcome<OrganisationView>> MemberToRemove(Caller caller, string organisationId, string username)
    {
        if (OrganisationRules.CheckRemover(caller.Actor, username) is { } refused)
        {
            return refused;
        }

        if (await FindOrganisation(organisationId) is not { } organisation)
        {
            return Failure.NotFound("Organisation", organisationId);
        }

        if (username == caller.Username)
        {
            return await Sees(caller, organisation) ? organisation : Scope.Outside("Organisation", organisationId);
        }

        var volunteer = await Volunteer(caller, username, allowSelf: false);
        return volunteer.Failure is { } outside ? outside : organisation;
    }

    /// <summary>The organisation, or null when it does not exist (an id no organisation can have included).</summary>
    public async ValueTask<OrganisationView?> FindOrganisation(string id) =>
        Identifiers.IsValidPlaceId(id) ? await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)).Get() : null;

    /// <summary>
    /// A shop item. <paramref name="browse"/>: the caller may look at its shop (<see cref="Scope.Browses"/>);
    /// otherwise staff must cover its place and volunteers pass (the grain decides whether they are the buyer).
    /// </summary>
    public async ValueTask<Outcome<ShopItemView>> ShopItem(Caller caller, Guid id, bool browse, string? refusal = null)
    {
        if (await grains.GetGrain<IShopItemGrain>(id).Get() is not { } item)
        {
            return Failure.NotFound("Shop item", id.ToString());
        }

        var allowed = browse
            ? await places.Find(item.PlaceId) is { } place && await Browses(caller, place)
            : caller.IsVolunteer || await Covers(caller, item.PlaceId);
        return allowed ? item : Refusal(refusal, "Shop item", id.ToString());
    }

    /// <summary>
    /// A suggestion and how the caller stands to it (<see cref="SuggestionScope"/>): 404 when it does
    /// not exist, 403 when the caller is none of its author, its department, staff in scope, an admin.
    /// </summary>
    public async ValueTask<Outcome<ScopedSuggestion>> Suggestion(Caller caller, string id)
    {
        if (!SuggestionRules.IsValidId(id) || await grains.GetGrain<ISuggestionGrain>(SuggestionKeys.Suggestion(id)).Get() is not { } suggestion)
        {
            return Failure.NotFound("Suggestion", id);
        }

        var access = SuggestionScope.Of(caller, suggestion, await DepartmentOf(caller));
        return access == SuggestionAccess.None ? Scope.Outside("Suggestion", id) : new ScopedSuggestion(suggestion, access);
    }

    /// <summary>A suggestion the caller may hand over (admins, staff whose scope holds its place): 404, then 403.</summary>
    public async ValueTask<Outcome<SuggestionView>> SuggestionToHandOver(Caller caller, string id)
    {
        var found = await Suggestion(caller, id);
        if (found.Value is not { } scoped)
        {
            return found.Failure!;
        }

        return scoped.Access == SuggestionAccess.Staff ? scoped.View : Scope.Outside("Suggestion", id);
    }

    /// <summary>
    /// A department (an organisation of kind department) whose queue the caller may read: 404 when
    /// there is none, then 403. Staff read it when their scope holds one of its communities (and see
    /// only the suggestions in their scope).
    /// </summary>
    public async ValueTask<Outcome<OrganisationView>> Department(Caller caller, string id)
    {
        if (await FindOrganisation(id) is not { Kind: OrganisationKind.Department } department)
        {
            return Failure.NotFound("Department", id);
        }

        var allowed = caller.Role == AccountRole.Staff
            ? await CoversAny(caller, department.CommunityIds)
            : SuggestionScope.ReadsQueueOf(caller, id, await DepartmentOf(caller));
        return allowed ? department : Scope.Outside("Department", id);
    }

    /// <summary>The department a department account answers for (null for every other role).</summary>
    public async ValueTask<string?> DepartmentOf(Caller caller) =>
        caller.Role == AccountRole.Department
            ? (await grains.GetGrain<IAccountGrain>(GrainKeys.Account(caller.Username)).Get())?.DepartmentId
            : null;

    /// <summary>Admins; staff whose scope holds one of its communities; its own contact; volunteers who are members or registered with one of its communities.</summary>
    private async ValueTask<bool> Sees(Caller caller, OrganisationView organisation) => caller.Role switch
    {
        AccountRole.Admin => true,
        AccountRole.Staff => await CoversAny(caller, organisation.CommunityIds),
        AccountRole.Unit => organisation.Id == caller.PlaceId,
        _ => organisation.HasMember(caller.Username) || organisation.ReportsTo(caller.PlaceId),
    };

    private async ValueTask<bool> Browses(Caller caller, PlaceInfo place) =>
        Scope.Browses(caller, place, caller.IsVolunteer ? await places.Find(caller.PlaceId) : null);

    private async ValueTask<bool> CoversAny(Caller caller, IEnumerable<string> placeIds)
    {
        foreach (var placeId in placeIds)
        {
            if (await Covers(caller, placeId))
            {
                return true;
            }
        }

        return false;
    }

    private static Failure Refusal(string? detail, string what, string id) =>
        detail is null ? Scope.Outside(what, id) : Scope.Refuse(detail);
}

/// <summary>A volunteer to move and the community they move to.</summary>
public sealed record VolunteerMove(AccountView Account, PlaceInfo Community);
