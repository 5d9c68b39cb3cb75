using System.Text;
using System.Text.Json;
using Dispatch.Notifications.Channels;
using Dispatch.Notifications.Channels.Robots;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Notifications.Channels;

/// <summary>The WeCom robot against a loopback server that checks what WeCom checks.</summary>
public sealed class WeComRobotTests : IAsyncLifetime
{
    private const string Key = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private LoopbackVendor vendor = null!;

    public async Task InitializeAsync()
    {
        vendor = await LoopbackVendor.StartAsync(time);
        vendor.Answer = WeCom;
    }

    public async Task DisposeAsync() => await vendor.DisposeAsync();

    private ChannelTarget Robot(string key = Key) => new(ChannelNames.WeCom, $"{vendor.BaseAddress}cgi-bin/webhook/send?key={key}", []);

    private WeComRobotSender NewSender() =>
        new(new RobotHttp(new HttpClient()), Options.Create(new RobotOptions()), time, NullLogger<WeComRobotSender>.Instance);

    private static ChannelMessage Message(int i, string? text = null) =>
        new($"n{i}", $"东街社区 #{i:D2} 已升级", text ?? $"请求 #{i:D2} 已逾期，请处理。", DateTimeOffset.UnixEpoch);

    /// <summary>WeCom as its documentation describes it: key, markdown of at most 4,096 bytes, 20 a minute.</summary>
    private static VendorAnswer WeCom(VendorRequest request, IReadOnlyList<VendorRequest> before)
    {
        if (request.Path != "/cgi-bin/webhook/send" || request.Query.GetValueOrDefault("key") != Key)
        {
            return new(200, """{"errcode":93000,"errmsg":"invalid webhook url"}""");
        }

        if (!request.ContentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            return new(200, """{"errcode":40035,"errmsg":"invalid args"}""");
        }

        using var json = JsonDocument.Parse(request.Body);
        if (json.RootElement.GetProperty("msgtype").GetString() != "markdown"
            || json.RootElement.GetProperty("markdown").GetProperty("content").GetString() is not { Length: > 0 } content)
        {
            return new(200, """{"errcode":40008,"errmsg":"invalid message type"}""");
        }

        if (Encoding.UTF8.GetByteCount(content) > 4096)
        {
            return new(200, """{"errcode":40058,"errmsg":"markdown.content exceed max length 4096"}""");
        }

        if (before.Count(r => r.At > request.At - TimeSpan.FromMinutes(1)) >= 20)
        {
            return new(200, """{"errcode":45009,"errmsg":"api freq out of limit"}""");
        }

        return new(200, """{"errcode":0,"errmsg":"ok"}""");
    }

    private static string Content(VendorRequest request)
    {
        using var json = JsonDocument.Parse(request.Body);
        return json.RootElement.GetProperty("markdown").GetProperty("content").GetString()!;
    }

    [Fact]
    public async Task A_burst_stays_under_the_limit_and_the_rest_goes_out_as_one_digest_with_nothing_dropped()
    {
        using var sender = NewSender();

        var results = await Task.WhenAll(Enumerable.Range(1, 25).Select(i => sender.SendAsync(Robot(), Message(i), CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(ChannelOutcome.Delivered, r.Outcome));
        Assert.Equal(18, vendor.Received.Count);
        Assert.True(vendor.MostIn(TimeSpan.FromMinutes(1)) <= 18);
        var contents = vendor.Received.Select(Content).ToList();
        Assert.All(Enumerable.Range(1, 25), i => Assert.Contains(contents, c => c.Contains($"#{i:D2} 已升级", StringComparison.Ordinal)));
        Assert.StartsWith("**通知汇总 Digest (8)**", contents[^1], StringComparison.Ordinal);

        // The minute's budget is spent: these wait, then go out together when it returns.
        var late = Enumerable.Range(26, 3).Select(i => sender.SendAsync(Robot(), Message(i), CancellationToken.None)).ToList();
        Assert.All(late, task => Assert.False(task.IsCompleted));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.All(await Task.WhenAll(late), r => Assert.Equal(ChannelOutcome.Delivered, r.Outcome));

        Assert.Equal(19, vendor.Received.Count);
        var digest = Content(vendor.Received[^1]);
        Assert.All(Enumerable.Range(26, 3), i => Assert.Contains($"#{i} 已升级", digest, StringComparison.Ordinal));
        Assert.True(vendor.MostIn(TimeSpan.FromMinutes(1)) <= 18);
    }

    [Fact]
    public async Task A_long_text_is_split_at_4096_bytes_and_numbered()
    {
        using var sender = NewSender();
        var text = string.Join('\n', Enumerable.Range(1, 200).Select(i => $"第 {i:D3} 项：东街社区 3 号楼 待核验的请求"));

        var result = await sender.SendAsync(Robot(), Message(1, text), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Delivered, result.Outcome);
        var contents = vendor.Received.Select(Content).ToList();
        Assert.True(contents.Count > 1);
        Assert.All(contents, c => Assert.True(Encoding.UTF8.GetByteCount(c) <= 4096));
        Assert.All(contents, (c, i) => Assert.StartsWith($"({i + 1}/{contents.Count}) ", c, StringComparison.Ordinal));
        var lines = contents.SelectMany(c => c[(c.IndexOf(' ', StringComparison.Ordinal) + 1)..].Split('\n')).ToList();
        Assert.Equal(["**东街社区 #01 已升级**", .. text.Split('\n')], lines);
    }

    [Fact]
    public async Task WeComs_rate_limit_answer_means_retry_later()
    {
        vendor.Answer = (_, _) => new(200, """{"errcode":45009,"errmsg":"api freq out of limit"}""");
        using var sender = NewSender();

        var result = await sender.SendAsync(Robot(), Message(1), CancellationToken.None);

        Assert.Equal(ChannelOutcome.RetryLater, result.Outcome);
        Assert.Equal(TimeSpan.FromMinutes(1), result.RetryAfter);
        Assert.StartsWith("45009", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_error_means_retry_later()
    {
        vendor.Answer = (_, _) => new(503, "{}");
        using var sender = NewSender();

        var result = await sender.SendAsync(Robot(), Message(1), CancellationToken.None);

        Assert.Equal(ChannelOutcome.RetryLater, result.Outcome);
    }

    [Fact]
    public async Task An_invalid_key_means_the_robot_is_gone_and_the_key_is_not_in_the_detail()
    {
        using var sender = NewSender();

        var result = await sender.SendAsync(Robot("not-the-key"), Message(1), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Gone, result.Outcome);
        Assert.DoesNotContain("not-the-key", result.Detail, StringComparison.Ordinal);
    }
}
