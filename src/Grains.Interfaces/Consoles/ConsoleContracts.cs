using System.Collections.Immutable;
using Dispatch.Requests;

namespace Dispatch.Consoles;

/// <summary>
/// Live counts at a place: a community's requests by status, its registered volunteers and the
/// figures the seed quotes (dispatches, wishes fulfilled, matters done), or their sums for a town,
/// county or region.
/// </summary>
/// <param name="Dispatches">Offers made to volunteers by staff or the cascade.</param>
/// <param name="WishesFulfilled">Verified wishes.</param>
/// <param name="MattersDone">Verified errands, cases and activities.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.PlaceCounters")]
public sealed record PlaceCounters(
    int Open,
    int Claimed,
    int InProgress,
    int Completed,
    int Verified,
    int Cancelled,
    int Overdue,
    int RegisteredVolunteers,
    int Dispatches,
    int WishesFulfilled,
    int MattersDone);

/// <summary>
/// One change seen at a place, numbered by that place's own sequence (<paramref name="Seq"/> grows
/// by one per event, with no gaps, for as long as the place's feed is in memory).
/// </summary>
/// <param name="Request">The request as it is now; null when only the counters changed (a volunteer registered).</param>
[GenerateSerializer, Immutable, Alias("Dispatch.ConsoleEvent")]
public sealed record ConsoleEvent(string PlaceId, long Seq, DateTimeOffset At, RequestSummary? Request, PlaceCounters Counters)
{
    /// <summary>An escalation: consoles show it as an alert.</summary>
    public bool IsAlert => Request is { LastAction: RequestAction.Escalated };
}

/// <summary>Everything a console needs to start: counters, unfinished requests, overdue ones, and the sequence number it is current to.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.FeedSnapshot")]
public sealed record FeedSnapshot(
    string PlaceId,
    PlaceCounters Counters,
    ImmutableArray<RequestSummary> Requests,
    ImmutableArray<RequestSummary> Alerts,
    long Seq);

/// <summary>What a console missed since a sequence number: the events, or a fresh snapshot when they are no longer kept.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.FeedCatchUp")]
public sealed record FeedCatchUp(ImmutableArray<ConsoleEvent> Events, FeedSnapshot? Snapshot);

/// <summary>
/// What a feed (or a community's board) holds, for a parent feed rebuilding itself: its live
/// requests, its volunteers, and what the finished requests it no longer holds count for.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.FeedExport")]
public sealed record FeedExport(ImmutableArray<RequestSummary> Requests, ImmutableDictionary<string, int> VolunteersByCommunity, RetiredTally Retired);
