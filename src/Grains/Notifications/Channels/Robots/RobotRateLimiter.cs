using System.Collections.Concurrent;

namespace Dispatch.Notifications.Channels.Robots;

/// <summary>How a robot's messages reach the wire: composed into parts, then posted one part at a time.</summary>
public interface IRobotWire
{
    /// <summary>The parts to post for <paramref name="batch"/> (one message, or several as a digest), each within the byte limit.</summary>
    IReadOnlyList<RobotPost> Render(IReadOnlyList<ChannelMessage> batch);

    /// <summary>Posts one part, signed at the moment it goes; never throws for the robot's own failures.</summary>
    Task<ChannelResult> PostAsync(ChannelTarget target, RobotPost part, CancellationToken cancellationToken);
}

/// <summary>
/// Keeps each robot under its vendor's limit without dropping anything. Every robot has one queue
/// and one pump posting from it in order. While the robot has budget, messages go out alone; the
/// last slot of a window, and the first slot after the budget ran out, carry everything waiting as
/// one digest. Each caller's task completes with the result of the post that carried its message.
/// Sliding windows on <see cref="TimeProvider"/> (System.Threading.RateLimiting's limiters keep
/// their own clock, so they cannot run on a fake one in tests).
/// </summary>
public sealed class RobotRateLimiter(IReadOnlyList<RateWindow> windows, TimeProvider time, IRobotWire wire) : IDisposable
{
    private readonly ConcurrentDictionary<string, Robot> robots = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private int disposed;
    private readonly TimeSpan longest = windows.Count == 0 ? TimeSpan.Zero : windows.Max(w => w.Span);

    public Task<ChannelResult> SendAsync(ChannelTarget target, ChannelMessage message, CancellationToken cancellationToken)
    {
        var robot = robots.GetOrAdd(target.Address, _ => new Robot());
        var waiting = new Waiting(target, message);
        bool start;
        lock (robot)
        {
            robot.Pending.Add(waiting);
            if (!HasSlot(robot, time.GetUtcNow()))
            {
                robot.Spent = true;
            }

            start = !robot.Pumping;
            robot.Pumping = true;
        }

        if (start)
        {
            // Off the caller's scheduler: the pump outlives the call that started it (a grain turn).
            _ = Task.Run(() => PumpAsync(robot), CancellationToken.None);
        }

        return WaitAsync(robot, waiting, cancellationToken);
    }

