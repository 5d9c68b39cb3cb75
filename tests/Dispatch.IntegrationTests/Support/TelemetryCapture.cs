using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// Everything a process emits while it is alive: every log record of the host it is added to
/// (message, state and exception), and every activity and metric measurement of the process, with
/// their tags, as text to search.
/// </summary>
public sealed class TelemetryCapture : ILoggerProvider, IDisposable
{
    private readonly ConcurrentQueue<string> logs = new();
    private readonly ConcurrentQueue<string> traces = new();
    private readonly ConcurrentQueue<string> metrics = new();
    private readonly ActivityListener activities;
    private readonly MeterListener meters;

    public TelemetryCapture()
    {
        activities = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => traces.Enqueue(Describe(activity)),
        };
        ActivitySource.AddActivityListener(activities);

        meters = new MeterListener { InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument) };
        meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Measured(instrument, tags));
        meters.SetMeasurementEventCallback<int>((instrument, _, tags, _) => Measured(instrument, tags));
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Measured(instrument, tags));
        meters.Start();
    }

    public IReadOnlyCollection<string> Logs => logs;

    public IReadOnlyCollection<string> Traces => traces;

    public IReadOnlyCollection<string> Metrics => metrics;

    public IEnumerable<string> All => logs.Concat(traces).Concat(metrics);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, logs);

    public void Dispose()
    {
        activities.Dispose();
        meters.Dispose();
    }

    private void Measured(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new System.Text.StringBuilder(instrument.Meter.Name).Append(' ').Append(instrument.Name);
        foreach (var tag in tags)
        {
            text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
        }

        metrics.Enqueue(text.ToString());
    }

    /// <summary>An activity as searchable text: source, name, status, tags, baggage, events and their tags.</summary>
    public static string Describe(Activity activity)
    {
        var text = new System.Text.StringBuilder(activity.Source.Name).Append(' ').Append(activity.DisplayName).Append(' ').Append(activity.StatusDescription);
        foreach (var tag in activity.TagObjects)
        {
            text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
        }

        foreach (var item in activity.Baggage)
        {
            text.Append(" baggage ").Append(item.Key).Append('=').Append(item.Value);
        }

        foreach (var activityEvent in activity.Events)
        {
            text.Append(" event ").Append(activityEvent.Name);
            foreach (var tag in activityEvent.Tags)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            }
        }

        return text.ToString();
    }

    /// <summary>A log record as searchable text: category, message, every state value, the exception.</summary>
    public static string Describe<TState>(string category, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var text = new System.Text.StringBuilder(category).Append(' ').Append(formatter(state, exception));
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                text.Append(' ').Append(key).Append('=').Append(value);
            }
        }

        return text.Append(' ').Append(exception).ToString();
    }

    private sealed class Logger(string category, ConcurrentQueue<string> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            logs.Enqueue(Describe(category, state, exception, formatter));
    }
}
