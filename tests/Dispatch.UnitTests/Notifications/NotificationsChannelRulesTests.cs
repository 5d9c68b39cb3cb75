using Dispatch.Notifications;
using Dispatch.Notifications.Channels.Webhooks;

namespace Dispatch.UnitTests.Notifications;

public sealed class NotificationsChannelRulesTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    [Theory]
    [InlineData("https://oapi.dingtalk.com/robot/send?access_token=x", true)]
    [InlineData("http://127.0.0.1:8080/hook", true)]
    [InlineData("http://hooks.example.org/hook", false)]
    [InlineData("https://user:pw@hooks.example.org/hook", false)]
    [InlineData("ftp://hooks.example.org/hook", false)]
    [InlineData("/relative", false)]
    public void Channel_urls_are_https_or_loopback_without_credentials(string url, bool valid) =>
        Assert.Equal(valid, ChannelRules.IsChannelUrl(url));

    [Theory]
    [InlineData(Secret, true)]
    [InlineData("whsec_c2hvcnQ=", false)]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", false)]
    [InlineData("whsec_not base64!", false)]
    public void Webhook_secrets_are_whsec_and_24_to_64_bytes(string secret, bool valid) =>
        Assert.Equal(valid, ChannelRules.WebhookKeyOf(secret) is not null);

    [Fact]
    public void A_new_url_clears_the_disabled_reason_and_the_same_url_keeps_it()
    {
        var current = PlaceChannels.None with
        {
            Webhooks = [new WebhookChannel("w1", "https://a.example.org/h", [Secret], [AlertKind.Escalated], "The endpoint answered 410 Gone.")],
        };

        var same = ChannelRules.Apply(new PlaceChannelsChange(null, [new WebhookChannelChange("w1", null, null, null)], null, null), current, () => "new");
        var moved = ChannelRules.Apply(new PlaceChannelsChange(null, [new WebhookChannelChange("w1", "https://b.example.org/h", null, null)], null, null), current, () => "new");

        Assert.Equal("The endpoint answered 410 Gone.", same.Value!.Webhooks[0].DisabledReason);
        Assert.Null(moved.Value!.Webhooks[0].DisabledReason);
        Assert.Equal(("w1", Secret), (moved.Value.Webhooks[0].Id, moved.Value.Webhooks[0].Secrets[0]));
    }

    [Fact]
    public void Too_many_targets_and_repeated_addresses_are_refused()
    {
        var robots = Enumerable.Range(0, ChannelRules.MaxRobots + 1)
            .Select(i => new RobotChannelChange(null, RobotKind.Wecom, $"https://qyapi.example.org/send?key={i}", null, null))
            .ToArray();

        var result = ChannelRules.Apply(new PlaceChannelsChange([.. robots], null, ["a@example.org", "A@example.org"], null), PlaceChannels.None, () => "id");

        Assert.Null(result.Value);
        Assert.Contains(result.Errors, e => e.Field == "robots");
        Assert.Contains(result.Errors, e => e.Field == "emails");
    }

    [Fact]
    public void Masked_urls_hide_query_values()
    {
        Assert.Equal("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…", ChannelRules.Masked("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6"));
        Assert.Equal("https://hooks.example.org/a", ChannelRules.Masked("https://hooks.example.org/a"));
    }

    [Fact]
    public void A_signature_is_hmac_sha256_over_id_timestamp_and_body_once_per_secret()
    {
        var other = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
        var body = "{\"a\":1}"u8.ToArray();

        var header = StandardWebhooks.Sign("msg_1", 1700000000, body, [Secret, other]);

        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, "msg_1.1700000000.{\"a\":1}"u8.ToArray()));
        var parts = header.Split(' ');
        Assert.Equal(2, parts.Length);
        Assert.Equal("v1," + expected, parts[0]);
        Assert.StartsWith("v1,", parts[1], StringComparison.Ordinal);
        Assert.NotEqual(parts[0], parts[1]);
    }
}
