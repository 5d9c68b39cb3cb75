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
        Assert.Equal([1, 2, 3], results.Where(r => r.Won).Select(r => r.Value!.Claimants.Length));
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
        var failure = await Assert.ThrowsAsync<InjectedStorageFaultException>(() => grain.ClaimEach([.. volunteers.Select(v => new Claimant(v, community))]));
        Assert.Equal(InjectedStorageFaultException.MessageFor("request", grain.GetGrainId()), failure.Message);
        Assert.False(fixture.Storage.FaultPending);

        Assert.Empty((await grain.Get())!.Claimants);
        Assert.Empty((await Volunteer(volunteers[0]).Get())!.ActiveClaims);
    }

    private IVolunteerGrain Volunteer(string username) => Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username));
}

/// <summary>
/// Claims interleave: while a winner's claim is being stored, attempts that lose are answered at
/// once, and changes of any other kind wait their turn.
/// </summary>
public sealed class InterleavedClaimTests(ShopClusterFixture fixture) : IClassFixture<ShopClusterFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Losers_are_answered_while_the_winners_claim_is_still_being_stored()
    {
        var (community, volunteers, grain, winner, release) = await AWinnerBeingStored(volunteers: 3);

        // The winner's write has not finished: the others lose now, and the winner again is told it holds it.
        Assert.Equal(ClaimLoss.Full, (await grain.Claim(new Claimant(volunteers[1], community))).Loss);
        Assert.Equal([ClaimLoss.AlreadyClaimed, ClaimLoss.Full], (await grain.ClaimEach([new(volunteers[0], community), new(volunteers[2], community)])).Select(r => r.Loss));
        Assert.False(winner.IsCompleted);

        release.SetResult();
        Assert.True((await winner).Won);
        Assert.Equal([volunteers[0]], (await grain.Get())!.Claimants.ToArray());
    }

    [Fact]
    public async Task A_change_of_another_kind_waits_until_the_winners_claim_is_stored()
    {
        var (_, _, grain, winner, release) = await AWinnerBeingStored(volunteers: 1);
        var cancel = grain.Cancel(GrainWorld.Staff, "No longer needed");

        // The cancellation is not let in while the claim's write is held; a read of what is stored is.
        Assert.Equal(RequestStatus.Open, (await grain.GetSummary())!.Status);
        Assert.False(cancel.IsCompleted);

        release.SetResult();
        Assert.True((await winner).Won);
        Assert.True((await cancel).Succeeded);
        var history = (await grain.GetHistory())!.Value.Select(e => e.Action).ToArray();
        Assert.True(Array.IndexOf(history, RequestAction.Claimed) < Array.IndexOf(history, RequestAction.Cancelled));
    }

    /// <summary>A wish whose first volunteer's winning claim is applied and now being written: the write is held until <c>release</c> completes.</summary>
    private async Task<(string Community, string[] Volunteers, IRequestGrain Grain, Task<Outcome<RequestView>> Winner, TaskCompletionSource Release)> AWinnerBeingStored(int volunteers)
    {
        var community = GrainWorld.Unique("i");
        var usernames = await Grains.CreateCommunityWithVolunteers(community, volunteers);
        var request = await Grains.CreateRequest(community, RequestKind.Wish);
        var grain = Grains.GetGrain<IRequestGrain>(request.Id);
        var release = new TaskCompletionSource();
        var held = fixture.Storage.HoldNextWrite("request", request.Id.ToString("N"), release.Task);

        var winner = grain.Claim(new Claimant(usernames[0], community));
        await held.WaitAsync(TimeSpan.FromSeconds(10));
        return (community, usernames, grain, winner, release);
    }
}
