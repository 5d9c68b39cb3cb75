using System.Collections.Concurrent;
using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Requests;

namespace Dispatch.WebHost.Requests;

/// <summary>
/// Sends claim attempts on one request to its grain together. Up to <see cref="MaxInFlight"/>
/// calls per request go at once; attempts that arrive while they are in flight wait for one of
/// them and then go in one <see cref="IRequestGrain.ClaimEach"/>, in the order they arrived.
/// </summary>
/// <remarks>
/// In a claim storm nearly every attempt loses, and one grain call costs about as much as the
/// whole HTTP and token work of the attempt; gathering the attempts that would queue anyway turns
/// a call per attempt into a call per batch. Two calls may be in flight so that, while a winner's
/// claim is being stored, the attempts behind it still reach the grain, which answers the losers
/// at once. Every attempt is still decided by the grain, after it arrived here, and a winner is
/// still answered only once its claim is stored.
/// </remarks>
public sealed class ClaimCoalescer
{
    /// <summary>The most attempts sent in one call, so that one turn of the grain stays short.</summary>
    public const int MaxBatch = 256;

    /// <summary>The most calls in flight to one request from this host.</summary>
    public const int MaxInFlight = 2;

    private readonly Func<Guid, ImmutableArray<Claimant>, Task<ImmutableArray<Outcome<RequestView>>>> claimEach;
    private readonly ConcurrentDictionary<Guid, Lane> lanes = new();

    public ClaimCoalescer(IGrainFactory grains)
        : this((id, claimants) => claimants.Length == 1
            ? Single(grains.GetGrain<IRequestGrain>(id).Claim(claimants[0]))
            : grains.GetGrain<IRequestGrain>(id).ClaimEach(claimants))
    {
    }

    /// <summary>For tests: the grain call given as a function.</summary>
    internal ClaimCoalescer(Func<Guid, ImmutableArray<Claimant>, Task<ImmutableArray<Outcome<RequestView>>>> claimEach) => this.claimEach = claimEach;

    /// <summary>Requests with a call in flight or attempts waiting (for tests and diagnostics).</summary>
    internal int ActiveLanes => lanes.Count;

    public Task<Outcome<RequestView>> Claim(Guid requestId, Claimant claimant)
    {
        var attempt = new Attempt(claimant);
        while (true)
        {
            var lane = lanes.GetOrAdd(requestId, static _ => new Lane());
            lock (lane)
            {
                if (lane.Closed)
                {
                    continue; // Emptied and removed as we found it: take a fresh one.
                }

                lane.Waiting.Add(attempt);
                if (lane.InFlight == MaxInFlight)
                {
                    return attempt.Answer.Task;
                }

                lane.InFlight++;
            }

            _ = Send(requestId, lane);
            return attempt.Answer.Task;
        }
    }

    /// <summary>Sends what waits on a lane, call after call, until nothing does; the last sender to stop retires the lane.</summary>
    private async Task Send(Guid requestId, Lane lane)
    {
        while (true)
        {
            List<Attempt> batch;
            lock (lane)
            {
                if (lane.Waiting.Count == 0)
                {
                    if (--lane.InFlight == 0)
                    {
                        lane.Closed = true;
                        lanes.TryRemove(new KeyValuePair<Guid, Lane>(requestId, lane));
                    }

                    return;
                }

                var count = Math.Min(lane.Waiting.Count, MaxBatch);
                batch = lane.Waiting.GetRange(0, count);
                lane.Waiting.RemoveRange(0, count);
            }

            DispatchMetrics.ClaimBatch(batch.Count);
            ImmutableArray<Outcome<RequestView>> results;
            try
            {
                results = await claimEach(requestId, [.. batch.Select(a => a.Claimant)]);
            }
            catch (Exception exception)
            {
                // The first attempt's claim failed: it alone gets the failure; the rest go again.
                batch[0].Answer.TrySetException(exception);
                batch.RemoveAt(0);
                Requeue(lane, batch);
                continue;
            }

            for (var i = 0; i < results.Length; i++)
            {
                batch[i].Answer.TrySetResult(results[i]);
            }

            if (results.Length < batch.Count)
            {
                Requeue(lane, batch.GetRange(results.Length, batch.Count - results.Length));
            }
        }
    }

    /// <summary>Puts undecided attempts back at the front, ahead of those that arrived since.</summary>
    private static void Requeue(Lane lane, List<Attempt> undecided)
    {
        lock (lane)
        {
            lane.Waiting.InsertRange(0, undecided);
        }
    }

    private static async Task<ImmutableArray<Outcome<RequestView>>> Single(Task<Outcome<RequestView>> claim) => [await claim];

    private sealed record Attempt(Claimant Claimant)
    {
        public TaskCompletionSource<Outcome<RequestView>> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Lane
    {
        public List<Attempt> Waiting { get; } = [];

        /// <summary>Senders at work on this lane, each with at most one call in flight.</summary>
        public int InFlight { get; set; }

        public bool Closed { get; set; }
    }
}
