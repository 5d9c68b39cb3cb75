using System.Text.Json;
using Dispatch.Notifications.Channels;
using Dispatch.Notifications.Channels.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Notifications;

/// <summary>The Standard Webhooks sender against a real receiver on loopback.</summary>
public sealed class NotificationsWebhookTests : IAsyncLifetime
{
    private static readonly string OldSecret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly string NewSecret = "whsec_" + Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.Start();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_message_is_signed_with_every_current_secret_and_either_verifies()
    {
        var message = new ChannelMessage("request:abc:7:Escalated:staff:c1", "升级：楼道灯坏了", "**已升级**到街道。", time.GetUtcNow());

        var result = await Sender().SendAsync(Target("hook", NewSecret, OldSecret), message, CancellationToken.None);

        Assert.Equal(ChannelOutcome.Delivered, result.Outcome);
        var received = Assert.Single(receiver.Received);
        Assert.Equal(message.Key, received.Id);
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), received.Timestamp);
        Assert.StartsWith("application/json", received.ContentType, StringComparison.Ordinal);
        Assert.Equal(2, received.Signature.Split(' ').Length);
        Assert.True(received.SignedWith(NewSecret), "a receiver holding the new secret accepts it");
        Assert.True(received.SignedWith(OldSecret), "a receiver still holding the old secret accepts it");
        Assert.False(received.SignedWith(StandardWebhooks.NewSecret()), "a receiver with another secret refuses it");

        using var json = JsonDocument.Parse(received.Body);
        Assert.Equal("dispatch.notice", json.RootElement.GetProperty("type").GetString());
        var data = json.RootElement.GetProperty("data");
        Assert.Equal(message.Key, data.GetProperty("key").GetString());
        Assert.Equal("升级：楼道灯坏了", data.GetProperty("title").GetString());
        Assert.Equal("**已升级**到街道。", data.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_tampered_body_fails_verification()
    {
        await Sender().SendAsync(Target("hook", NewSecret), new ChannelMessage("k1", "t", "x", time.GetUtcNow()), CancellationToken.None);
        var received = Assert.Single(receiver.Received);

        var tampered = received with { Body = [.. received.Body, (byte)' '] };

        Assert.True(received.SignedWith(NewSecret));
        Assert.False(tampered.SignedWith(NewSecret));
    }

    [Fact]
    public async Task An_outage_asks_to_try_again_with_the_same_id_until_the_endpoint_recovers()
    {
        receiver.Outage("flaky", calls: 3);
        var sender = Sender();
        var message = new ChannelMessage("request:def:3:Claimed:amy", "认领", "已认领", time.GetUtcNow());

        var results = new List<ChannelResult>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            results.Add(await sender.SendAsync(Target("flaky", NewSecret), message, CancellationToken.None));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.All(results.Take(3), r =>
        {
            Assert.Equal(ChannelOutcome.RetryLater, r.Outcome);
            Assert.Contains("503", r.Detail, StringComparison.Ordinal);
        });
        Assert.Equal(ChannelOutcome.Delivered, results[3].Outcome);
        Assert.Equal(4, receiver.Received.Count);
        Assert.All(receiver.Received, r => Assert.Equal(message.Key, r.Id));
        Assert.Equal(4, receiver.Received.Select(r => r.Timestamp).Distinct().Count());
        Assert.All(receiver.Received, r => Assert.True(r.SignedWith(NewSecret)));
    }

    [Fact]
    public async Task A_410_says_the_endpoint_is_gone_and_other_refusals_are_tried_again()
    {
        receiver.Answer("gone", 410);
        receiver.Answer("broken", 400);
        var message = new ChannelMessage("k2", "t", "x", time.GetUtcNow());

        var gone = await Sender().SendAsync(Target("gone", NewSecret), message, CancellationToken.None);
        var broken = await Sender().SendAsync(Target("broken", NewSecret), message, CancellationToken.None);

        Assert.Equal(ChannelOutcome.Gone, gone.Outcome);
        Assert.Equal(ChannelOutcome.RetryLater, broken.Outcome);
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_is_tried_again_and_a_bad_secret_is_refused_without_a_call()
    {
        var closed = $"http://127.0.0.1:{Support.FreePorts.Next()}/hook";
        var message = new ChannelMessage("k3", "t", "x", time.GetUtcNow());

        var unreachable = await Sender().SendAsync(new ChannelTarget(ChannelNames.Webhook, closed, [NewSecret]), message, CancellationToken.None);
        var unsigned = await Sender().SendAsync(new ChannelTarget(ChannelNames.Webhook, receiver.Url("hook"), ["not-a-secret"]), message, CancellationToken.None);

        Assert.Equal(ChannelOutcome.RetryLater, unreachable.Outcome);
        Assert.Equal(ChannelOutcome.Rejected, unsigned.Outcome);
        Assert.Empty(receiver.Received);
    }

    private WebhookSender Sender() => new(http, time, NullLogger<WebhookSender>.Instance);

    private ChannelTarget Target(string path, params string[] secrets) => new(ChannelNames.Webhook, receiver.Url(path), secrets);
}
