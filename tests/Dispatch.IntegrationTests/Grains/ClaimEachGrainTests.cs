using Dispatch.Common;
using Dispatch.Requests;
using Dispatch.Volunteers;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// A request grain deciding a batch of claims in one call: each as a lone claim would be decided,
/// in order; and when a winner's claim cannot be stored, the batch stops there with nothing half done.
/// </summary>
public sealed class ClaimEachGrainTests(ShopClusterFixture fixture) : IClassFixture<ShopClusterFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_batch_is_decided_in_order_as_lone_claims_would_be()
    {
        var community = GrainWorld.Unique("b");
        var volunteers = await Grains.CreateCommunityWithVolunteers(community, 5);
        var request = await Grains.CreateRequest(community, RequestKind.Activity, places: 3);
        var grain = Grains.GetGrain<IRequestGrain>(request.Id);

        var results = await grain.ClaimEach(
        [
            new Claimant(volunteers[0], community),
            new Claimant(volunteers[0], community),
            new Claimant(volunteers[1], community),
            new Claimant("stranger", "elsewhere"),
            new Claimant(volunteers[2], community),
            new Claimant(volunteers[3], community),
        ]);

        Assert.Equal(
            [null, ClaimLoss.AlreadyClaimed, null, ClaimLoss.OutsideCommunity, null, ClaimLoss.Full],
            results.Select(r => r.Loss));
        Assert.Equal([1, 2, 3], results.Where(r => r.Won).Select(r => r.Request!.Claimants.Length));
        Assert.Equal(volunteers[..3], (await grain.Get())!.Claimants.ToArray());
    }

    [Fact]
    public async Task A_claim_that_cannot_be_stored_ends_the_batch_and_leaves_the_rest_undecided()
    {
        var community = GrainWorld.Unique("b");
        var volunteers = await Grains.CreateCommunityWithVolunteers(community, 4);
        var request = await Grains.CreateRequest(community, RequestKind.Activity, places: 3);
        var grain = Grains.GetGrain<IRequestGrain>(request.Id);

        // The first claim is stored; the second one's write fails.
        fixture.Storage.FailOneWrite("request", request.Id.ToString("N"), after: 1);
        var results = await grain.ClaimEach([.. volunteers.Select(v => new Claimant(v, community))]);

        var first = Assert.Single(results);
        Assert.True(first.Won);
        Assert.Equal([volunteers[0]], (await grain.Get())!.Claimants.ToArray());
        Assert.Empty((await Volunteer(volunteers[1]).Get())!.ActiveClaims);

        // Sent again, the undecided ones are decided as if they had come now.
        var again = await grain.ClaimEach([.. volunteers[1..].Select(v => new Claimant(v, community))]);
        Assert.Equal([null, null, ClaimLoss.Full], again.Select(r => r.Loss));
        Assert.Equal(volunteers[..3], (await grain.Get())!.Claimants.ToArray());
    }

    [Fact]
    public async Task When_the_first_claim_cannot_be_stored_the_failure_is_thrown()
    {
        var community = GrainWorld.Unique("b");
        var volunteers = await Grains.CreateCommunityWithVolunteers(community, 2);
        var request = await Grains.CreateRequest(community, RequestKind.Wish);
        var grain = Grains.GetGrain<IRequestGrain>(request.Id);

        fixture.Storage.FailOneWrite("request", request.Id.ToString("N"));
        await Assert.ThrowsAnyAsync<Exception>(() => grain.ClaimEach([.. volunteers.Select(v => new Claimant(v, community))]));

        Assert.Empty((await grain.Get())!.Claimants);
        Assert.Empty((await Volunteer(volunteers[0]).Get())!.ActiveClaims);
    }

    private IVolunteerGrain Volunteer(string username) => Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username));
}
