using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dispatch.IntegrationTests.Notifications.Channels;

/// <summary>One request as a vendor's server received it, stamped with the test's (fake) clock.</summary>
public sealed record VendorRequest(string Path, IReadOnlyDictionary<string, string> Query, string ContentType, string Body, DateTimeOffset At);

/// <summary>What a vendor's server answers: an HTTP status and a JSON body.</summary>
public sealed record VendorAnswer(int Status, string Json);

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, a free port) standing in for a vendor: every POST is
/// recorded and answered by the test's simulation of that vendor, which checks format, signature
/// and rate as the vendor would.
/// </summary>
public sealed class LoopbackVendor : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<VendorRequest> received = [];

    private LoopbackVendor(WebApplication app) => this.app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Answers a request; the list is everything received before it, oldest first.</summary>
    public Func<VendorRequest, IReadOnlyList<VendorRequest>, VendorAnswer> Answer { get; set; } = (_, _) => new VendorAnswer(200, "{}");

    public IReadOnlyList<VendorRequest> Received
    {
        get
        {
            lock (received) return [.. received];
        }
    }

    public static async Task<LoopbackVendor> StartAsync(TimeProvider time)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var vendor = new LoopbackVendor(app);
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var request = new VendorRequest(
                context.Request.Path.Value ?? "",
                context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
                context.Request.ContentType ?? "",
                body,
                time.GetUtcNow());
            VendorAnswer answer;
            lock (vendor.received)
            {
                answer = vendor.Answer(request, [.. vendor.received]);
                vendor.received.Add(request);
            }

            return Results.Text(answer.Json, "application/json", statusCode: answer.Status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        vendor.BaseAddress = new Uri(address);
        return vendor;
    }

    /// <summary>The most requests that fell in any window of <paramref name="span"/> (by the fake clock).</summary>
    public int MostIn(TimeSpan span)
    {
        var times = Received.Select(r => r.At).Order().ToList();
        return times.Count == 0 ? 0 : times.Select((at, i) => times.Skip(i).Count(t => t < at + span)).Max();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
