using Dispatch.Common;
using Dispatch.Requests;
using Dispatch.Volunteers;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>Issue #16, item 3: the request grain holds a volunteer who released it to the cool-down (10 minutes as shipped), on a fake clock.</summary>
public sealed class ReclaimCoolDownGrainTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    [Fact]
    public async Task A_volunteer_who_released_a_wish_claims_it_again_only_after_the_cool_down()
    {
        var community = GrainWorld.Unique("cd");
        var volunteers = await fixture.Grains.CreateCommunityWithVolunteers(community, 2);
        var request = await fixture.Grains.CreateRequest(community, RequestKind.Wish, 1);
        var grain = fixture.Grains.GetGrain<IRequestGrain>(request.Id);
        var volunteer = new Actor(volunteers[0], AccountRole.Volunteer);

        Assert.True((await grain.Claim(new Claimant(volunteer.Username, community))).Won);
        Assert.True((await grain.Release(volunteer)).Succeeded);
        var version = (await grain.Get())!.Version;

        Assert.Equal(ClaimLoss.CoolingDown, (await grain.Claim(new Claimant(volunteer.Username, community))).Loss);
        fixture.Clock!.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(ClaimLoss.CoolingDown, (await grain.ClaimEach([new Claimant(volunteer.Username, community)]))[0].Loss);
        Assert.Equal(version, (await grain.Get())!.Version);

        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await grain.Claim(new Claimant(volunteer.Username, community))).Won);
    }

    [Fact]
    public async Task Acknowledging_twenty_times_writes_one_entry()
    {
        var community = GrainWorld.Unique("ak");
        await fixture.Grains.CreateCommunity(community);
        var request = await fixture.Grains.CreateRequest(community, RequestKind.Case, 1);
        var grain = fixture.Grains.GetGrain<IRequestGrain>(request.Id);

        for (var i = 0; i < 20; i++)
        {
            Assert.True((await grain.Acknowledge(GrainWorld.Staff)).Succeeded);
        }

        var history = (await grain.GetHistory())!.Value;
        Assert.Single(history, h => h.Action == RequestAction.Acknowledged);
    }
}
