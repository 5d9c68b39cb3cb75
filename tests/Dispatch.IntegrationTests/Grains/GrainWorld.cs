using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.Volunteers;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>Places, volunteers and requests made straight through the grains, for grain tests.</summary>
public static class GrainWorld
{
    public static readonly Actor Staff = new("staff", AccountRole.Staff);

    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..20];

    /// <summary>A region > county > town > community chain: ids "{community}-r", "-c", "-t" and the community.</summary>
    public static async Task CreateCommunity(this IGrainFactory grains, string community)
    {
        string? parent = null;
        foreach (var (kind, id) in new[] { (PlaceKind.Region, $"{community}-r"), (PlaceKind.County, $"{community}-c"), (PlaceKind.Town, $"{community}-t"), (PlaceKind.Community, community) })
        {
            await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(id)).Create(new NewPlace(id, id, kind, parent));
            parent = id;
        }
    }

    /// <summary>
    /// The request as its next turn sees it, after the fake clock moved. The clock's Advance hands a
    /// due timer's tick to the activation before it returns, and this read (not an interleaving
    /// call) queues behind that tick: "nothing happened yet" is then checked after the timer's turn.
    /// A reminder's tick is delivered asynchronously: no read orders behind it.
    /// </summary>
    public static async Task<RequestView> NextTurn(this IRequestGrain grain) => (await grain.Get())!;

    /// <summary>A community with <paramref name="count"/> registered volunteers, "{community}-v1" and on.</summary>
    public static async Task<string[]> CreateCommunityWithVolunteers(this IGrainFactory grains, string community, int count)
    {
        await grains.CreateCommunity(community);
        var usernames = Enumerable.Range(1, count).Select(i => $"{community}-v{i}").ToArray();
        foreach (var username in usernames)
        {
            await grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username)).Register(new VolunteerProfile(username, username, community, []));
            await grains.GetGrain<ICommunityGrain>(GrainKeys.Community(community)).RegisterVolunteer(username);
        }

        return usernames;
    }

    public static async Task<RequestView> CreateRequest(
        this IGrainFactory grains, string community, RequestKind kind, int places = 1, Urgency urgency = Urgency.Normal)
    {
        var outcome = await grains.GetGrain<IRequestGrain>(Guid.NewGuid()).Create(
            new NewRequest(community, kind, "Test request", null, ["help"], urgency, places, 5, new Beneficiary("B", "1", null)),
            Staff);
        return outcome.Value ?? throw new InvalidOperationException(outcome.Failure?.Detail);
    }

    /// <summary>An organisation that reports in to <paramref name="community"/>, with <paramref name="members"/>.</summary>
    public static async Task CreateOrganisation(this IGrainFactory grains, string id, string community, IEnumerable<string> members)
    {
        var organisation = grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id));
        Assert.True((await organisation.Create(new NewOrganisation(id, id, [community]), Staff)).Succeeded);
        foreach (var member in members)
        {
            Assert.True((await organisation.AddMember(member, Staff)).Succeeded);
        }
    }

    /// <summary>A staff account at <paramref name="placeId"/>.</summary>
    public static async Task CreateStaff(this IGrainFactory grains, string username, string placeId) =>
        Assert.True((await grains.GetGrain<IAccountGrain>(GrainKeys.Account(username))
            .Create(new NewAccount(username, "password-for-tests-1", username, AccountRole.Staff, placeId, []), "admin")).Succeeded);
}
