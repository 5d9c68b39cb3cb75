using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Places;
using Dispatch.Requests;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Dispatch.Consoles;

/// <summary>
/// Holds a <see cref="PlaceFeed"/> in memory only: on activation it rebuilds from the community
/// board (for a community) or from its children's feeds only, never from everything below it:
/// each export holds live work and the retired figures, so a rebuild costs as much as the live
/// work. It starts a new sequence above any number it could have given before, so a console
/// resuming from an older number gets a snapshot.
/// </summary>
public sealed partial class PlaceFeedGrain(TimeProvider time, IOptions<BoardOptions> options, ILogger<PlaceFeedGrain> logger) : Grain, IPlaceFeedGrain
{
    /// <summary>How long a host's subscription lasts without renewal.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(5);

    private readonly ObserverManager<IConsoleObserver> observers = new(SubscriptionLifetime, logger);
    private PlaceFeed feed = null!;
    private string? parentId;
    private long epoch;

    private string PlaceId => GrainKeys.IdOf(this.GetPrimaryKeyString(), GrainKeys.FeedPrefix);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Microseconds since the epoch: above every number an earlier activation handed out.
        epoch = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        feed = new PlaceFeed(PlaceId, epoch, PlaceFeed.DefaultCapacity, options.Value.FinishedWindow);
        var place = await GrainFactory.GetGrain<IPlaceGrain>(GrainKeys.Place(PlaceId)).Get();
        parentId = place?.ParentId;
        if (place is null)
        {
            return;
        }

        if (place.Kind == PlaceKind.Community)
        {
            feed.Load(await GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(PlaceId)).Export());
            feed.RetireIfDue(time.GetUtcNow());
            return;
        }

        var exports = await Task.WhenAll(place.Children.Select(c => GrainFactory.GetGrain<IPlaceFeedGrain>(GrainKeys.Feed(c)).Export()));
        foreach (var export in exports)
        {
            feed.Load(export);
        }

        feed.RetireIfDue(time.GetUtcNow());
    }

    public Task Publish(RequestSummary summary)
    {
        if (feed.Apply(summary, time.GetUtcNow()) is { } change)
        {
            Deliver(change);
        }

        // Passed up even when not new here: a publish that reactivated this feed was already in
        // its rebuild, but the parent has not seen it. The parent drops what it knows.
        Parent()?.Publish(summary).Ignore();
        return Task.CompletedTask;
    }

    public Task PublishReopened(RequestSummary finished, RequestSummary current)
    {
        if (feed.Reopen(finished, current, time.GetUtcNow()) is { } change)
        {
            Deliver(change);
        }

        Parent()?.PublishReopened(finished, current).Ignore();
        return Task.CompletedTask;
    }

    public Task PublishVolunteers(string communityId, int count)
    {
        if (feed.ApplyVolunteers(communityId, count, time.GetUtcNow()) is { } change)
        {
            Deliver(change);
        }

        Parent()?.PublishVolunteers(communityId, count).Ignore();
        return Task.CompletedTask;
    }

    public Task<FeedSnapshot> Snapshot() => Task.FromResult(feed.Snapshot());

    public Task<FeedCatchUp> Since(long seq) => Task.FromResult(
        feed.Since(seq) is { } events ? new FeedCatchUp(events, null) : new FeedCatchUp([], feed.Snapshot()));

    public Task<FeedExport> Export() => Task.FromResult(feed.Export());

    public Task<long> Subscribe(IConsoleObserver observer)
    {
        observers.Subscribe(observer, observer);
        return Task.FromResult(epoch);
    }

    public Task Unsubscribe(IConsoleObserver observer)
    {
        observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>One-way to each host: a slow or gone host never holds up the feed (nor, before it, claiming).</summary>
    private void Deliver(ConsoleEvent change) => observers.Notify(o => o.OnEvent(change));

    private IPlaceFeedGrain? Parent() => parentId is null ? null : GrainFactory.GetGrain<IPlaceFeedGrain>(GrainKeys.Feed(parentId));
}
