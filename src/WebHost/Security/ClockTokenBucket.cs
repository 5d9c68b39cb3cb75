using System.Threading.RateLimiting;

namespace Dispatch.WebHost.Security;

/// <summary>
/// A token bucket that refills from the host's <see cref="TimeProvider"/>, worked out when it is
/// asked rather than by a timer.
/// </summary>
/// <remarks>
/// Why not <see cref="TokenBucketRateLimiter"/>: it takes no <see cref="TimeProvider"/> (the request
/// for one, dotnet/runtime#106447, is open), and its manual replenishment is no way round it: inside
/// a <see cref="PartitionedRateLimiter"/> every partition is made non-auto-replenishing and then
/// replenished by the partitioned limiter's own 100 ms wall-clock heartbeat, and
/// <c>TryReplenish</c> itself adds nothing until a real <c>Stopwatch</c> period has passed. So a
/// fake clock could neither refill it nor hold it still. This bucket is a plain
/// <see cref="RateLimiter"/> (not a <see cref="ReplenishingRateLimiter"/>), so that heartbeat only
/// asks its <see cref="IdleDuration"/> to drop buckets left full for a while (a new one starts full: no difference).
/// Attempts never queue: over the limit is refused at once, with the wait in <see cref="MetadataName.RetryAfter"/>.
/// </remarks>
internal sealed class ClockTokenBucket : RateLimiter
{
    private static readonly RateLimitLease Acquired = new Lease(true, null, null);

    private readonly Lock gate = new();
    private readonly string limit;
    private readonly TokenBucketSettings settings;
    private readonly TimeProvider time;
    private readonly long origin;

    private int tokens;
    private long refilledAt;
    private long? fullSince;
    private long successes;
    private long failures;

    public ClockTokenBucket(string limit, TokenBucketSettings settings, TimeProvider time)
    {
        this.limit = limit;
        this.settings = settings;
        this.time = time;
        origin = time.GetTimestamp();
        tokens = settings.Burst;
        fullSince = 0;
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (gate)
            {
                var now = Now();
                Refill(now);
                return fullSince is { } since ? TimeSpan.FromTicks(now - since) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (gate)
        {
            Refill(Now());
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = tokens,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = successes,
                TotalFailedLeases = failures,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, settings.Burst);
        lock (gate)
        {
            var now = Now();
            Refill(now);
            if (tokens >= Math.Max(permitCount, 1))
            {
                tokens -= permitCount;
                fullSince = tokens == settings.Burst ? fullSince : null;
                successes++;
                return Acquired;
            }

            // Enough periods for the missing tokens, less the part of the current period already gone.
            failures++;
            var missing = Math.Max(permitCount, 1) - tokens;
            var periods = (missing + settings.Refill - 1) / settings.Refill;
            var wait = (periods * settings.Period.Ticks) - (now - refilledAt);
            return new Lease(false, TimeSpan.FromTicks(Math.Max(wait, 0)), limit);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private long Now() => time.GetElapsedTime(origin).Ticks;

    private void Refill(long now)
    {
        var periods = (now - refilledAt) / settings.Period.Ticks;
        if (periods <= 0)
        {
            return;
        }

        if (tokens + (periods * settings.Refill) >= settings.Burst)
        {
            // Full: time spent full is not saved up for a bigger burst later.
            fullSince ??= now;
            tokens = settings.Burst;
            refilledAt = now;
            return;
        }

        tokens += (int)(periods * settings.Refill);
        refilledAt += periods * settings.Period.Ticks;
    }

    /// <summary>Leases carry the limit's name when refused, so the rejection can say which limit it was.</summary>
    private sealed class Lease(bool acquired, TimeSpan? retryAfter, string? limit) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames
        {
            get
            {
                if (retryAfter is not null)
                {
                    yield return MetadataName.RetryAfter.Name;
                }

                if (limit is not null)
                {
                    yield return DispatchRateLimits.LimitMetadata.Name;
                }
            }
        }

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName switch
            {
                _ when metadataName == MetadataName.RetryAfter.Name && retryAfter is { } wait => wait,
                _ when metadataName == DispatchRateLimits.LimitMetadata.Name && limit is not null => limit,
                _ => null,
            };
            return metadata is not null;
        }
    }
}
