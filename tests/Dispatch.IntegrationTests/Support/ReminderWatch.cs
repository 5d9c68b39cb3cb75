using Orleans.Reminders.Diagnostics;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// Explicit barriers on one grain's reminders, from the reminder service's diagnostic events
/// (process-wide, hence the filter on the grain): when the service has its next tick armed on
/// the clock, and when a tick has been delivered to the grain and answered. Only events raised
/// after the watch was made count.
/// </summary>
public sealed class ReminderWatch : IObserver<ReminderEvents.ReminderEvent>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string grainKey;
    private readonly TaskCompletionSource armed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable subscription;

    public ReminderWatch(Guid grainKey)
        : this(grainKey.ToString("N"))
    {
    }

    /// <summary>Watches the grain with the string key <paramref name="grainKey"/> (<c>place:m1</c>).</summary>
    public ReminderWatch(string grainKey)
    {
        this.grainKey = grainKey;
        subscription = ReminderEvents.AllEvents.Subscribe(this);
    }

    /// <summary>Completes when the reminder service waits on its clock for the grain's next tick.</summary>
    public Task Armed() => Within(armed.Task, "no reminder tick was armed");

    /// <summary>Completes when a tick has been delivered and the grain's reminder turn has finished.</summary>
    public Task Delivered() => Within(delivered.Task, "no reminder tick was delivered");

    public void OnNext(ReminderEvents.ReminderEvent value)
    {
        if (!value.GrainId.ToString().Contains(grainKey, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        switch (value)
        {
            case ReminderEvents.LocalReminderTickWaitArmed:
                armed.TrySetResult();
                break;
            case ReminderEvents.TickCompleted:
                delivered.TrySetResult();
                break;
            case ReminderEvents.TickFailed failed:
                delivered.TrySetException(failed.Exception);
                break;
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => subscription.Dispose();

    // Real time bounds only how long the test waits for the host; the outcome is decided on the fake clock.
    private static async Task Within(Task task, string failure)
    {
        try
        {
            await task.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{failure} within {Patience.TotalSeconds} s.");
        }
    }
}
