using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.WebHost.Consoles;

/// <summary>
/// The console hub's lifetime manager: the default one, which also lets <see cref="ConsoleFanout"/>
/// find a console's connection, so it can write one already-serialized message to every console
/// (the hub's clients API serializes again for each connection it sends to).
/// </summary>
public sealed class ConsoleConnections(ILogger<DefaultHubLifetimeManager<ConsoleHub>> logger) : DefaultHubLifetimeManager<ConsoleHub>(logger)
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> connections = new(StringComparer.Ordinal);

    /// <summary>The connection, while it is open.</summary>
    public HubConnectionContext? Find(string connectionId) => connections.GetValueOrDefault(connectionId);

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connections[connection.ConnectionId] = connection;
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connections.TryRemove(connection.ConnectionId, out _);
        return base.OnDisconnectedAsync(connection);
    }
}

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>This host's end of the place feeds, and the hub's lifetime manager it writes through.</summary>
    public static IServiceCollection AddConsoleFanout(this IServiceCollection services)
    {
        services.AddSingleton<ConsoleConnections>();
        services.AddSingleton<HubLifetimeManager<ConsoleHub>>(provider => provider.GetRequiredService<ConsoleConnections>());
        services.AddSingleton<ConsoleFanout>();
        services.AddHostedService(provider => provider.GetRequiredService<ConsoleFanout>());
        return services;
    }
}
