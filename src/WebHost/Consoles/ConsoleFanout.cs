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
/// </summary>
public sealed partial class ConsoleFanout : IConsoleObserver, IHostedService, IDisposable
{
    /// <summary>Events one console may have waiting before it is told to resync.</summary>
    public const int OutboxCapacity = 1000;

    /// <summary>How often subscriptions are renewed (they lapse after the place feed grain's subscription lifetime, 5 minutes).</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);

    private readonly IGrainFactory grains;
    private readonly ConsoleConnections connections;
    private readonly ILogger<ConsoleFanout> logger;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Outbox>> watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Outbox>> outboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> epochs = new(StringComparer.Ordinal);
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
            var delivery = new Delivery(consoleEvent);
            foreach (var outbox in watching.Values)
            {
                outbox.Post(delivery);
            }
        }

        return Task.CompletedTask;
    }

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
    private sealed class Delivery(ConsoleEvent consoleEvent)
    {
        public ConsoleEvent Event { get; } = consoleEvent;

        public SerializedHubMessage? RequestChanged { get; } = consoleEvent.Request is null ? null : Message("requestChanged", consoleEvent);

        public SerializedHubMessage? AlertRaised { get; } = consoleEvent.IsAlert ? Message("alertRaised", consoleEvent) : null;

        public SerializedHubMessage CountersChanged { get; } =
            Message("countersChanged", new { placeId = consoleEvent.PlaceId, seq = consoleEvent.Seq, counters = consoleEvent.Counters });
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

            bool countersChanged;
            lock (gate)
            {
                countersChanged = !lastCounters.TryGetValue(consoleEvent.PlaceId, out var last) || last != consoleEvent.Counters;
                if (countersChanged)
                {
                    lastCounters[consoleEvent.PlaceId] = consoleEvent.Counters;
                }
            }

            if (countersChanged)
            {
                await connection.WriteAsync(delivery.CountersChanged).ConfigureAwait(false);
            }

            DispatchMetrics.FanoutLag(owner.time.GetUtcNow() - consoleEvent.At);
        }
    }
}
