using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.Volunteers;

namespace Dispatch.WebHost.Accounts;

/// <summary>
/// Makes an account known where it matters: a volunteer to its volunteer grain and community, a
/// staff member to its place (for escalations), a unit's contact or a department's account to its
/// organisation (for its notices). Idempotent.
/// </summary>
public sealed class AccountRegistration(IGrainFactory grains)
{
    public async Task EnsureRegistered(AccountView account)
    {
        if (account.Role == AccountRole.Staff)
        {
            await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(account.PlaceId)).AddStaff(account.Username);
            await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(account.PlaceId)).AddAccount(account.Username);
            return;
        }

        if (account.Role == AccountRole.Admin)
        {
            await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(account.PlaceId)).AddAccount(account.Username);
            return;
        }

        // A unit's contact or a department's account: among its organisation's contacts, whom its notices reach.
        if (OrganisationRules.ContactOf(account) is { } organisation)
        {
            await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(organisation)).AddContact(account.Username);
            return;
        }

        if (account.Role != AccountRole.Volunteer)
        {
            return;
        }

        await grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(account.Username))
            .Register(new VolunteerProfile(account.Username, account.DisplayName, account.PlaceId, account.Skills));
        await grains.GetGrain<ICommunityGrain>(GrainKeys.Community(account.PlaceId)).RegisterVolunteer(account.Username);
    }
}
