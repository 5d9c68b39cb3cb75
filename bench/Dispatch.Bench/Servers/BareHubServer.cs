using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.Bench.Servers;

/// <summary>
/// The fan-out baseline: a minimal ASP.NET Core app with one SignalR hub at Dispatch's hub path,
/// the same JWT validation (token in the <c>access_token</c> query, as consoles pass it) and the
/// same JSON protocol settings. <c>POST /broadcast</c> sends one <c>requestChanged</c> message,
/// padded to the size of Dispatch's event, to every connection with <c>Clients.All</c>: what a team
/// would build with no grains, feeds or outboxes in between.
/// </summary>
public static class BareHubServer
{
    public const string HubPath = "/hubs/console";
    public const string BroadcastPath = "/broadcast";

    public static WebApplication Build(string[] args, string signingKey)
    {
        var builder = ComparisonServer.CreateBuilder(args, signingKey);
        builder.Services.AddAuthorization();
        builder.Services.AddSignalR().AddJsonProtocol(options =>
            options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddSingleton<BroadcastSequence>();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/health", () => TypedResults.Ok());
        app.MapHub<BareHub>(HubPath);
        app.MapPost(BroadcastPath, Broadcast).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> Broadcast(BroadcastRequest body, IHubContext<BareHub> hub, BroadcastSequence sequence)
    {
        var seq = sequence.Next();
        var message = new BareEvent(BareHub.PlaceId, seq, TimeProvider.System.GetUtcNow(), new BareRequest(body.Title, sequence.Padding(body.Bytes)));
        await hub.Clients.All.SendAsync("requestChanged", message);
        return TypedResults.Ok(new { seq });
    }
}

/// <summary>Consoles connect and call <c>Watch</c>, as they do at Dispatch; every connection gets every broadcast.</summary>
[Authorize]
public sealed class BareHub(BroadcastSequence sequence) : Hub
{
    public const string PlaceId = "bench-community-0";

    /// <summary>The number the feed is at, as Dispatch's snapshot gives it (no snapshot content: there is no state here).</summary>
    public BareSnapshot Watch(string placeId) => new(placeId, sequence.Current);
}

/// <summary>Numbers the broadcasts like a feed's seq, and pads messages to the size asked for.</summary>
public sealed class BroadcastSequence
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    // The message around the padding, measured once so the padding can make up the rest.
    private static readonly int Envelope = JsonSerializer.Serialize(
        new BareEvent(BareHub.PlaceId, long.MaxValue / 1_000_000, DateTimeOffset.UtcNow, new BareRequest("fanout 000000", "")), Web).Length;

    private readonly ConcurrentDictionary<int, string> paddings = new();
    private long seq;

    public long Current => Interlocked.Read(ref seq);

    public long Next() => Interlocked.Increment(ref seq);

    public string Padding(int totalBytes) => paddings.GetOrAdd(totalBytes, bytes => new string('x', Math.Max(0, bytes - Envelope)));
}

public sealed record BroadcastRequest(string Title, int Bytes);

public sealed record BareRequest(string Title, string Padding);

public sealed record BareEvent(string PlaceId, long Seq, DateTimeOffset At, BareRequest Request);

public sealed record BareSnapshot(string PlaceId, long Seq);
