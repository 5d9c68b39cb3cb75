using Microsoft.Extensions.Logging;

namespace Dispatch.Requests;

/// <summary>
/// Stores a request grain's state together with its wake-ups, in the alarm's order: the reminder
/// brought forward, the state (or the activation dropped and the undelivered notices forgotten),
/// the timer, then the reminder moved later or dropped. Keeps what was last stored for the reads
/// that interleave with a write.
/// </summary>
/// <param name="wake">What the timer and the reminder run: the grain's deadline turn.</param>
internal sealed partial class RequestStorage(
    Grain grain, IPersistentState<RequestGrain.State> state, TimeProvider time, ILogger logger, Func<Task> wake) : IDisposable
{
    // The time its reminder is registered for is stored with the request, so it survives a deactivation.
    private readonly DeadlineAlarm alarm = new(
        grain, RequestGrain.DeadlineReminder, RequestGrain.ReminderPeriod, time,
        () => state.State.ReminderDue, due => state.State.ReminderDue = due, wake);

    public ServiceRequest? Request
    {
        get => state.State.Request;
        set => state.State.Request = value;
    }

    /// <summary>The request as last stored: what interleaved reads answer, while a change may be being written.</summary>
    public RequestSummary? Committed { get; private set; }

    /// <summary>
    /// On activation: deadlines that passed while the grain was away are applied by the timer's
    /// first tick, in a turn of its own, never inside the call that activated the grain.
    /// </summary>
    public void Activated()
    {
        Committed = Request?.ToSummary();
        alarm.ArmTimer(NextWake());
    }

    /// <summary>Stores a change already made in memory (see the class summary for the order).</summary>
    public async Task Store()
    {
        // The next wake-up, worked out once for the reminder, the timer and the reminder again.
        var due = NextWake();
        await state.WriteOrReloadAsync(grain, exception =>
        {
            LogWriteFailed(exception, grain.GetPrimaryKey());
            Request?.ForgetNotices();
        }, first: () => alarm.BringReminderForwardAsync(due));

        Committed = Request?.ToSummary();
        alarm.ArmTimer(due);
        try
        {
            await alarm.SettleReminderAsync(due);
        }
        catch (Exception exception)
        {
            // Stored already; the earlier reminder stays and re-arms itself when it fires.
            LogReminderFailed(exception, grain.GetPrimaryKey());
        }
    }

    /// <summary>A turn with nothing to store still moves the wake-ups to what is due now.</summary>
    public async Task Reschedule()
    {
        var next = NextWake();
        await alarm.SettleReminderAsync(next);
        alarm.ArmTimer(next);
    }

    public void ReminderFired() => alarm.ReminderFired();

    public void Dispose() => alarm.Dispose();

    /// <summary>When the grain must wake next: the next deadline, or sooner while outboxes wait for their receivers.</summary>
    private DateTimeOffset? NextWake()
    {
        var due = Request?.NextDue;
        if (Request is { HasUndelivered: true })
        {
            var retry = time.GetUtcNow() + RequestGrain.PostingRetry;
            return due is { } deadline && deadline < retry ? deadline : retry;
        }

        return due;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing request {RequestId} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, Guid requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} was stored, but moving its reminder failed")]
    private partial void LogReminderFailed(Exception exception, Guid requestId);
}
