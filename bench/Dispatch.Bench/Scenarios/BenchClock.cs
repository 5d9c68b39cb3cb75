namespace Dispatch.Bench.Scenarios;

/// <summary>
/// The grains' and reminders' clock in the deadline scenario: real time, on real timers, except
/// that it can be stopped for a while. Requests created while it is stopped all begin at the same
/// instant, so their deadlines fall due together: a burst of simultaneous deadlines, however long
/// creating them took. When it starts again it carries on from where it stopped (so it runs behind
/// real time from then on) and the timers that came due meanwhile fire at their time on this clock.
/// </summary>
/// <remarks>
/// Timers are kept by their due instant on this clock, not by a delay: a timer armed while the
/// clock is stopped waits until it runs again, and one that fires early (because the clock fell
/// behind) re-arms for what is left. Before the first <see cref="Stop"/> it behaves as the system clock.
/// </remarks>
internal sealed class BenchClock : TimeProvider
{
    private readonly Lock gate = new();
    private readonly HashSet<Timer> parked = [];
    private TimeSpan behind;
    private DateTimeOffset? stoppedAt;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return stoppedAt ?? System.GetUtcNow() - behind;
        }
    }

    public bool IsStopped
    {
        get
        {
            lock (gate)
            {
                return stoppedAt is not null;
            }
        }
    }

    /// <summary>Stops the clock at the current instant.</summary>
    public DateTimeOffset Stop()
    {
        lock (gate)
        {
            stoppedAt ??= System.GetUtcNow() - behind;
            return stoppedAt.Value;
        }
    }

    /// <summary>Starts the clock again from the instant it stopped at, and arms the timers that waited.</summary>
    public void Start()
    {
        Timer[] waiting;
        lock (gate)
        {
            if (stoppedAt is not { } at)
            {
                return;
            }

            behind = System.GetUtcNow() - at;
            stoppedAt = null;
            waiting = [.. parked];
            parked.Clear();
        }

        foreach (var timer in waiting)
        {
            timer.Arm();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new Timer(this, callback, state, dueTime, period);

    /// <summary>Parks the timer if the clock is stopped (in one step, so a concurrent <see cref="Start"/> cannot miss it).</summary>
    private bool ParkIfStopped(Timer timer)
    {
        lock (gate)
        {
            if (stoppedAt is null)
            {
                return false;
            }

            parked.Add(timer);
            return true;
        }
    }

    private void Unpark(Timer timer)
    {
        lock (gate)
        {
            parked.Remove(timer);
        }
    }

    /// <summary>A timer due at an instant of the <see cref="BenchClock"/>, on a system timer.</summary>
    private sealed class Timer : ITimer
    {
        private readonly BenchClock clock;
        private readonly TimerCallback callback;
        private readonly object? state;
        private readonly ITimer inner;
        private readonly Lock gate = new();
        private DateTimeOffset? due;
        private TimeSpan period;
        private bool disposed;

        public Timer(BenchClock clock, TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            this.clock = clock;
            this.callback = callback;
            this.state = state;
            inner = System.CreateTimer(static t => ((Timer)t!).Elapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            Change(dueTime, period);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (gate)
            {
                if (disposed)
                {
                    return false;
                }

                this.period = period;
                due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
            }

            Arm();
            return true;
        }

        /// <summary>Sets the system timer for what is left until the due instant; parks it while the clock is stopped.</summary>
        public void Arm()
        {
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                if (due is not { } at)
                {
                    inner.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    return;
                }

                if (clock.ParkIfStopped(this))
                {
                    inner.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    return;
                }

                var left = at - clock.GetUtcNow();
                inner.Change(left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                disposed = true;
                inner.Dispose();
            }

            clock.Unpark(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Elapsed()
        {
            bool fire;
            lock (gate)
            {
                if (disposed || due is not { } at)
                {
                    return;
                }

                // Stopped meanwhile, or the clock fell behind since this was armed: wait for the rest.
                var now = clock.GetUtcNow();
                fire = !clock.IsStopped && now >= at;
                if (fire)
                {
                    due = period > TimeSpan.Zero && period != Timeout.InfiniteTimeSpan ? Later(at + period, now) : null;
                }
            }

            Arm();
            if (fire)
            {
                callback(state);
            }
        }

        private static DateTimeOffset Later(DateTimeOffset next, DateTimeOffset now) => next > now ? next : now;
    }
}
