using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// Watches the whole test run for the beneficiary contact that <see cref="DispatchClient.CreateRequest"/>
/// gives every request it publishes: every activity of the process, and every log record at Debug
/// and above of every in-process host (<see cref="DispatchApp"/> adds <see cref="Provider"/>). A host
/// that stops fails its test class when the contact was seen anywhere since the run began.
/// </summary>
public static class ContactSentinel
{
    /// <summary>The phone of every request <see cref="DispatchClient.CreateRequest"/> publishes; used nowhere else.</summary>
    public const string Phone = "138-5550-0199";

    private static readonly ConcurrentQueue<string> Sightings = new();

    [ModuleInitializer]
    internal static void WatchActivities() =>
        ActivitySource.AddActivityListener(new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Inspect,
        });

    /// <summary>Throws when the contact appeared in any log record or activity so far.</summary>
    public static void ThrowIfSighted()
    {
        if (!Sightings.IsEmpty)
        {
            throw new InvalidOperationException(
                $"A beneficiary's contact ({Phone}) appeared in telemetry:{Environment.NewLine}{string.Join(Environment.NewLine, Sightings.Take(5))}");
        }
    }

    private static void Inspect(Activity activity)
    {
        if (TelemetryCapture.Describe(activity) is var text && text.Contains(Phone, StringComparison.Ordinal))
        {
            Sightings.Enqueue($"trace {text}");
        }
    }

    /// <summary>Reads every log record of its host from Debug up, whatever the host's own log levels.</summary>
    public sealed class Provider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (TelemetryCapture.Describe(category, state, exception, formatter) is var text && text.Contains(Phone, StringComparison.Ordinal))
            {
                Sightings.Enqueue($"log {logLevel} {text}");
            }
        }
    }
}
