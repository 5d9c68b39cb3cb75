using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Volunteers;

namespace Dispatch.WebHost.Api;

/// <summary>Makes a volunteer account known to its volunteer grain and its community. Idempotent.</summary>
public sealed class AccountRegistration(IGrainFactory grains)
{
    public async Task EnsureRegistered(AccountView account)
    {
        if (account.Role != AccountRole.Volunteer)
        {
            return;
        }

        await grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(account.Username))
            .Register(new VolunteerProfile(account.Username, account.DisplayName, account.PlaceId, account.Skills));
        await grains.GetGrain<ICommunityGrain>(GrainKeys.Community(account.PlaceId)).RegisterVolunteer(account.Username);
    }
}
