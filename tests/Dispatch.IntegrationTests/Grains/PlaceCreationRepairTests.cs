using Dispatch.Common;
using Dispatch.Places;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// A place is stored, then linked to its parent. When the link fails the place exists but its
/// parent does not list it (it is missing from the tree walks that scope and statistics use); the
/// same creation retried completes the link, as a retried organisation creation tells its
/// communities again. A different place under the same id is still a conflict.
/// </summary>
public sealed class PlaceCreationRepairTests(ShopClusterFixture fixture) : IClassFixture<ShopClusterFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_child_whose_link_to_its_parent_failed_is_linked_by_a_retry()
    {
        var town = GrainWorld.Unique("pt");
        await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(town)).Create(new NewPlace(town, "Town", PlaceKind.Town, null));
        var community = GrainWorld.Unique("pc");
        var parent = $"{community}-t";
        foreach (var (kind, id, above) in new[] { (PlaceKind.Region, $"{community}-r", (string?)null), (PlaceKind.County, $"{community}-c", $"{community}-r"), (PlaceKind.Town, parent, $"{community}-c") })
        {
            Assert.True((await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(id)).Create(new NewPlace(id, id, kind, above))).Succeeded);
        }

        var child = Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(community));
        var spec = new NewPlace(community, " Xinhua Community ", PlaceKind.Community, parent);

        // The parent's write of the link fails: the caller sees the failure, the child is stored unlinked.
        fixture.Storage.FailOneWrite("place", parent, outage: true);
        await Assert.ThrowsAsync<OrleansException>(() => child.Create(spec));
        Assert.False(fixture.Storage.FaultPending);
        Assert.NotNull(await child.Get());
        Assert.DoesNotContain(community, (await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(parent)).Get())!.Children);

        // The same creation again completes it, and answers the place as stored.
        var retried = await child.Create(spec);
        Assert.True(retried.Succeeded, retried.Failure?.Detail);
        Assert.Equal("Xinhua Community", retried.Value!.Name);
        Assert.Contains(community, (await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(parent)).Get())!.Children);

        // Once more changes nothing; another place under the same id is a conflict.
        Assert.True((await child.Create(spec)).Succeeded);
        Assert.Single((await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(parent)).Get())!.Children, c => c == community);
        foreach (var other in new[] { spec with { Name = "Other" }, spec with { ParentId = town } })
        {
            var conflict = await child.Create(other);
            Assert.Equal(("alreadyExists", FailureKind.Conflict), (conflict.Failure?.Code, conflict.Failure?.Kind));
        }
    }
}
