using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dispatch.Notifications.Channels;
using Dispatch.Notifications.Channels.Robots;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Notifications.Channels;

/// <summary>The Feishu bot against a loopback server that checks hook, body signature, format and rate.</summary>
public sealed class FeishuRobotTests : IAsyncLifetime
{
    private const string Hook = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    private const string Secret = "qIuVzX4uYbNa1b2c3d4e5f";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private LoopbackVendor vendor = null!;

    public async Task InitializeAsync()
    {
        vendor = await LoopbackVendor.StartAsync(time);
        vendor.Answer = Feishu;
    }

    public async Task DisposeAsync() => await vendor.DisposeAsync();

    private ChannelTarget Robot(string hook = Hook, string secret = Secret) =>
        new(ChannelNames.Feishu, $"{vendor.BaseAddress}open-apis/bot/v2/hook/{hook}", [secret]);

    private FeishuRobotSender NewSender() =>
        new(new RobotHttp(new HttpClient()), Options.Create(new RobotOptions()), time, NullLogger<FeishuRobotSender>.Instance);

    private static ChannelMessage Message(int i, string? text = null) =>
        new($"n{i}", $"南街社区 #{i:D2} 待核验", text ?? $"请求 #{i:D2} 已完成，等待核验。", DateTimeOffset.UnixEpoch);

    /// <summary>Feishu's signature recomputed here: the key is timestamp, newline, secret; the message is empty.</summary>
    private static string ExpectedSign(string timestamp)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(timestamp + "\n" + Secret));
        return Convert.ToBase64String(hmac.ComputeHash(Array.Empty<byte>()));
    }

    private VendorAnswer Feishu(VendorRequest request, IReadOnlyList<VendorRequest> before)
    {
        if (request.Path != $"/open-apis/bot/v2/hook/{Hook}")
        {
            return new(200, """{"code":19001,"msg":"param invalid: incoming webhook access token invalid","data":{}}""");
        }

        if (Encoding.UTF8.GetByteCount(request.Body) > 20 * 1024)
        {
            return new(200, """{"code":9499,"msg":"Bad Request","data":{}}""");
        }

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        var timestamp = root.TryGetProperty("timestamp", out var t) ? t.GetString() ?? "" : "";
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(seconds - time.GetUtcNow().ToUnixTimeSeconds()) > 3600
            || !root.TryGetProperty("sign", out var sign) || sign.GetString() != ExpectedSign(timestamp))
        {
            return new(200, """{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time","data":{}}""");
        }

        if (root.GetProperty("msg_type").GetString() != "post"
            || root.GetProperty("content").GetProperty("post").GetProperty("zh_cn").GetProperty("title").GetString() is not { Length: > 0 }
            || root.GetProperty("content").GetProperty("post").GetProperty("zh_cn").GetProperty("content").EnumerateArray()
                .Any(paragraph => paragraph.EnumerateArray().Any(element => element.GetProperty("tag").GetString() != "text")))
        {
            return new(200, """{"code":9499,"msg":"Bad Request","data":{}}""");
        }

        if (before.Count(r => r.At > request.At - TimeSpan.FromSeconds(1)) >= 5
            || before.Count(r => r.At > request.At - TimeSpan.FromMinutes(1)) >= 100)
        {
            return new(200, """{"code":11232,"msg":"frequency limited psm[lark.oapi.app_platform_runtime]appID[1]","data":{}}""");
        }

        return new(200, """{"code":0,"msg":"success","data":{}}""");
    }

    private static (string Title, string Text) Post(VendorRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        var post = json.RootElement.GetProperty("content").GetProperty("post").GetProperty("zh_cn");
        var lines = post.GetProperty("content").EnumerateArray().Select(p => string.Concat(p.EnumerateArray().Select(e => e.GetProperty("text").GetString())));
        return (post.GetProperty("title").GetString()!, string.Join('\n', lines));
    }

    [Fact]
    public async Task A_signed_burst_keeps_under_four_a_second_and_the_rest_goes_out_as_one_digest()
    {
        using var sender = NewSender();

        var results = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => sender.SendAsync(Robot(), Message(i), CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(ChannelOutcome.Delivered, r.Outcome));
        Assert.Equal(4, vendor.Received.Count);
        Assert.True(vendor.MostIn(TimeSpan.FromSeconds(1)) <= 4);
        var texts = vendor.Received.Select(r => Post(r)).Select(p => p.Title + "\n" + p.Text).ToList();
        Assert.All(Enumerable.Range(1, 10), i => Assert.Contains(texts, t => t.Contains($"#{i:D2} 待核验", StringComparison.Ordinal)));
        Assert.Equal("通知汇总 Digest (7)", Post(vendor.Received[^1]).Title);

        var late = Enumerable.Range(11, 2).Select(i => sender.SendAsync(Robot(), Message(i), CancellationToken.None)).ToList();
        Assert.All(late, task => Assert.False(task.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.All(await Task.WhenAll(late), r => Assert.Equal(ChannelOutcome.Delivered, r.Outcome));

        Assert.Equal(5, vendor.Received.Count);
        Assert.Equal("通知汇总 Digest (2)", Post(vendor.Received[^1]).Title);
        Assert.True(vendor.MostIn(TimeSpan.FromSeconds(1)) <= 4);
    }

    [Fact]
    public async Task A_long_text_is_split_below_the_body_limit()
    {
        using var sender = NewSender();
        var text = string.Join('\n', Enumerable.Range(1, 900).Select(i => $"第 {i:D3} 项：南街社区待核验"));

        var result = await sender.SendAsync(Robot(), Message(1, text), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Delivered, result.Outcome);
        var posts = vendor.Received.Select(Post).ToList();
        Assert.True(posts.Count > 1);
        Assert.All(vendor.Received, r => Assert.True(Encoding.UTF8.GetByteCount(r.Body) <= 20 * 1024));
        Assert.All(posts, (p, i) => Assert.StartsWith($"({i + 1}/{posts.Count}) ", p.Text, StringComparison.Ordinal));
        var lines = posts.SelectMany(p => p.Text[(p.Text.IndexOf(' ', StringComparison.Ordinal) + 1)..].Split('\n')).ToList();
        Assert.Equal(text.Split('\n'), lines);
    }

    [Fact]
    public async Task Feishus_frequency_limit_means_retry_later()
    {
        vendor.Answer = (_, _) => new(200, """{"code":11232,"msg":"frequency limited","data":{}}""");
        using var sender = NewSender();

        Assert.Equal(ChannelOutcome.RetryLater, (await sender.SendAsync(Robot(), Message(1), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_too_many_requests_status_means_retry_later_after_what_it_says()
    {
        vendor.Answer = (_, _) => new(429, "{}");
        using var sender = NewSender();

        var result = await sender.SendAsync(Robot(), Message(1), CancellationToken.None);

        Assert.Equal(ChannelOutcome.RetryLater, result.Outcome);
    }

    [Fact]
    public async Task An_invalid_hook_means_gone()
    {
        using var sender = NewSender();

        Assert.Equal(ChannelOutcome.Gone, (await sender.SendAsync(Robot(hook: "removed"), Message(1), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_wrong_secret_is_rejected()
    {
        using var sender = NewSender();

        Assert.Equal(ChannelOutcome.Rejected, (await sender.SendAsync(Robot(secret: "wrong"), Message(1), CancellationToken.None)).Outcome);
    }
}
