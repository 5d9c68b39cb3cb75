using Dispatch.Consoles;
using Dispatch.WebHost.Consoles;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.UnitTests.Consoles;

/// <summary>A place's counters go to its consoles at most once per interval while its requests change, the latest last.</summary>
public sealed class CountersThrottleTests
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private readonly List<long> flushed = [];

    private CountersThrottle Throttle() => new(clock, Every, e => flushed.Add(e.Seq));

    private static ConsoleEvent Event(long seq) => new("m1", seq, DateTimeOffset.UnixEpoch, null, new PlaceCounters((int)seq, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));

    [Fact]
    public void The_first_change_after_a_quiet_spell_goes_at_once_and_a_burst_flushes_only_its_latest_when_the_interval_is_up()
    {
        using var throttle = Throttle();

        Assert.True(throttle.Admit(Event(1)));
        clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.False(throttle.Admit(Event(2)));
        Assert.False(throttle.Admit(Event(3)));
        Assert.Empty(flushed);

        clock.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Empty(flushed);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([3L], flushed);

        // The flush counts as a send: a change right after it waits for the next one.
        Assert.False(throttle.Admit(Event(4)));
        clock.Advance(Every);
        Assert.Equal([3L, 4L], flushed);

        clock.Advance(Every);
        Assert.True(throttle.Admit(Event(5)));
        Assert.Equal([3L, 4L], flushed);
    }

    [Fact]
    public void Nothing_is_flushed_after_it_is_disposed()
    {
        var throttle = Throttle();
        Assert.True(throttle.Admit(Event(1)));
        Assert.False(throttle.Admit(Event(2)));

        throttle.Dispose();
        clock.Advance(Every);

        Assert.Empty(flushed);
    }
}
