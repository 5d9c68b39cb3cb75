using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Consoles;
using Dispatch.Escalation;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Runtime;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// Idle open requests leave memory (10 minutes without a call by default) and come back by their
/// reminder for a deadline, while the board and the feeds keep their summaries.
/// </summary>
public sealed class IdleRequestGrainTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    private static readonly EscalationPolicy TwoSeconds = new(
        TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));

    private static readonly BoardQuery All = new(null, null, null, 1, CommunityBoard.MaxPageSize);

    private IGrainFactory Grains => fixture.Grains;

    private Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => fixture.Clock!;

    [Fact]
    public void Every_silo_collects_request_grains_after_ten_idle_minutes_and_other_grains_at_orleans_default()
    {
        foreach (var silo in fixture.Cluster.Silos)
        {
            var contexts = silo.ServiceProvider.GetRequiredService<GrainTypeSharedContextResolver>();
            var orleansDefault = silo.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.GrainCollectionOptions>>().Value.CollectionAge;
            Assert.Equal(TimeSpan.FromMinutes(10), contexts.GetComponents(GrainType.Create("request")).CollectionAgeLimit);
            Assert.Equal(orleansDefault, contexts.GetComponents(GrainType.Create("community")).CollectionAgeLimit);
            Assert.NotEqual(TimeSpan.FromMinutes(10), orleansDefault);
        }
    }

    [Fact]
    public async Task An_idle_open_request_leaves_memory_keeps_its_place_on_the_board_and_escalates_when_due()
    {
        var community = GrainWorld.Unique("i");
        await Grains.CreateCommunity(community);
        await Grains.GetGrain<IPolicyGrain>(GrainKeys.Policies).Set(RequestKind.Wish, Urgency.Urgent, TwoSeconds, "test");
        var request = await Grains.CreateRequest(community, RequestKind.Wish, urgency: Urgency.Urgent);
        var board = Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(community));
        var town = Grains.GetGrain<IPlaceFeedGrain>(GrainKeys.Feed($"{community}-t"));
        Assert.Contains((await town.Snapshot()).Requests, s => s.Id == request.Id);

        // Idle: the request leaves memory.
        await Grains.GetGrain<IRequestGrain>(request.Id).AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var management = Grains.GetGrain<IManagementGrain>(0);
        await Eventually.Get(() => ActivationCount(management, request.Id), count => count == 0);
        Assert.Equal(0, await ActivationCount(management, request.Id));

        // The board and the feeds still show it, without waking it.
        var held = Assert.Single((await board.GetBoard(All)).Items, s => s.Id == request.Id);
        Assert.Equal((RequestStatus.Open, 0), (held.Status, held.EscalationLevel));
        Assert.Contains((await town.Snapshot()).Requests, s => s.Id == request.Id);
        Assert.Equal(1, (await board.GetCounters()).Open);
        Assert.Equal(0, await ActivationCount(management, request.Id));

        // Its deadline passes: the reminder brings it back, it escalates, and the board and town hear of it.
        Clock.Advance(TimeSpan.FromSeconds(3));
        var escalated = await Eventually.Get(() => board.GetBoard(All), page => page.Items.Any(s => s.Id == request.Id && s.EscalationLevel >= 1));
        Assert.Contains(escalated.Items, s => s.Id == request.Id && s.EscalationLevel >= 1 && s.Overdue);
        var seen = await Eventually.Get(town.Snapshot, s => s.Alerts.Any(a => a.Id == request.Id));
        Assert.Contains(seen.Alerts, a => a.Id == request.Id);
    }

    private static async Task<int> ActivationCount(IManagementGrain management, Guid requestId)
    {
        var active = await management.GetActiveGrains(GrainType.Create("request"));
        return active.Count(g => g.ToString().Contains(requestId.ToString("N"), StringComparison.OrdinalIgnoreCase));
    }
}
