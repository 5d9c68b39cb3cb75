using Dispatch.Consoles;

namespace Dispatch.WebHost.Consoles;

/// <summary>
/// A place's <c>countersChanged</c> at most once per <paramref name="every"/>: the first
/// after a quiet spell goes at once; later ones wait, and only the latest is flushed when the
/// interval is up (its <c>seq</c> is one the consoles already have from its <c>requestChanged</c>).
/// </summary>
public sealed class CountersThrottle(TimeProvider time, TimeSpan every, Action<ConsoleEvent> flush) : IDisposable
{
    private readonly Lock gate = new();
    private DateTimeOffset? lastSent;
    private ConsoleEvent? pending;
    private ITimer? timer;

    /// <summary>True when the event's counters go now; otherwise they are kept for the flush.</summary>
    public bool Admit(ConsoleEvent consoleEvent)
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (pending is null && (lastSent is not { } last || now - last >= every))
            {
                lastSent = now;
                return true;
            }

            pending = consoleEvent;
            var due = lastSent is { } sent ? sent + every - now : TimeSpan.Zero;
            timer ??= time.CreateTimer(_ => Flush(), null, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            return false;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            timer?.Dispose();
            timer = null;
            pending = null;
        }
    }

    private void Flush()
    {
        ConsoleEvent? latest;
        lock (gate)
        {
            latest = pending;
            pending = null;
            timer?.Dispose();
            timer = null;
            lastSent = time.GetUtcNow();
        }

        if (latest is not null)
        {
            flush(latest);
        }
    }
}