    /// <summary>Stops every pump; safe to call more than once (a container may hold a sender under two types).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        stopping.Cancel();
        stopping.Dispose();
    }

    private static async Task<ChannelResult> WaitAsync(Robot robot, Waiting waiting, CancellationToken cancellationToken)
    {
        try
        {
            return await waiting.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not posted yet: it never will be. Already on its way: the outbox may send it again.
            lock (robot) robot.Pending.Remove(waiting);
            throw;
        }
    }

    private async Task PumpAsync(Robot robot)
    {
        List<Waiting> batch = [];
        try
        {
            while (true)
            {
                DateTimeOffset freeAt;
                lock (robot)
                {
                    if (robot.Pending.Count == 0)
                    {
                        robot.Pumping = false;
                        return;
                    }

                    var now = time.GetUtcNow();
                    if (TryTake(robot, now, out freeAt, out var left))
                    {
                        var digest = robot.Pending.Count > 1 && (robot.Spent || left == 0);
                        batch = digest ? [.. robot.Pending] : [robot.Pending[0]];
                        robot.Pending.RemoveRange(0, batch.Count);
                        robot.Spent = false;
                    }
                    else
                    {
                        robot.Spent = true;
                        batch = [];
                    }
                }

                if (batch.Count == 0)
                {
                    await WaitUntilAsync(freeAt).ConfigureAwait(false);
                    continue;
                }

                ChannelResult result;
                try
                {
                    result = await PostAsync(robot, batch).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is not (OperationCanceledException or ObjectDisposedException))
                {
                    // A fault of ours, not the robot's: the messages stay with the outbox, the pump goes on.
                    result = new ChannelResult(ChannelOutcome.RetryLater, $"Posting failed: {exception.GetType().Name}.");
                }

                foreach (var waiting in batch)
                {
                    waiting.Done.TrySetResult(result);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
        {
            // Shutting down: whatever waits is tried again by the outbox.
            var stopped = new ChannelResult(ChannelOutcome.RetryLater, "The service is stopping.");
            foreach (var waiting in batch) waiting.Done.TrySetResult(stopped);
            lock (robot)
            {
                foreach (var waiting in robot.Pending) waiting.Done.TrySetResult(stopped);
                robot.Pending.Clear();
                robot.Pumping = false;
            }
        }
    }

    private async Task<ChannelResult> PostAsync(Robot robot, List<Waiting> batch)
    {
        var parts = wire.Render(batch.Select(w => w.Message).ToList());
        // The newest target carries the newest secret while a secret is being rotated.
        var target = batch[^1].Target;
        var result = ChannelResult.Delivered;
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                await AcquireAsync(robot).ConfigureAwait(false);
            }

            result = await wire.PostAsync(target, parts[i], stopping.Token).ConfigureAwait(false);
            if (result.Outcome != ChannelOutcome.Delivered)
            {
                if (result.Outcome == ChannelOutcome.RetryLater)
                {
                    // The vendor (or the network) asks for a pause: hold the whole robot, not just this post.
                    lock (robot) robot.BlockedUntil = time.GetUtcNow() + (result.RetryAfter ?? TimeSpan.FromSeconds(1));
                }

                break;
            }
        }

        return result;
    }

    private async Task AcquireAsync(Robot robot)
    {
        while (true)
        {
            DateTimeOffset freeAt;
            lock (robot)
            {
                if (TryTake(robot, time.GetUtcNow(), out freeAt, out _)) return;
                robot.Spent = true;
            }

            await WaitUntilAsync(freeAt).ConfigureAwait(false);
        }
    }

    private async Task WaitUntilAsync(DateTimeOffset until)
    {
        var now = time.GetUtcNow();
        if (now >= until) return;
        var delay = Task.Delay(until - now, time, stopping.Token);
        // The clock may have moved between reading it and arming the timer (a test's fake clock).
        if (time.GetUtcNow() >= until) return;
        await delay.ConfigureAwait(false);
    }

    private bool HasSlot(Robot robot, DateTimeOffset now) => Check(robot, now, out _, out _);

    private bool TryTake(Robot robot, DateTimeOffset now, out DateTimeOffset freeAt, out int left)
    {
        if (!Check(robot, now, out freeAt, out left)) return false;
        robot.Sent.Add(now);
        return true;
    }

    /// <summary>Whether a post may go now; if not, when it may; if so, how many more fit after it.</summary>
    private bool Check(Robot robot, DateTimeOffset now, out DateTimeOffset freeAt, out int left)
    {
        robot.Sent.RemoveAll(at => at <= now - longest);
        freeAt = robot.BlockedUntil > now ? robot.BlockedUntil : now;
        left = int.MaxValue;
        foreach (var window in windows)
        {
            var inWindow = robot.Sent.FindAll(at => at > now - window.Span);
            if (inWindow.Count >= window.Messages)
            {
                var frees = inWindow[inWindow.Count - window.Messages] + window.Span;
                if (frees > freeAt) freeAt = frees;
            }
            else
            {
                left = Math.Min(left, window.Messages - inWindow.Count - 1);
            }
        }

        return freeAt <= now;
    }

    private sealed class Robot
    {
        public List<Waiting> Pending { get; } = [];
        public List<DateTimeOffset> Sent { get; } = [];
        public bool Pumping { get; set; }
        public bool Spent { get; set; }
        public DateTimeOffset BlockedUntil { get; set; }
    }

    private sealed class Waiting(ChannelTarget target, ChannelMessage message)
    {
        public ChannelTarget Target { get; } = target;
        public ChannelMessage Message { get; } = message;
        public TaskCompletionSource<ChannelResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
