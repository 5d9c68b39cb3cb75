using System.Collections.Concurrent;
using System.Threading.Channels;
using Dispatch.Common;
using Dispatch.Consoles;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.WebHost.Consoles;

/// <summary>
/// This host's end of the live feeds. One observer per host is subscribed to the feed of each
/// place its consoles watch (and only those); each console has its own bounded outbox, so a slow
/// console only ever falls behind itself: when its outbox is full it is told to resync, and is
/// sent nothing more for that place until it resumes.
/// </summary>
public sealed partial class ConsoleFanout : IConsoleObserver, IHostedService, IDisposable
{
    /// <summary>Events one console may have waiting before it is told to resync.</summary>
    public const int OutboxCapacity = 1000;

    /// <summary>How often subscriptions are renewed (they lapse after <see cref="Dispatch.Consoles.PlaceFeedGrain.SubscriptionLifetime"/>).</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);

    private readonly IGrainFactory grains;
    private readonly IHubContext<ConsoleHub> hub;
    private readonly ILogger<ConsoleFanout> logger;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Outbox>> outboxes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> epochs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lazy<IConsoleObserver> reference;
    private Task? renewal;

    public ConsoleFanout(IGrainFactory grains, IHubContext<ConsoleHub> hub, ILogger<ConsoleFanout> logger, TimeProvider time)
    {
        this.grains = grains;
        this.hub = hub;
        this.logger = logger;
        this.time = time;

        // One observer per host: every feed this host watches pushes to the same reference.
        reference = new(() => grains.CreateObjectReference<IConsoleObserver>(this));
    }

    public async Task Watch(string connectionId, string placeId)
    {
        outboxes.GetOrAdd(connectionId, id => new Lazy<Outbox>(() => new Outbox(id, this))).Value.Resynced(placeId);
        var connections = watchers.GetOrAdd(placeId, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        connections[connectionId] = 0;

        // Subscribing again is harmless; it also renews a subscription about to lapse.
        epochs[placeId] = await Feed(placeId).Subscribe(reference.Value);
    }

    public async Task Unwatch(string connectionId, string placeId)
    {
        if (watchers.TryGetValue(placeId, out var connections) && connections.TryRemove(connectionId, out _) && connections.IsEmpty)
        {
            await StopWatching(placeId);
        }
    }

    public async Task Disconnected(string connectionId)
    {
        foreach (var (placeId, connections) in watchers)
        {
            if (connections.TryRemove(connectionId, out _) && connections.IsEmpty)
            {
                await StopWatching(placeId);
            }
        }

        if (outboxes.TryRemove(connectionId, out var outbox) && outbox.IsValueCreated)
        {
            outbox.Value.Dispose();
        }
    }

    /// <summary>Called by the feeds (one-way): hand the event to each watching console's outbox, never wait.</summary>
    public Task OnEvent(ConsoleEvent consoleEvent)
    {
        if (watchers.TryGetValue(consoleEvent.PlaceId, out var connections))
        {
            foreach (var connectionId in connections.Keys)
            {
                if (outboxes.TryGetValue(connectionId, out var outbox))
                {
                    outbox.Value.Post(consoleEvent);
                }
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

    private async Task RenewSubscriptions(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RenewEvery);
        while (await Tick(timer, cancellationToken))
        {
            foreach (var (placeId, connections) in watchers)
            {
                if (connections.IsEmpty)
                {
                    continue;
                }

                try
                {
                    // A new epoch means the feed was rebuilt and pushed nothing here meanwhile: its consoles must catch up.
                    var epoch = await Feed(placeId).Subscribe(reference.Value);
                    if (epochs.TryGetValue(placeId, out var known) && known != epoch)
                    {
                        foreach (var connectionId in connections.Keys)
                        {
                            if (outboxes.TryGetValue(connectionId, out var outbox))
                            {
                                outbox.Value.FellBehind(placeId);
                            }
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
        if (watchers.TryGetValue(placeId, out var connections) && connections.IsEmpty)
        {
            watchers.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, byte>>(placeId, connections));
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

    /// <summary>One console's queue of events, sent in order by its own loop.</summary>
    private sealed class Outbox : IDisposable
    {
        private readonly string connectionId;
        private readonly ConsoleFanout owner;
        private readonly Channel<ConsoleEvent> events = Channel.CreateBounded<ConsoleEvent>(
            new BoundedChannelOptions(OutboxCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        private readonly ConcurrentDictionary<string, byte> behind = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, PlaceCounters> lastCounters = new(StringComparer.Ordinal);
        private int disposed;

        public Outbox(string connectionId, ConsoleFanout owner)
        {
            this.connectionId = connectionId;
            this.owner = owner;

            // A console connection counts as active from its first watch until it disconnects.
            DispatchMetrics.ConsoleWatching(+1);
            _ = Pump();
        }

        public void Post(ConsoleEvent consoleEvent)
        {
            if (behind.ContainsKey(consoleEvent.PlaceId))
            {
                return;
            }

            if (!events.Writer.TryWrite(consoleEvent))
            {
                FellBehind(consoleEvent.PlaceId);
            }
        }

        /// <summary>Stops sending the place's events and tells the console to catch up with Resume.</summary>
        public void FellBehind(string placeId)
        {
            if (behind.TryAdd(placeId, 0))
            {
                owner.LogResync(connectionId, placeId);
                _ = owner.hub.Clients.Client(connectionId).SendAsync("resync", new { placeId });
            }
        }

        /// <summary>The console asked again (watch or resume): send it events for the place again.</summary>
        public void Resynced(string placeId)
        {
            behind.TryRemove(placeId, out _);
            lastCounters.TryRemove(placeId, out _);
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                DispatchMetrics.ConsoleWatching(-1);
            }

            events.Writer.TryComplete();
        }

        private async Task Pump()
        {
            var client = owner.hub.Clients.Client(connectionId);
            await foreach (var consoleEvent in events.Reader.ReadAllAsync())
            {
                if (behind.ContainsKey(consoleEvent.PlaceId))
                {
                    continue;
                }

                try
                {
                    if (consoleEvent.Request is not null)
                    {
                        await client.SendAsync("requestChanged", consoleEvent);
                    }

                    if (consoleEvent.IsAlert)
                    {
                        await client.SendAsync("alertRaised", consoleEvent);
                    }

                    if (!lastCounters.TryGetValue(consoleEvent.PlaceId, out var last) || last != consoleEvent.Counters)
                    {
                        lastCounters[consoleEvent.PlaceId] = consoleEvent.Counters;
                        await client.SendAsync("countersChanged", new { placeId = consoleEvent.PlaceId, seq = consoleEvent.Seq, counters = consoleEvent.Counters });
                    }

                    DispatchMetrics.FanoutLag(owner.time.GetUtcNow() - consoleEvent.At);
                }
                catch (Exception exception)
                {
                    owner.LogSendFailed(exception, connectionId);
                }
            }
        }
    }
}
