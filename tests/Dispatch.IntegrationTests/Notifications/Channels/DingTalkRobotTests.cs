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

/// <summary>The DingTalk robot against a loopback server that checks token, signature, format and rate.</summary>
public sealed class DingTalkRobotTests : IAsyncLifetime
{
    private const string Token = "5f0f6c2d8e7b4a1c9d3e2f1a0b9c8d7e";
    private const string Secret = "SECb1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private LoopbackVendor vendor = null!;

    public async Task InitializeAsync()
    {
        vendor = await LoopbackVendor.StartAsync(time);
        vendor.Answer = DingTalk;
    }

    public async Task DisposeAsync() => await vendor.DisposeAsync();

    private ChannelTarget Robot(string token = Token, string secret = Secret) =>
        new(ChannelNames.DingTalk, $"{vendor.BaseAddress}robot/send?access_token={token}", [secret]);

    private DingTalkRobotSender NewSender() =>
        new(new RobotHttp(new HttpClient()), Options.Create(new RobotOptions()), time, NullLogger<DingTalkRobotSender>.Instance);

    private static ChannelMessage Message(int i, string? text = null) =>
        new($"n{i}", $"西街社区 #{i:D2} 待审批", text ?? $"申请 #{i:D2} 等待审批。", DateTimeOffset.UnixEpoch);

    /// <summary>The signature recomputed here, apart from the sender's code.</summary>
    private static string ExpectedSign(string timestamp)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Secret));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + "\n" + Secret)));
    }

    private VendorAnswer DingTalk(VendorRequest request, IReadOnlyList<VendorRequest> before)
    {
        if (request.Path != "/robot/send" || request.Query.GetValueOrDefault("access_token") != Token)
        {
            return new(200, """{"errcode":300001,"errmsg":"token is not exist"}""");
        }

        // The query arrives URL-decoded here: a sign that was not URL-encoded ('+' read as ' ') fails.
        var timestamp = request.Query.GetValueOrDefault("timestamp") ?? "";
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || Math.Abs(ms - time.GetUtcNow().ToUnixTimeMilliseconds()) > 3_600_000
            || request.Query.GetValueOrDefault("sign") != ExpectedSign(timestamp))
        {
            return new(200, """{"errcode":310000,"errmsg":"sign not match"}""");
        }

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        if (root.GetProperty("msgtype").GetString() != "markdown"
            || root.GetProperty("markdown").GetProperty("title").GetString() is not { Length: > 0 }
            || root.GetProperty("markdown").GetProperty("text").GetString() is not { Length: > 0 })
        {
            return new(200, """{"errcode":40035,"errmsg":"缺少参数 json"}""");
        }

        if (before.Count(r => r.At > request.At - TimeSpan.FromMinutes(1)) >= 20)
        {
            return new(200, """{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}""");
        }

        return new(200, """{"errcode":0,"errmsg":"ok"}""");
    }

    private static (string Title, string Text) Markdown(VendorRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        var markdown = json.RootElement.GetProperty("markdown");
        return (markdown.GetProperty("title").GetString()!, markdown.GetProperty("text").GetString()!);
    }

    [Fact]
    public async Task A_signed_burst_stays_under_the_limit_and_the_rest_goes_out_as_one_digest()
    {
        using var sender = NewSender();

        var results = await Task.WhenAll(Enumerable.Range(1, 22).Select(i => sender.SendAsync(Robot(), Message(i), CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(ChannelOutcome.Delivered, r.Outcome));
        Assert.Equal(18, vendor.Received.Count);
        Assert.True(vendor.MostIn(TimeSpan.FromMinutes(1)) <= 18);
        var texts = vendor.Received.Select(r => Markdown(r).Text).ToList();
        Assert.All(Enumerable.Range(1, 22), i => Assert.Contains(texts, t => t.Contains($"#{i:D2} 待审批", StringComparison.Ordinal)));
        Assert.Equal("通知汇总 Digest (5)", Markdown(vendor.Received[^1]).Title);

        var late = Enumerable.Range(23, 2).Select(i => sender.SendAsync(Robot(), Message(i), CancellationToken.None)).ToList();
        Assert.All(late, task => Assert.False(task.IsCompleted));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.All(await Task.WhenAll(late), r => Assert.Equal(ChannelOutcome.Delivered, r.Outcome));

        Assert.Equal(19, vendor.Received.Count);
        Assert.Equal("通知汇总 Digest (2)", Markdown(vendor.Received[^1]).Title);
        // Signed afresh at the moment it went: the fake clock's new time.
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), vendor.Received[^1].Query["timestamp"]);
    }

    [Fact]
    public async Task A_long_text_is_split_and_each_part_names_its_place()
    {
        using var sender = NewSender();
        var text = string.Concat(Enumerable.Repeat("西街社区今日逾期请求汇总。", 400));

        var result = await sender.SendAsync(Robot(), Message(1, text), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Delivered, result.Outcome);
        var parts = vendor.Received.Select(Markdown).ToList();
        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(Encoding.UTF8.GetByteCount(p.Text) <= 4096));
        Assert.All(parts, (p, i) => Assert.Equal($"({i + 1}/{parts.Count}) 西街社区 #01 待审批", p.Title));
        Assert.Contains(text, string.Concat(parts.Select(p => p.Text[(p.Text.IndexOf(' ', StringComparison.Ordinal) + 1)..])), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DingTalks_too_fast_answer_means_retry_later()
    {
        vendor.Answer = (_, _) => new(200, """{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}""");
        using var sender = NewSender();

        var result = await sender.SendAsync(Robot(), Message(1), CancellationToken.None);

        Assert.Equal(ChannelOutcome.RetryLater, result.Outcome);
        Assert.NotNull(result.RetryAfter);
    }

    [Fact]
    public async Task A_server_error_means_retry_later()
    {
        vendor.Answer = (_, _) => new(502, "<html>bad gateway</html>");
        using var sender = NewSender();

        Assert.Equal(ChannelOutcome.RetryLater, (await sender.SendAsync(Robot(), Message(1), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task An_unknown_token_means_gone()
    {
        using var sender = NewSender();

        var result = await sender.SendAsync(Robot(token: "deleted-robot"), Message(1), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Gone, result.Outcome);
        Assert.DoesNotContain("deleted-robot", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_is_rejected_and_not_in_the_detail()
    {
        using var sender = NewSender();

        var result = await sender.SendAsync(Robot(secret: "SECwrong"), Message(1), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Rejected, result.Outcome);
        Assert.DoesNotContain("SECwrong", result.Detail, StringComparison.Ordinal);
    }
}
