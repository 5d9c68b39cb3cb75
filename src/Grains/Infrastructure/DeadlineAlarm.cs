namespace Dispatch;

/// <summary>
/// Wakes a grain at its next deadline: one Orleans reminder, the durable backstop that also wakes
/// a grain not in memory, and, while the grain is in memory and the deadline near, a one-shot
/// grain timer that fires at it to the second.
/// </summary>
/// <remarks>
/// <para>
/// The owner keeps the time the reminder is registered for (<c>getDue</c>, <c>setDue</c>): in its
/// stored state when that must survive a deactivation, so the alarm knows whether a change needs a
/// reminder write at all (most do not).
/// </para>
/// <para>
/// A change must be stored whole or not at all, so the order is fixed: a reminder that must fire
/// earlier is registered before the state write (<see cref="BringReminderForwardAsync"/>, harmless
/// if the write then fails); one that may fire later, or not at all, is moved or dropped only after
/// the write succeeded (<see cref="SettleReminderAsync"/>). The timer is memory only and re-armed
/// after every change (<see cref="ArmTimer"/>); a farther deadline has no timer, since the reminder,
/// registered for it already, wakes the grain at the same moment (a timer per grain for days ahead
/// would keep the runtime's timer queue busy for nothing: docs/BENCHMARKS.md, armed deadlines).
/// </para>
/// </remarks>
public sealed class DeadlineAlarm(
    Grain grain,
    string reminderName,
    TimeSpan reminderPeriod,
    TimeProvider time,
    Func<DateTimeOffset?> getDue,
    Action<DateTimeOffset?> setDue,
    Func<Task> wake) : IDisposable
{
    /// <summary>How near a deadline must be for a grain timer; farther ones are woken by the reminder.</summary>
    public static readonly TimeSpan TimerHorizon = TimeSpan.FromMinutes(2);

    private IGrainTimer? timer;

    /// <summary>
    /// A one-shot timer that runs the wake-up at <paramref name="next"/> if that is within
    /// <see cref="TimerHorizon"/> (at once if it has passed); replaces the one armed before.
    /// </summary>
    public void ArmTimer(DateTimeOffset? next)
    {
        timer?.Dispose();
        timer = null;
        if (next is { } due && Max(due - time.GetUtcNow(), TimeSpan.Zero) is var delay && delay <= TimerHorizon)
        {
            timer = grain.RegisterGrainTimer(_ => wake(), delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// Before a write: makes sure a reminder wakes the grain no later than <paramref name="next"/>.
    /// A reminder still ahead and not after it is left alone (most changes cost no reminder write).
    /// </summary>
    public async Task BringReminderForwardAsync(DateTimeOffset? next)
    {
        if (next is not { } due)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (getDue() is { } at && at > now && at <= due)
        {
            return;
        }

        await grain.RegisterOrUpdateReminder(reminderName, Max(due - now, TimeSpan.Zero), reminderPeriod);
        setDue(due);
    }

    /// <summary>
    /// After a write (or a wake-up with nothing to do): drops the reminder when there is no
    /// deadline left, and re-arms one that has fired for the next deadline. Never moves a reminder
    /// later before the state saying so is stored.
    /// </summary>
    public async Task SettleReminderAsync(DateTimeOffset? next)
    {
        if (next is not null)
        {
            await BringReminderForwardAsync(next);
            return;
        }

        if (getDue() is not null)
        {
            if (await grain.GetReminder(reminderName) is { } reminder)
            {
                await grain.UnregisterReminder(reminder);
            }

            setDue(null);
        }
    }

    /// <summary>
    /// Call when the reminder fires. The time it was registered for has passed, so the next settle
    /// re-arms it for the real next deadline; unless the owner relies on its repeating every period
    /// (<paramref name="relyOnRepeat"/>), and then it counts as registered for the next repeat.
    /// </summary>
    public void ReminderFired(bool relyOnRepeat = false) =>
        setDue(relyOnRepeat ? time.GetUtcNow() + reminderPeriod : time.GetUtcNow());

    public void Dispose() => timer?.Dispose();

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
