using Dispatch.Common;
using Dispatch.Requests;
using Dispatch.Volunteers;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// The claim limit (5, the shipped default) while claims at the limit are still being decided: a
/// claim whose write is under way is never taken for a stale slot, and a claim that fails the
/// limit never turns other volunteers away.
/// </summary>
public sealed class ClaimLimitGrainTests(ShopClusterFixture fixture) : IClassFixture<ShopClusterFixture>
{
    private const int Limit = 5;

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_claim_being_stored_keeps_its_slot_when_the_volunteer_reaches_the_limit()
    {
        var community = GrainWorld.Unique("l");
        var (volunteer, _) = await TwoVolunteers(community);
        await HoldClaims(community, volunteer, Limit - 1);

        // The fifth claim's slot is stored; the request's write of it is held.
        var fifth = await Grains.CreateRequest(community, RequestKind.Wish);
        var release = new TaskCompletionSource();
        var held = fixture.Storage.HoldNextWrite("request", fifth.Id.ToString("N"), release.Task);
        var fifthClaim = Grains.GetGrain<IRequestGrain>(fifth.Id).Claim(new Claimant(volunteer, community));
        await held.WaitAsync(TimeSpan.FromSeconds(10));

        // At the limit, the volunteer checks its slots against their requests: the fifth is not
        // stored yet, but it is a claim, not a stale slot, so the sixth is refused.
        var sixth = await Grains.CreateRequest(community, RequestKind.Wish);
        var sixthClaim = await Grains.GetGrain<IRequestGrain>(sixth.Id).Claim(new Claimant(volunteer, community));

        release.SetResult();
        Assert.True((await fifthClaim).Won);
        Assert.Equal(ClaimLoss.ClaimLimit, sixthClaim.Loss);
        Assert.Empty((await Grains.GetGrain<IRequestGrain>(sixth.Id).Get())!.Claimants);
        var record = (await Volunteer(volunteer).Get())!;
        Assert.Equal(Limit, record.ActiveClaims.Length);
        Assert.Contains(fifth.Id, record.ActiveClaims);
    }

    [Fact]
    public async Task A_claim_refused_at_the_limit_does_not_turn_another_volunteer_away()
    {
        var community = GrainWorld.Unique("l");
        var (eager, other) = await TwoVolunteers(community);
        await HoldClaims(community, eager, Limit - 1);

        // The eager volunteer's fifth slot is being written (held), so their claim on the wish
        // below waits behind it at their volunteer grain, holding the wish's only place meanwhile.
        var fifth = await Grains.CreateRequest(community, RequestKind.Wish);
        var release = new TaskCompletionSource();
        var held = fixture.Storage.HoldNextWrite("volunteer", eager, release.Task);
        var fifthClaim = Grains.GetGrain<IRequestGrain>(fifth.Id).Claim(new Claimant(eager, community));
        await held.WaitAsync(TimeSpan.FromSeconds(10));

        var wish = Grains.GetGrain<IRequestGrain>((await Grains.CreateRequest(community, RequestKind.Wish)).Id);
        var eagerClaim = wish.Claim(new Claimant(eager, community));
        await wish.GetSummary();
        var otherClaim = wish.Claim(new Claimant(other, community));

        release.SetResult();
        Assert.True((await fifthClaim).Won);
        Assert.Equal(ClaimLoss.ClaimLimit, (await eagerClaim).Loss);

        // The hold came to nothing: the other volunteer was not told "full", and holds the wish.
        var result = await otherClaim;
        Assert.True(result.Won, $"Expected a win, got {result.Loss}.");
        Assert.Equal([other], (await wish.Get())!.Claimants.ToArray());
    }

    [Fact]
    public async Task A_claim_whose_write_fails_frees_its_place_for_the_contenders_waiting_on_it()
    {
        var community = GrainWorld.Unique("l");
        var (first, second) = await TwoVolunteers(community);
        var request = await Grains.CreateRequest(community, RequestKind.Wish);
        var wish = Grains.GetGrain<IRequestGrain>(request.Id);

        // The first volunteer's slot write is held, then fails: their claim is never made.
        var release = new TaskCompletionSource();
        var held = fixture.Storage.HoldNextWrite("volunteer", first, release.Task);
        fixture.Storage.FailOneWrite("volunteer", first);
        var firstClaim = wish.Claim(new Claimant(first, community));
        await held.WaitAsync(TimeSpan.FromSeconds(10));
        await wish.GetSummary();
        var secondClaim = wish.Claim(new Claimant(second, community));

        release.SetResult();
        await Assert.ThrowsAsync<InjectedStorageFaultException>(() => firstClaim);
        Assert.True((await secondClaim).Won);
        Assert.Equal([second], (await wish.Get())!.Claimants.ToArray());
        Assert.Empty((await Volunteer(first).Get())!.ActiveClaims);
    }

    private async Task<(string First, string Second)> TwoVolunteers(string community)
    {
        var usernames = await Grains.CreateCommunityWithVolunteers(community, 2);
        return (usernames[0], usernames[1]);
    }

    private async Task HoldClaims(string community, string volunteer, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var request = await Grains.CreateRequest(community, RequestKind.Wish);
            Assert.True((await Grains.GetGrain<IRequestGrain>(request.Id).Claim(new Claimant(volunteer, community))).Won);
        }
    }

    private IVolunteerGrain Volunteer(string username) => Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username));
}
