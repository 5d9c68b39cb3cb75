using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Consoles;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.Volunteers;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>The grains on a two-silo cluster: claiming, durability before acknowledgement, and self-repair.</summary>
public sealed class RequestGrainTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task Concurrent_claims_from_both_silos_fill_the_places_exactly()
    {
        var community = GrainWorld.Unique("c");
        var volunteers = await Grains.CreateCommunityWithVolunteers(community, 40);
        var request = await Grains.CreateRequest(community, RequestKind.Activity, places: 4);

        // Calls go through silos chosen by the client; the request grain lives on one of them.
        var results = await Task.WhenAll(volunteers.Select(v =>
            Grains.GetGrain<IRequestGrain>(request.Id).Claim(new Claimant(v, community))));

        Assert.Equal(4, results.Count(r => r.Won));
        Assert.All(results.Where(r => !r.Won), r => Assert.Equal(ClaimLoss.Full, r.Loss));
        var stored = await Grains.GetGrain<IRequestGrain>(request.Id).Get();
        Assert.Equal(RequestStatus.Claimed, stored!.Status);
        Assert.Equal(4, stored.Claimants.Distinct().Count());

        var counters = await Eventually.Get(
            () => Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(community)).GetCounters(),
            c => c.Claimed == 1);
        Assert.Equal(new PlaceCounters(0, 1, 0, 0, 0, 0, Overdue: 0, RegisteredVolunteers: 40, 0, 0, 0), counters);
    }

    [Fact]
    public async Task A_claim_whose_write_fails_is_not_acknowledged_and_leaves_nothing_behind()
    {
        var community = GrainWorld.Unique("c");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var request = await Grains.CreateRequest(community, RequestKind.Wish);
        var grain = Grains.GetGrain<IRequestGrain>(request.Id);

        var injected = fixture.Storage.FaultsInjected;
        fixture.Storage.FailWritesOf = "request";
        try
        {
            var failure = await Assert.ThrowsAsync<InjectedStorageFaultException>(() => grain.Claim(new Claimant(volunteer, community)));
            Assert.Equal(InjectedStorageFaultException.MessageFor("request", grain.GetGrainId()), failure.Message);
        }
        finally
        {
            fixture.Storage.FailWritesOf = null;
        }

        Assert.Equal(injected + 1, fixture.Storage.FaultsInjected);

        // The activation reloaded what is really stored, and the volunteer's slot was handed back.
        var after = await grain.Get();
        Assert.Equal(RequestStatus.Open, after!.Status);
        Assert.Empty(after.Claimants);
        Assert.Empty((await Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(volunteer)).Get())!.ActiveClaims);

        // And the claim can be made again.
        Assert.True((await grain.Claim(new Claimant(volunteer, community))).Won);
    }

    [Fact]
    public async Task A_slot_left_by_a_crash_between_two_writes_is_freed_when_the_limit_is_reached()
    {
        var community = GrainWorld.Unique("c");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var volunteerGrain = Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(volunteer));

        // As if the volunteer's slot had been stored and the silo had died before the request's write.
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await volunteerGrain.TryReserveClaim(Guid.NewGuid()));
        }

        var request = await Grains.CreateRequest(community, RequestKind.Wish);
        var result = await Grains.GetGrain<IRequestGrain>(request.Id).Claim(new Claimant(volunteer, community));

        Assert.True(result.Won);
        Assert.Equal<Guid>([request.Id], (await volunteerGrain.Get())!.ActiveClaims);
    }

    [Fact]
    public async Task The_claim_limit_holds_and_a_verified_completion_frees_a_slot()
    {
        var community = GrainWorld.Unique("c");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var actor = new Actor(volunteer, AccountRole.Volunteer);
        var requests = new List<RequestView>();
        for (var i = 0; i < 4; i++)
        {
            requests.Add(await Grains.CreateRequest(community, RequestKind.Errand));
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await Grains.GetGrain<IRequestGrain>(requests[i].Id).Claim(new Claimant(volunteer, community))).Won);
        }

        var fourth = Grains.GetGrain<IRequestGrain>(requests[3].Id);
        Assert.Equal(ClaimLoss.ClaimLimit, (await fourth.Claim(new Claimant(volunteer, community))).Loss);
        Assert.Empty((await fourth.Get())!.Claimants); // The loser changed nothing.

        var first = Grains.GetGrain<IRequestGrain>(requests[0].Id);
        Assert.True((await first.Start(actor)).Succeeded);
        Assert.True((await first.Complete(actor, "done", checkInCode: null)).Succeeded);

        // Completed is not yet done: a rejected verification gives the work back to the same volunteer.
        Assert.Equal(ClaimLoss.ClaimLimit, (await fourth.Claim(new Claimant(volunteer, community))).Loss);
        Assert.True((await first.Verify(GrainWorld.Staff, approved: false, rating: null, "Not finished")).Succeeded);
        Assert.Equal(ClaimLoss.ClaimLimit, (await fourth.Claim(new Claimant(volunteer, community))).Loss);
        Assert.True((await first.Complete(actor, "finished now", checkInCode: null)).Succeeded);
        Assert.True((await first.Verify(GrainWorld.Staff, approved: true, rating: 5, null)).Succeeded);

        Assert.True((await fourth.Claim(new Claimant(volunteer, community))).Won);
        var profile = await Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(volunteer)).Get();
        Assert.Equal(1, profile!.CompletedCount);
        Assert.Equal(3, profile.ActiveClaims.Length);
    }

    [Fact]
    public async Task Creating_again_with_the_same_id_is_a_retry_for_its_creator_and_a_conflict_for_anyone_else()
    {
        var community = GrainWorld.Unique("i");
        await Grains.CreateCommunity(community);
        var grain = Grains.GetGrain<IRequestGrain>(Guid.NewGuid());
        var spec = new NewRequest(community, RequestKind.Wish, "Once", null, [], Urgency.Normal, 1, 0, new Beneficiary("B", null, null));

        var first = await grain.Create(spec, GrainWorld.Staff);
        var retry = await grain.Create(spec, GrainWorld.Staff);
        var other = await grain.Create(spec, new Actor("someone-else", AccountRole.Staff));

        Assert.Equal(first.Value!.Id, retry.Value!.Id);
        Assert.Equal(1, retry.Value.Version); // Created once.
        Assert.Equal("alreadyExists", other.Failure?.Code);
    }

    [Fact]
    public async Task Cancelling_ends_every_claim_and_is_recorded()
    {
        var community = GrainWorld.Unique("c");
        var volunteers = await Grains.CreateCommunityWithVolunteers(community, 3);
        var request = await Grains.CreateRequest(community, RequestKind.Activity, places: 3);
        var grain = Grains.GetGrain<IRequestGrain>(request.Id);
        foreach (var volunteer in volunteers)
        {
            Assert.True((await grain.Claim(new Claimant(volunteer, community))).Won);
        }

        var cancelled = await grain.Cancel(GrainWorld.Staff, "Rain: the activity is called off");

        Assert.Equal(RequestStatus.Cancelled, cancelled.Value!.Status);
        foreach (var volunteer in volunteers)
        {
            Assert.Empty((await Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(volunteer)).Get())!.ActiveClaims);
        }

        var history = (await grain.GetHistory())!.Value;
        Assert.Equal(RequestAction.Cancelled, history[^1].Action);
        Assert.Equal("Rain: the activity is called off", history[^1].Note);
        Assert.Equal("staff", history[^1].Actor);
    }
}
