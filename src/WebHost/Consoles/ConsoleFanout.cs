using System.Collections.Concurrent;
using Dispatch.Common;
using Dispatch.Consoles;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Dispatch.WebHost.Consoles;

/// <summary>
/// This host's end of the live feeds. One observer per host is subscribed to the feed of each
/// place its consoles watch (and only those). Each event is made into hub messages once and the
/// same serialized bytes are written to every console watching (not serialized per console).
/// Each console has its own bounded outbox, so a slow console only ever falls behind itself: when
/// its outbox is full it is told to resync, and is sent nothing more for that place until it resumes.
/// While a place's requests change, its counters travel in each <c>requestChanged</c>, and its
/// <c>countersChanged</c> goes out at most once per <see cref="CountersEvery"/> (the latest, by a
/// trailing flush); an event without a request, whose only message it is, always sends it.
/// </summary>
public sealed partial class ConsoleFanout : IConsoleObserver, IHostedService, IDisposable
{
    /// <summary>Events one console may have waiting before it is told to resync.</summary>
    public const int OutboxCapacity = 1000;

    /// <summary>The most often a place's <c>countersChanged</c> is sent while its requests change.</summary>
    public static readonly TimeSpan CountersEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>How often subscriptions are renewed (they lapse after the place feed grain's subscription lifetime, 5 minutes).</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);

    private readonly IGrainFactory grains;
    private readonly ConsoleConnections connections;
    private readonly ILogger<ConsoleFanout> logger;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Outbox>> watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Outbox>> outboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> epochs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CountersThrottle> throttles = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lazy<IConsoleObserver> reference;
    private Task? renewal;

    public ConsoleFanout(IGrainFactory grains, ConsoleConnections connections, ILogger<ConsoleFanout> logger, TimeProvider time)
    {
        this.grains = grains;
        this.connections = connections;
        this.logger = logger;
        this.time = time;

        // One observer per host: every feed this host watches pushes to the same reference.
        reference = new(() => grains.CreateObjectReference<IConsoleObserver>(this));
    }

    public async Task Watch(string connectionId, string placeId)
    {
        var connection = connections.Find(connectionId) ?? throw new HubException("disconnected: the connection is closed.");
        var outbox = outboxes.GetOrAdd(connectionId, _ => new Lazy<Outbox>(() => new Outbox(connection, this))).Value;
        outbox.Resynced(placeId);
        var watching = watchers.GetOrAdd(placeId, _ => new ConcurrentDictionary<string, Outbox>(StringComparer.Ordinal));
        watching[connectionId] = outbox;

        // Subscribing again is harmless; it also renews a subscription about to lapse.
        epochs[placeId] = await Feed(placeId).Subscribe(reference.Value);
    }

    public async Task Unwatch(string connectionId, string placeId)
    {
        if (watchers.TryGetValue(placeId, out var watching) && watching.TryRemove(connectionId, out _) && watching.IsEmpty)
        {
            await StopWatching(placeId);
        }
    }

    public async Task Disconnected(string connectionId)
    {
        foreach (var (placeId, watching) in watchers)
        {
            if (watching.TryRemove(connectionId, out _) && watching.IsEmpty)
            {
                await StopWatching(placeId);
            }
        }

        if (outboxes.TryRemove(connectionId, out var outbox) && outbox.IsValueCreated)
        {
            outbox.Value.Dispose();
        }
    }

    /// <summary>Called by the feeds (one-way): hand the event, serialized once, to each watching console's outbox; never wait.</summary>
    public Task OnEvent(ConsoleEvent consoleEvent)
    {
        if (watchers.TryGetValue(consoleEvent.PlaceId, out var watching) && !watching.IsEmpty)
        {
            var counters = consoleEvent.Request is null || Throttle(consoleEvent.PlaceId).Admit(consoleEvent);
            Post(watching, new Delivery(consoleEvent, changes: true, counters));
        }

        return Task.CompletedTask;
    }

    private static void Post(ConcurrentDictionary<string, Outbox> watching, Delivery delivery)
    {
        foreach (var outbox in watching.Values)
        {
            outbox.Post(delivery);
        }
    }

    private CountersThrottle Throttle(string placeId) =>
        throttles.GetOrAdd(placeId, id => new CountersThrottle(time, CountersEvery, pending =>
        {
            if (watchers.TryGetValue(id, out var watching) && !watching.IsEmpty)
            {
                Post(watching, new Delivery(pending, changes: false, counters: true));
            }
        }));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        renewal = RenewSubscriptions(stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (renewal is not null)
        {
            await renewal.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose()
    {
        stopping.Dispose();
        foreach (var throttle in throttles.Values)
        {
            throttle.Dispose();
        }

        foreach (var outbox in outboxes.Values.Where(o => o.IsValueCreated))
        {
            outbox.Value.Dispose();
        }
    }

    /// <summary>A hub message as the clients API would send it: <paramref name="argument"/> is the single argument.</summary>
    private static SerializedHubMessage Message(string method, object argument) => new(new InvocationMessage(method, [argument]));

    private static SerializedHubMessage ResyncMessage(string placeId) => Message("resync", new { placeId });

    private async Task RenewSubscriptions(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RenewEvery);
        while (await Tick(timer, cancellationToken))
        {
            foreach (var (placeId, watching) in watchers)
            {
                if (watching.IsEmpty)
                {
                    continue;
                }

                try
                {
                    // A new epoch means the feed was rebuilt and pushed nothing here meanwhile: its consoles must catch up.
                    var epoch = await Feed(placeId).Subscribe(reference.Value);
                    if (epochs.TryGetValue(placeId, out var known) && known != epoch)
                    {
                        var resync = ResyncMessage(placeId);
                        foreach (var outbox in watching.Values)
                        {
                            outbox.FellBehind(placeId, resync);
                        }
                    }

                    epochs[placeId] = epoch;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRenewalFailed(exception, placeId);
                }
            }
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private IPlaceFeedGrain Feed(string placeId) => grains.GetGrain<IPlaceFeedGrain>(GrainKeys.Feed(placeId));

    /// <summary>The last console of a place left this host: stop the feed pushing here.</summary>
    private async Task StopWatching(string placeId)
    {
        if (watchers.TryGetValue(placeId, out var watching) && watching.IsEmpty)
        {
            watchers.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, Outbox>>(placeId, watching));
            epochs.TryRemove(placeId, out _);
            if (throttles.TryRemove(placeId, out var throttle))
            {
                throttle.Dispose();
            }

            try
            {
                await Feed(placeId).Unsubscribe(reference.Value);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRenewalFailed(exception, placeId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the console subscription of place {PlaceId} failed")]
    private partial void LogRenewalFailed(Exception exception, string placeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Console {ConnectionId} fell behind on {PlaceId} and was told to resync")]
    private partial void LogResync(string connectionId, string placeId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending to console {ConnectionId} failed")]
    private partial void LogSendFailed(Exception exception, string connectionId);

    /// <summary>
    /// One event's hub messages, shared by every console that gets it: each is serialized at most
    /// once per protocol (<see cref="SerializedHubMessage"/> caches the bytes), and only if sent.
    /// </summary>
    /// <param name="changes">Its <c>requestChanged</c> and <c>alertRaised</c> (false for a trailing counters flush).</param>
    /// <param name="counters">Its <c>countersChanged</c>, sent to a console whose counters it changes.</param>
    private sealed class Delivery(ConsoleEvent consoleEvent, bool changes, bool counters)
    {
        public ConsoleEvent Event { get; } = consoleEvent;

        public SerializedHubMessage? RequestChanged { get; } = changes && consoleEvent.Request is not null ? Message("requestChanged", consoleEvent) : null;

        public SerializedHubMessage? AlertRaised { get; } = changes && consoleEvent.IsAlert ? Message("alertRaised", consoleEvent) : null;

        public SerializedHubMessage? CountersChanged { get; } = counters
            ? Message("countersChanged", new { placeId = consoleEvent.PlaceId, seq = consoleEvent.Seq, counters = consoleEvent.Counters })
            : null;

        public bool IsChange => changes;
    }

    /// <summary>
    /// One console's queue of events, written in order. An idle console is written to at once by
    /// whoever posts; only a console whose connection is not keeping up has a send loop, which
    /// drains its queue and ends when the queue is empty.
    /// </summary>
    private sealed class Outbox : IDisposable
    {
        private readonly HubConnectionContext connection;
        private readonly ConsoleFanout owner;
        private readonly Lock gate = new();
        private readonly Queue<Delivery> waiting = new();
        private readonly HashSet<string> behind = new(StringComparer.Ordinal);
        private readonly Dictionary<string, PlaceCounters> lastCounters = new(StringComparer.Ordinal);

        // Whoever set it is the only writer (of events) until it clears it: that keeps the order.
        private bool sending;
        private bool disposed;

        public Outbox(HubConnectionContext connection, ConsoleFanout owner)
        {
            this.connection = connection;
            this.owner = owner;

            // A console connection counts as active from its first watch until it disconnects.
            DispatchMetrics.ConsoleWatching(+1);
        }

        public void Post(Delivery delivery)
        {
            var placeId = delivery.Event.PlaceId;
            bool full;
            lock (gate)
            {
                if (disposed || behind.Contains(placeId))
                {
                    return;
                }

                if (!sending)
                {
                    sending = true;
                    full = false;
                }
                else if (waiting.Count < OutboxCapacity)
                {
                    waiting.Enqueue(delivery);
                    return;
                }
                else
                {
                    full = true;
                }
            }

            if (full)
            {
                FellBehind(placeId, ResyncMessage(placeId));
            }
            else
            {
                _ = Send(delivery);
            }
        }

        /// <summary>Stops sending the place's events and tells the console to catch up with Resume.</summary>
        public void FellBehind(string placeId, SerializedHubMessage resync)
        {
            lock (gate)
            {
                if (disposed || !behind.Add(placeId))
                {
                    return;
                }

                // They would never be sent: free their room for the console's other places.
                var kept = waiting.Where(d => !string.Equals(d.Event.PlaceId, placeId, StringComparison.Ordinal)).ToArray();
                waiting.Clear();
                foreach (var delivery in kept)
                {
                    waiting.Enqueue(delivery);
                }
            }

            owner.LogResync(connection.ConnectionId, placeId);
            _ = connection.WriteAsync(resync).AsTask();
        }

        /// <summary>The console asked again (watch or resume): send it events for the place again.</summary>
        public void Resynced(string placeId)
        {
            lock (gate)
            {
                behind.Remove(placeId);
                lastCounters.Remove(placeId);
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                disposed = true;
                waiting.Clear();
            }

            DispatchMetrics.ConsoleWatching(-1);
        }

        /// <summary>Writes the delivery, then whatever was queued meanwhile; runs synchronously while the connection keeps up.</summary>
        private async Task Send(Delivery first)
        {
            var next = first;
            while (next is not null)
            {
                try
                {
                    // Continue on the thread pool, not on whatever scheduler the feed's call came in on.
                    await Write(next).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    owner.LogSendFailed(exception, connection.ConnectionId);
                }

                lock (gate)
                {
                    next = null;
                    while (waiting.TryDequeue(out var queued))
                    {
                        if (!behind.Contains(queued.Event.PlaceId))
                        {
                            next = queued;
                            break;
                        }
                    }

                    sending = next is not null;
                }
            }
        }

        private async ValueTask Write(Delivery delivery)
        {
            var consoleEvent = delivery.Event;
            if (delivery.RequestChanged is { } requestChanged)
            {
                await connection.WriteAsync(requestChanged).ConfigureAwait(false);
            }

            if (delivery.AlertRaised is { } alertRaised)
            {
                await connection.WriteAsync(alertRaised).ConfigureAwait(false);
            }

            if (delivery.CountersChanged is { } counters && ChangesCounters(consoleEvent))
            {
                await connection.WriteAsync(counters).ConfigureAwait(false);
            }

            if (delivery.IsChange)
            {
                DispatchMetrics.FanoutLag(owner.time.GetUtcNow() - consoleEvent.At);
            }
        }

        /// <summary>True when this console has not yet been sent these counters for the place (and they are now its last).</summary>
        private bool ChangesCounters(ConsoleEvent consoleEvent)
        {
            lock (gate)
            {
                if (lastCounters.TryGetValue(consoleEvent.PlaceId, out var last) && last == consoleEvent.Counters)
                {
                    return false;
                }

                lastCounters[consoleEvent.PlaceId] = consoleEvent.Counters;
                return true;
            }
        }
    }
}
