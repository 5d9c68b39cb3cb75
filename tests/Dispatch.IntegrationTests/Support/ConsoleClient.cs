using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Dispatch.Consoles;
using Dispatch.Notifications;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.IntegrationTests.Support;

/// <summary>A live console: the .NET SignalR client on WebSockets (token in the query string) against the test host.</summary>
public sealed class ConsoleClient : IAsyncDisposable
{
    private readonly Channel<ConsoleEvent> changes = Channel.CreateUnbounded<ConsoleEvent>();
    private readonly Channel<InboxItem> notices = Channel.CreateUnbounded<InboxItem>();

    private ConsoleClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<ConsoleEvent>("requestChanged", e => changes.Writer.TryWrite(e));
        connection.On<InboxChange>("inboxChanged", c =>
        {
            if (c.Item is { } item)
            {
                notices.Writer.TryWrite(item);
            }
        });
    }

    public HubConnection Connection { get; }

    public static async Task<ConsoleClient> Connect(DispatchApp app, DispatchClient account)
    {
        var token = account.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        var server = app.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/console"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                // As a browser does: WebSockets carry the token in the query string.
                options.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var query = context.Uri.Query.TrimStart('?');
                    var uri = new UriBuilder(context.Uri) { Query = $"{query}{(query.Length > 0 ? "&" : "")}access_token={Uri.EscapeDataString(token)}" }.Uri;
                    return await server.CreateWebSocketClient().ConnectAsync(uri, cancellationToken);
                };
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)))
            .Build();
        await connection.StartAsync();
        return new ConsoleClient(connection);
    }

    public Task<FeedSnapshot> Watch(string placeId) => Connection.InvokeAsync<FeedSnapshot>("Watch", placeId);

    public Task<FeedCatchUp> Resume(string placeId, long sinceSeq) => Connection.InvokeAsync<FeedCatchUp>("Resume", placeId, sinceSeq);

    /// <summary>Starts getting the caller's inbox live, as the app does; answers the unread count.</summary>
    public Task<int> WatchInbox() => Connection.InvokeAsync<int>("WatchInbox");

    /// <summary>Says, as the volunteer app does, that a notice arrived on this phone.</summary>
    public Task<bool> NoticeReceived(long id) => Connection.InvokeAsync<bool>("NoticeReceived", id);

    /// <summary>The next new notice pushed to the caller's inbox that <paramref name="matches"/>, waiting (for a generous deadline) until it comes.</summary>
    public async Task<InboxItem> NextNotice(Func<InboxItem, bool> matches, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var item = await notices.Reader.ReadAsync(deadline.Token);
            if (matches(item))
            {
                return item;
            }
        }
    }

    /// <summary>The next request changes received, waiting (for a generous deadline) until <paramref name="count"/> have come.</summary>
    public async Task<List<ConsoleEvent>> Next(int count, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var received = new List<ConsoleEvent>();
        try
        {
            while (received.Count < count)
            {
                received.Add(await changes.Reader.ReadAsync(deadline.Token));
            }
        }
        catch (OperationCanceledException)
        {
            // Return what came: the caller's assertion says what was missing.
        }

        return received;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
