using System.Threading.Channels;
using Dispatch.Common;
using Dispatch.Consoles;
using Dispatch.Requests;
using Orleans.Core.Internal;
using Orleans.Runtime;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>Place feeds on a two-silo cluster, watched by an observer in the test.</summary>
public sealed class FeedGrainTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_town_still_hears_a_change_that_reactivates_its_communitys_feed()
    {
        var community = GrainWorld.Unique("f");
        await Grains.CreateCommunity(community);
        var town = Grains.GetGrain<IPlaceFeedGrain>(GrainKeys.Feed($"{community}-t"));
        var observer = new Recorder();
        await town.Subscribe(Grains.CreateObjectReference<IConsoleObserver>(observer));
        await Grains.CreateRequest(community, RequestKind.Wish);
        Assert.Equal(RequestAction.Created, (await observer.Next()).Request!.LastAction);

        // The community's feed goes out of memory (idle, or its silo left)...
        var communityFeed = Grains.GetGrain<IPlaceFeedGrain>(GrainKeys.Feed(community));
        await communityFeed.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var management = Grains.GetGrain<IManagementGrain>(0);
        await Support.Eventually.Get(
            async () => (await management.GetActiveGrains(GrainType.Create("placefeed"))).Count(g => g.ToString().EndsWith($"feed:{community}", StringComparison.Ordinal)),
            count => count == 0);

        // ...and the next change wakes it up: its rebuild already holds the change, yet the town hears of it.
        var second = await Grains.CreateRequest(community, RequestKind.Errand);
        var heard = await observer.Next();
        Assert.Equal(second.Id, heard.Request!.Id);
        Assert.Equal($"{community}-t", heard.PlaceId);
    }

    private sealed class Recorder : IConsoleObserver
    {
        private readonly Channel<ConsoleEvent> events = Channel.CreateUnbounded<ConsoleEvent>();

        public Task OnEvent(ConsoleEvent consoleEvent)
        {
            events.Writer.TryWrite(consoleEvent);
            return Task.CompletedTask;
        }

        public async Task<ConsoleEvent> Next()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await events.Reader.ReadAsync(deadline.Token);
        }
    }
}
