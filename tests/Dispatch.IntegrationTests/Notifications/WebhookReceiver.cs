using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dispatch.IntegrationTests.Notifications;

/// <summary>
/// A webhook receiver on loopback (Kestrel) that checks Standard Webhooks signatures the way a
/// receiver would, with its own copy of the secrets, and answers as the test tells it: a status
/// per path, or 503 for the first few calls of a path (an outage) and 200 after.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> outages = new();
    private readonly ConcurrentDictionary<string, int> statuses = new();

    private WebhookReceiver(WebApplication app) => this.app = app;

    /// <summary>Every call, in arrival order.</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public string BaseUrl => app.Urls.First();

    public static async Task<WebhookReceiver> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{path}", async (string path, HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            receiver.Received.Enqueue(new ReceivedWebhook(
                path,
                request.Headers["webhook-id"].ToString(),
                request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(),
                request.ContentType,
                body));
            if (receiver.outages.TryGetValue(path, out var left) && left > 0)
            {
                receiver.outages[path] = left - 1;
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            return Results.StatusCode(receiver.statuses.GetValueOrDefault(path, StatusCodes.Status200OK));
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The next <paramref name="calls"/> calls to <paramref name="path"/> answer 503.</summary>
    public void Outage(string path, int calls) => outages[path] = calls;

    public void Answer(string path, int status) => statuses[path] = status;

    public string Url(string path) => $"{BaseUrl}/{path}";

    public ValueTask DisposeAsync() => app.DisposeAsync();
}

public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, string? ContentType, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>Whether one of the <c>v1</c> signatures is the receiver's own HMAC with <paramref name="secret"/>, computed here independently of the sender.</summary>
    public bool SignedWith(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.").Concat(Body).ToArray();
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return Signature.Split(' ')
            .Where(s => s.StartsWith("v1,", StringComparison.Ordinal))
            .Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }
}
