using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Places;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// Grains whose write fails drop their activation, so that the next call answers from what is
/// stored, not from a change that never was. The failure here is an outage, which the runtime does
/// not treat as a lost race: the account and place grains used to keep such a change in memory.
/// </summary>
public sealed class WriteOrReloadGrainTests(ShopClusterFixture fixture) : IClassFixture<ShopClusterFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_disabling_that_was_not_stored_is_not_seen_afterwards()
    {
        var community = GrainWorld.Unique("w");
        await Grains.CreateCommunity(community);
        var username = GrainWorld.Unique("acc");
        var account = Grains.GetGrain<IAccountGrain>(GrainKeys.Account(username));
        Assert.True((await account.Create(new NewAccount(username, "password-for-tests-1", "Test", AccountRole.Volunteer, community, []), "admin")).Succeeded);

        fixture.Storage.FailOneWrite("account", username, outage: true);
        AssertOutage(await Assert.ThrowsAsync<OrleansException>(() => account.Disable("admin", "testing")));

        Assert.False(fixture.Storage.FaultPending);
        Assert.False((await account.Get())!.Disabled);
    }

    [Fact]
    public async Task A_staff_member_whose_placing_was_not_stored_is_not_listed_afterwards()
    {
        var community = GrainWorld.Unique("w");
        await Grains.CreateCommunity(community);
        var place = Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(community));

        fixture.Storage.FailOneWrite("place", community, outage: true);
        AssertOutage(await Assert.ThrowsAsync<OrleansException>(() => place.AddStaff("staff-w")));

        Assert.False(fixture.Storage.FaultPending);
        Assert.DoesNotContain("staff-w", await place.GetStaff());
    }

    /// <summary>The storage bridge reports a provider's failure wrapped, naming the provider.</summary>
    private static void AssertOutage(OrleansException failure) =>
        Assert.IsType<InjectedStorageOutageException>(failure.InnerException);
}
