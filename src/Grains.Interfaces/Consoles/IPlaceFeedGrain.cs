using Dispatch.Common;
using Dispatch.Requests;
using Orleans.Concurrency;

namespace Dispatch.Consoles;

/// <summary>A web host's receiver of the events of the places its consoles watch.</summary>
public interface IConsoleObserver : IGrainObserver
{
    [OneWay]
    Task OnEvent(ConsoleEvent consoleEvent);
}

/// <summary>
/// The live feed of one place, keyed by <see cref="GrainKeys.Feed"/>: it numbers the changes of
/// every request at or below the place, keeps the latest for consoles that reconnect, pushes them
/// to the hosts that watch, and passes each change up to its parent's feed.
/// </summary>
public interface IPlaceFeedGrain : IGrainWithStringKey
{
    /// <summary>A request at or below this place changed (from the community, or a child feed).</summary>
    [OneWay]
    Task Publish(RequestSummary summary);

    /// <summary>A finished request at or below this place came back to work; <paramref name="finished"/> is its summary as it finished.</summary>
    [OneWay]
    Task PublishReopened(RequestSummary finished, RequestSummary current);

    /// <summary>A community at or below this place now has <paramref name="count"/> registered volunteers.</summary>
    [OneWay]
    Task PublishVolunteers(string communityId, int count);

    Task<FeedSnapshot> Snapshot();

    /// <summary>The events after <paramref name="seq"/>, or a snapshot when they are no longer kept.</summary>
    Task<FeedCatchUp> Since(long seq);

    /// <summary>Everything known here, for the parent feed's rebuild.</summary>
    [AlwaysInterleave]
    Task<FeedExport> Export();

    /// <summary>
    /// Starts (or renews) pushing events to a host; a subscription lapses unless renewed. Answers
    /// the feed's epoch (its first sequence number): when it changes, the feed was rebuilt and lost
    /// its subscribers for a while, so its consoles must resync.
    /// </summary>
    Task<long> Subscribe(IConsoleObserver observer);

    Task Unsubscribe(IConsoleObserver observer);
}
