using System.Net;
using System.Text.Json;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Notifications.Channels;
using Dispatch.Notifications.Channels.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Dispatch.WebHost.Notifications;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Notifications;

/// <summary>
/// The outbox and its dispatcher with the real webhook sender against a receiver on loopback: an
/// outage backs off and recovers with the same webhook-id, a target that is down delays only
/// itself, and 410 disables the endpoint. The clock is fake; the HTTP is real.
/// </summary>
public sealed class NotificationsDeliveryTests : IAsyncLifetime
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly DeliveryPolicy policy = new();
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.Start();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task An_outage_backs_off_and_recovers_while_a_healthy_endpoint_is_not_held_up()
    {
        receiver.Outage("flaky", calls: 3);
        var outbox = new DeliveryOutbox();
        foreach (var target in new[] { "flaky", "steady" })
        {
            outbox.Add("request:abc:5:Escalated:staff:m1", ChannelNames.Webhook, target, "【升级】楼道灯", "已升级", time.GetUtcNow(), time.GetUtcNow());
            outbox.Add("request:abc:9:Escalated:staff:m1", ChannelNames.Webhook, target, "【升级】楼道灯", "再次升级", time.GetUtcNow(), time.GetUtcNow());
        }

        var start = time.GetUtcNow();
        await Round(outbox);
        await Round(outbox);

        // The flaky endpoint waits out its backoff; the steady one has had both, at once.
        Assert.Equal(2, receiver.Received.Count(r => r.Path == "steady"));
        Assert.Single(receiver.Received, r => r.Path == "flaky");
        Assert.Equal(start, time.GetUtcNow());

        var rounds = 0;
        while (outbox.NextDue is { } next && rounds++ < 20)
        {
            // The next waiting delivery of a target may have been due for a while (queued behind the failing one).
            if (next > time.GetUtcNow())
            {
                time.SetUtcNow(next);
            }

            await Round(outbox);
        }

        Assert.All(outbox.Deliveries, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        var flaky = receiver.Received.Where(r => r.Path == "flaky").ToList();
        Assert.Equal(5, flaky.Count);
        Assert.Equal(4, flaky.Count(r => r.Id == "request:abc:5:Escalated:staff:m1"));
        Assert.Equal("request:abc:9:Escalated:staff:m1", flaky[^1].Id);
        Assert.All(receiver.Received, r => Assert.True(r.SignedWith(Secret)));

        // 30 s, 60 s, 120 s apart, each within the ±20 % jitter: the outage cost about 3.5 minutes.
        var recovered = time.GetUtcNow() - start;
        Assert.InRange(recovered.TotalSeconds, 0.8 * 210, 1.2 * 210);
        var first = outbox.Deliveries.Single(d => d.TargetId == "flaky" && d.Key.Contains(":5:", StringComparison.Ordinal));
        Assert.Equal(4, first.Attempts);
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_and_what_waited_for_it_is_not_sent()
    {
        receiver.Answer("gone", (int)HttpStatusCode.Gone);
        var outbox = new DeliveryOutbox();
        outbox.Add("n1", ChannelNames.Webhook, "gone", "t", "x", time.GetUtcNow(), time.GetUtcNow());
        outbox.Add("n2", ChannelNames.Webhook, "gone", "t", "x", time.GetUtcNow(), time.GetUtcNow());

        var disabled = await Round(outbox);

        Assert.Equal(new[] { "gone" }, disabled.ToArray());
        Assert.Single(receiver.Received);
        Assert.All(outbox.Deliveries, d => Assert.Equal(DeliveryStatus.TargetGone, d.Status));
        Assert.Null(outbox.NextDue);
    }

    [Fact]
    public async Task A_place_alert_reaches_its_webhook_signed_through_the_cluster()
    {
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path);
        using var admin = await app.Admin();
        await World.Seed(admin, volunteersPerCommunity: 0);
        await DispatchClient.Expect(await admin.Put("/api/places/m1/channels", new
        {
            webhooks = new object[] { new { url = receiver.Url("alerts"), secrets = new[] { Secret }, events = new[] { "applicationWaiting" } } },
        }), HttpStatusCode.OK);

        using var anonymous = app.Anonymous();
        await DispatchClient.Expect(await anonymous.Post("/api/applications", new
        {
            kind = "person", communityId = "m1", name = "王芳", phone = "13800139999", username = "applicant-hook", password = "report-in-password",
            skills = new[] { "first aid" }, availability = new[] { "weekends" }, offers = Array.Empty<string>(),
        }), HttpStatusCode.Created);

        var received = await Eventually.Get(() => Task.FromResult(receiver.Received.ToList()), r => r.Count > 0, TimeSpan.FromSeconds(30));

        var hook = Assert.Single(received);
        Assert.True(hook.SignedWith(Secret));
        Assert.StartsWith("application:", hook.Id, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(hook.Body);
        Assert.Contains("王芳", json.RootElement.GetProperty("data").GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("13800139999", hook.Text, StringComparison.Ordinal);

        // The delivery log shows it delivered, without the secret; a replay sends it again with the same id.
        var log = await Eventually.Get(
            () => admin.GetOk<DeliveryLogPage>("/api/places/m1/deliveries?status=delivered"), l => l.Total == 1, TimeSpan.FromSeconds(30));
        var delivery = Assert.Single(log.Items);
        Assert.Equal((ChannelNames.Webhook, hook.Id, 1), (delivery.Channel, delivery.Key, delivery.Attempts));
        var raw = await (await admin.Get("/api/places/m1/deliveries")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("13800139999", raw, StringComparison.Ordinal);

        var replayed = await admin.PostOk<DeliveryView>($"/api/places/m1/deliveries/{delivery.Id}/replay");
        Assert.Equal(DeliveryStatus.Pending, replayed.Status);
        var again = await Eventually.Get(() => Task.FromResult(receiver.Received.ToList()), r => r.Count > 1, TimeSpan.FromSeconds(30));
        Assert.Equal(hook.Id, again[1].Id);
        Assert.True(again[1].SignedWith(Secret));

        var bad = await DispatchClient.Problem(await admin.Get("/api/places/m1/deliveries?status=lost&page=0"), HttpStatusCode.BadRequest);
        Assert.True(bad["errors"]!.AsObject().ContainsKey("status") && bad["errors"]!.AsObject().ContainsKey("page"));
        await DispatchClient.Problem(await admin.Post("/api/places/m1/deliveries/999/replay"), HttpStatusCode.NotFound);
        using var outside = await app.LoginAs("staff-m3", "password-1");
        await DispatchClient.Problem(await outside.Get("/api/places/m1/deliveries"), HttpStatusCode.Forbidden);
    }

    /// <summary>One round; answers the targets it found gone.</summary>
    private async Task<List<string>> Round(DeliveryOutbox outbox)
    {
        var sender = new WebhookSender(http, time, NullLogger<WebhookSender>.Instance);
        var dispatcher = new OutboxDispatcher([sender], NullLogger<OutboxDispatcher>.Instance);
        var gone = new List<string>();
        await dispatcher.Round(
            outbox,
            d => new ChannelTarget(ChannelNames.Webhook, receiver.Url(d.TargetId), [Secret]),
            policy,
            time,
            found =>
            {
                gone.AddRange(found);
                return Task.CompletedTask;
            },
            CancellationToken.None);
        return gone;
    }
}
