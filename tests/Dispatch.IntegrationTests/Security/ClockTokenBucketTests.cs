using System.Threading.RateLimiting;
using Dispatch.WebHost.Security;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Security;

/// <summary>The token bucket behind the per-address and per-volunteer limits, alone on a fake clock.</summary>
public sealed class ClockTokenBucketTests
{
    private static readonly TokenBucketSettings Settings = new() { Burst = 4, Refill = 2, Period = TimeSpan.FromSeconds(10) };

    [Fact]
    public void A_full_bucket_allows_its_burst_then_refuses_with_the_wait_for_the_next_refill()
    {
        var clock = new FakeTimeProvider();
        using var bucket = new ClockTokenBucket("test", Settings, clock);

        Assert.All(Enumerable.Range(0, 4), _ => Assert.True(bucket.AttemptAcquire().IsAcquired));
        clock.Advance(TimeSpan.FromSeconds(3));
        using var refused = bucket.AttemptAcquire();
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(7), wait);
        Assert.True(refused.TryGetMetadata(DispatchRateLimits.LimitMetadata, out var limit));
        Assert.Equal("test", limit);
    }

    [Fact]
    public void Each_period_gives_back_its_refill_and_a_full_bucket_saves_up_no_more()
    {
        var clock = new FakeTimeProvider();
        using var bucket = new ClockTokenBucket("test", Settings, clock);
        Drain(bucket);

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(2, Drain(bucket));
        clock.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal(4, Drain(bucket));

        // An hour untouched: still only the burst.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(4, Drain(bucket));
    }

    [Fact]
    public void The_part_of_a_period_already_gone_counts_toward_the_next_refill()
    {
        var clock = new FakeTimeProvider();
        using var bucket = new ClockTokenBucket("test", Settings, clock);
        Drain(bucket);
        clock.Advance(TimeSpan.FromSeconds(15)); // one refill, and half a period toward the next
        Assert.Equal(2, Drain(bucket));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, Drain(bucket));
    }

    [Fact]
    public void It_is_idle_only_while_full_which_lets_the_partitioned_limiter_drop_it()
    {
        var clock = new FakeTimeProvider();
        using var bucket = new ClockTokenBucket("test", Settings, clock);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(5), bucket.IdleDuration);

        Assert.True(bucket.AttemptAcquire().IsAcquired);
        Assert.Null(bucket.IdleDuration);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, bucket.IdleDuration);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(30), bucket.IdleDuration);
    }

    [Fact]
    public async Task Waiting_is_never_queued_an_attempt_over_the_limit_is_refused_at_once()
    {
        var clock = new FakeTimeProvider();
        using var bucket = new ClockTokenBucket("test", Settings, clock);
        Drain(bucket);
        using var lease = await bucket.AcquireAsync();
        Assert.False(lease.IsAcquired);
        Assert.Equal(0, bucket.GetStatistics()!.CurrentQueuedCount);
        Assert.Equal(4, bucket.GetStatistics()!.TotalSuccessfulLeases);
    }

    private static int Drain(ClockTokenBucket bucket)
    {
        var acquired = 0;
        while (bucket.AttemptAcquire().IsAcquired)
        {
            acquired++;
        }

        return acquired;
    }
}
