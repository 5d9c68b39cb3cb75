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
/// per path, or 503 for the first few calls of a path (an outage) and 200 after. It honours the
/// dedupe key as a receiver should: a message it accepted is applied once per path and
/// <c>webhook-id</c>, a repeat is acknowledged and dropped (<see cref="Applied"/>). It can hold
/// the next call of a path without answering (<see cref="StallNext"/>), as a slow endpoint would.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, int> outages = new();
    private readonly ConcurrentDictionary<string, int> statuses = new();
    private readonly ConcurrentDictionary<string, Stall> stalls = new();
    private readonly ConcurrentBag<Stall> held = new();

    private WebhookReceiver(WebApplication app) => this.app = app;

    /// <summary>Every call, in arrival order.</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>How many times each (path, webhook-id) was applied: a repeat of an accepted id is not, so never more than once.</summary>
    public ConcurrentDictionary<(string Path, string Id), int> Applied { get; } = new();

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

            var status = receiver.statuses.GetValueOrDefault(path, StatusCodes.Status200OK);
            if (status is >= 200 and < 300)
            {
                // Applied before the answer, so a sender that never hears it (killed) sends a repeat.
                receiver.Applied.AddOrUpdate((path, request.Headers["webhook-id"].ToString()), 1, (_, applied) => applied);
            }

            if (receiver.stalls.TryRemove(path, out var stall))
            {
                stall.Arrived.TrySetResult();
                await stall.Released.Task;
            }

            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The next <paramref name="calls"/> calls to <paramref name="path"/> answer 503.</summary>
    public void Outage(string path, int calls) => outages[path] = calls;

    public void Answer(string path, int status) => statuses[path] = status;

    /// <summary>
    /// Holds the next call to <paramref name="path"/> (after applying it) until <see cref="Release"/>
    /// or disposal; the task completes when that call has arrived.
    /// </summary>
    public Task StallNext(string path)
    {
        var stall = new Stall();
        held.Add(stall);
        stalls[path] = stall;
        return stall.Arrived.Task;
    }

    /// <summary>Lets every held call answer.</summary>
    public void Release()
    {
        foreach (var stall in held)
        {
            stall.Released.TrySetResult();
        }
    }

    public string Url(string path) => $"{BaseUrl}/{path}";

    public async ValueTask DisposeAsync()
    {
        Release();
        await app.DisposeAsync();
    }

    private sealed class Stall
    {
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
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
