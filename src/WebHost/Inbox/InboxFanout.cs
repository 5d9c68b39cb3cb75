using System.Collections.Concurrent;
using Dispatch.Notifications;
using Dispatch.WebHost.Consoles;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.WebHost.Inbox;

/// <summary>
/// This host's end of the live inboxes: one observer per host, subscribed to the inbox of each
/// person with a connection here (renewed while they stay). A change goes to the hub group
/// <c>inbox:{username}</c> as <c>inboxChanged</c> ({username, item, unread}), so every desk and
/// phone of that person, and nobody else, gets it.
/// </summary>
public sealed partial class InboxFanout : IInboxObserver, IHostedService, IDisposable
{
    public const string ChangedMethod = "inboxChanged";

    private readonly IGrainFactory grains;
    private readonly IHubContext<ConsoleHub> hub;
    private readonly ILogger<InboxFanout> logger;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> watchers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lazy<IInboxObserver> reference;
    private Task? renewal;

    public InboxFanout(IGrainFactory grains, IHubContext<ConsoleHub> hub, ILogger<InboxFanout> logger)
    {
        this.grains = grains;
        this.hub = hub;
        this.logger = logger;
        reference = new(() => grains.CreateObjectReference<IInboxObserver>(this));
    }

    public static string Group(string username) => InboxKeys.Inbox(username);

    /// <summary>The connection gets the person's inbox changes from now on; answers their unread count.</summary>
    public async Task<int> Watch(string connectionId, string username)
    {
        watchers.GetOrAdd(username, _ => new(StringComparer.Ordinal))[connectionId] = 0;
        await hub.Groups.AddToGroupAsync(connectionId, Group(username));
        return await Inbox(username).Subscribe(reference.Value);
    }

    public async Task Disconnected(string connectionId)
    {
        foreach (var (username, connections) in watchers)
        {
            if (connections.TryRemove(connectionId, out _) && connections.IsEmpty
                && watchers.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, byte>>(username, connections)))
            {
                try
                {
                    await Inbox(username).Unsubscribe(reference.Value);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogRenewalFailed(exception, username);
                }
            }
        }
    }

    /// <summary>Called by the inboxes (one-way): passed on to the person's group; never waits.</summary>
    public Task OnInboxChanged(InboxChange change)
    {
        _ = Send(change);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        renewal = Renew(stopping.Token);
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

    public void Dispose() => stopping.Dispose();

    private async Task Send(InboxChange change)
    {
        try
        {
            await hub.Clients.Group(Group(change.Username)).SendAsync(ChangedMethod, change).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogSendFailed(exception, change.Username);
        }
    }

    private async Task Renew(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ConsoleFanout.RenewEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var username in watchers.Keys)
                {
                    try
                    {
                        await Inbox(username).Subscribe(reference.Value);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        LogRenewalFailed(exception, username);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private IInboxGrain Inbox(string username) => grains.GetGrain<IInboxGrain>(InboxKeys.Inbox(username));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the inbox subscription of {Username} failed")]
    private partial void LogRenewalFailed(Exception exception, string username);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending an inbox change to {Username} failed")]
    private partial void LogSendFailed(Exception exception, string username);
}
