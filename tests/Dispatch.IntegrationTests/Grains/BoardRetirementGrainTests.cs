using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Consoles;
using Dispatch.Escalation;
using Dispatch.IntegrationTests.Support;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.Statistics;
using Orleans.Core.Internal;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// Boards and feeds on a fake clock: finished requests older than the window (7 days by default)
/// leave the board and the feeds, and the counters and statistics still count them.
/// </summary>
public sealed class BoardRetirementGrainTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    private static readonly BoardQuery All = new(null, null, null, 1, CommunityBoard.MaxPageSize);

    // Deadlines far beyond the days the clock moves here: nothing escalates while the test looks at the counters.
    private static readonly EscalationPolicy Patient = new(
        TimeSpan.FromDays(300), TimeSpan.FromDays(300), TimeSpan.FromDays(300), TimeSpan.FromDays(300), TimeSpan.FromDays(300), TimeSpan.FromDays(300));

    private IGrainFactory Grains => fixture.Grains;

    private Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => fixture.Clock!;

    [Fact]
    public async Task Old_finished_work_leaves_the_board_and_feeds_and_every_figure_stays()
    {
        await Patiently();
        var community = GrainWorld.Unique("b");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var board = Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(community));
        var open = await Grains.CreateRequest(community, RequestKind.Wish);
        var done = await Grains.CreateRequest(community, RequestKind.Wish);
        var dropped = await Grains.CreateRequest(community, RequestKind.Errand);
        await Verified(done.Id, community, volunteer);
        Assert.Null((await Grains.GetGrain<IRequestGrain>(dropped.Id).Cancel(GrainWorld.Staff, "Duplicate")).Failure);
        var before = await Eventually.Get(board.GetCounters, c => c is { Verified: 1, Cancelled: 1 });
        Assert.Equal((1, 1, 1), (before.Open, before.Verified, before.Cancelled));
        var statistics = await board.GetStatistics();
        var town = Grains.GetGrain<IPlaceFeedGrain>(GrainKeys.Feed($"{community}-t"));
        Assert.Equal(3, (await town.Export()).Requests.Length);

        // Six days on, both finished requests are still on the board.
        Clock.Advance(TimeSpan.FromDays(6));
        await Grains.CreateRequest(community, RequestKind.Wish);
        Assert.Equal(4, (await board.GetBoard(All)).Total);

        // Past the window: the next change stores a board without them, counters unchanged.
        Clock.Advance(TimeSpan.FromDays(2));
        var later = await Grains.CreateRequest(community, RequestKind.Wish);
        var page = await board.GetBoard(All);
        Assert.Contains(page.Items, s => s.Id == open.Id);
        Assert.Contains(page.Items, s => s.Id == later.Id);
        Assert.DoesNotContain(page.Items, s => s.Id == done.Id || s.Id == dropped.Id);
        Assert.Equal(3, page.Total);
        var after = await board.GetCounters();
        Assert.Equal(before with { Open = 3 }, after);
        Assert.Equal(statistics.Count(RequestStatus.Verified), (await board.GetStatistics()).Count(RequestStatus.Verified));
        Assert.Equal(statistics.Count(RequestStatus.Cancelled), (await board.GetStatistics()).Count(RequestStatus.Cancelled));
        Assert.Equal(statistics.RatingSum, (await board.GetStatistics()).RatingSum);
        Assert.Equal(statistics.PointsAwarded, (await board.GetStatistics()).PointsAwarded);

        // Out of memory and back: the stored board holds live work only and the same figures.
        await board.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await ForgottenBy(community);
        Assert.Equal(3, (await board.GetBoard(All)).Total);
        Assert.Equal(after, await board.GetCounters());

        // A town feed rebuilt now holds the live work and the same counters.
        await town.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var rebuilt = await Eventually.Get(town.Export, e => e.Requests.Length == 3);
        Assert.Equal(3, rebuilt.Requests.Length);
        Assert.Equal(after, (await town.Snapshot()).Counters);

        // The region adds them up the same way.
        var region = await Grains.GetGrain<IStatisticsGrain>(0).GetStatistics((await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place($"{community}-r")).Get())!);
        Assert.Equal(1, region.Requests.ByStatus.GetValueOrDefault("verified"));
        Assert.Equal(1, region.Requests.ByStatus.GetValueOrDefault("cancelled"));
    }

    [Fact]
    public async Task A_retired_request_whose_verification_is_overturned_comes_back_and_is_counted_once()
    {
        await Patiently();
        var community = GrainWorld.Unique("o");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var board = Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(community));
        var wish = await Grains.CreateRequest(community, RequestKind.Wish);
        await Verified(wish.Id, community, volunteer);
        await Eventually.Get(board.GetCounters, c => c.Verified == 1);

        Clock.Advance(TimeSpan.FromDays(8));
        await Grains.CreateRequest(community, RequestKind.Errand);
        Assert.DoesNotContain((await board.GetBoard(All)).Items, s => s.Id == wish.Id);

        var overturned = await Grains.GetGrain<IRequestGrain>(wish.Id).Verify(GrainWorld.Staff, approved: false, rating: null, "Not delivered after all");
        Assert.Equal(RequestStatus.InProgress, overturned.Value!.Status);
        var counters = await Eventually.Get(board.GetCounters, c => c.InProgress == 1);
        Assert.Equal((1, 0, 1), (counters.Open, counters.Verified, counters.InProgress));
        Assert.Contains((await board.GetBoard(All)).Items, s => s.Id == wish.Id && s.Status == RequestStatus.InProgress);
        var feed = Grains.GetGrain<IPlaceFeedGrain>(GrainKeys.Feed($"{community}-t"));
        Assert.Equal(counters, (await Eventually.Get(feed.Snapshot, s => s.Counters.InProgress == 1)).Counters);
    }

    private async Task Patiently()
    {
        foreach (var kind in new[] { RequestKind.Wish, RequestKind.Errand })
        {
            await Grains.GetGrain<IPolicyGrain>(GrainKeys.Policies).Set(kind, Urgency.Normal, Patient, "test");
        }
    }

    private async Task Verified(Guid id, string community, string volunteer)
    {
        var grain = Grains.GetGrain<IRequestGrain>(id);
        var actor = new Actor(volunteer, AccountRole.Volunteer);
        Assert.Null((await grain.Claim(new Claimant(volunteer, community))).Loss);
        Assert.Null((await grain.Start(actor)).Failure);
        Assert.Null((await grain.Complete(actor, "Done", null)).Failure);
        Assert.Null((await grain.Verify(GrainWorld.Staff, approved: true, rating: 4, "Thanks")).Failure);
    }

    private async Task ForgottenBy(string community)
    {
        var management = Grains.GetGrain<IManagementGrain>(0);
        await Eventually.Get(
            async () => (await management.GetActiveGrains(GrainType.Create("community"))).Count(g => g.ToString().EndsWith($"community:{community}", StringComparison.Ordinal)),
            count => count == 0);
    }
}
