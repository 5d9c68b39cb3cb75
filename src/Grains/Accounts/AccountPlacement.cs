using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.Volunteers;

namespace Dispatch.Accounts;

/// <summary>
/// Where an account is registered follows the account (the use case behind disabling, enabling and
/// moving): a volunteer is on their community's list (which is the candidate pool of dispatch) and
/// holds claims and offers; a staff member is on their place's staff list (whose members become
/// supervisors of requests that climb there), and staff and admins on its accounts list (the desk's
/// accounts page). Every step is idempotent, so running it again
/// finishes what a failure left.
/// </summary>
public sealed class AccountPlacement(IGrainFactory grains)
{
    /// <summary>
    /// The account leaves where it was registered: a volunteer goes off the community's list first
    /// (so no new offer reaches them), then every claim of theirs is released and every offer to
    /// them withdrawn, with a history entry by <paramref name="by"/> saying <paramref name="why"/>;
    /// a staff member goes off the place's staff list. A volunteer <paramref name="disabled"/> stays on
    /// record with the community as disabled, so that staff find them to enable again.
    /// </summary>
    public async Task Leave(AccountView account, string by, string why, bool disabled = false)
    {
        switch (account.Role)
        {
            case AccountRole.Volunteer:
                var community = grains.GetGrain<ICommunityGrain>(GrainKeys.Community(account.PlaceId));
                await (disabled ? community.DisableVolunteer(account.Username) : community.UnregisterVolunteer(account.Username));
                if (await grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(account.Username)).Get() is { } volunteer)
                {
                    foreach (var requestId in volunteer.ActiveClaims.Concat(volunteer.PendingOffers).Distinct())
                    {
                        await grains.GetGrain<IRequestGrain>(requestId).WithdrawVolunteer(account.Username, by, why);
                    }
                }

                break;
            case AccountRole.Staff:
                await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(account.PlaceId)).RemoveStaff(account.Username);
                break;
            case AccountRole.Unit or AccountRole.Department when OrganisationRules.ContactOf(account) is { } organisation:
                await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(organisation)).RemoveContact(account.Username);
                break;
        }

        // A disabled staff member or admin stays among the place's accounts, to be found and enabled again.
        if (account.Role is AccountRole.Staff or AccountRole.Admin && !disabled)
        {
            await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(account.PlaceId)).RemoveAccount(account.Username);
        }
    }

    /// <summary>The account is registered where it now is: a volunteer with their grain and community's list, staff on their place's list.</summary>
    public async Task Join(AccountView account)
    {
        switch (account.Role)
        {
            case AccountRole.Volunteer:
                await grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(account.Username))
                    .Register(new VolunteerProfile(account.Username, account.DisplayName, account.PlaceId, account.Skills));
                await grains.GetGrain<ICommunityGrain>(GrainKeys.Community(account.PlaceId)).RegisterVolunteer(account.Username);
                break;
            case AccountRole.Staff:
                await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(account.PlaceId)).AddStaff(account.Username);
                await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(account.PlaceId)).AddAccount(account.Username);
                break;
            case AccountRole.Admin:
                await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(account.PlaceId)).AddAccount(account.Username);
                break;
            case AccountRole.Unit or AccountRole.Department when OrganisationRules.ContactOf(account) is { } organisation:
                await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(organisation)).AddContact(account.Username);
                break;
        }
    }

    /// <summary>
    /// A disabled account moved: it leaves where it was and joins no list, but a staff member or
    /// admin is on the new place's accounts, to be found there and enabled again.
    /// </summary>
    public async Task MoveDisabled(AccountView before, AccountView after, string by)
    {
        await Leave(before, by, "the account was moved");
        if (after.Role is AccountRole.Staff or AccountRole.Admin)
        {
            await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(after.PlaceId)).AddAccount(after.Username);
        }
    }

    /// <summary>What a move from <paramref name="before"/> to <paramref name="after"/> changes: leave the old registration, join the new one.</summary>
    public async Task Move(AccountView before, AccountView after, string by)
    {
        await Leave(before, by, $"the account moved to {after.Role.ToString().ToLowerInvariant()} at '{after.PlaceId}'");
        await Join(after);
    }
}
