using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Notifications.Channels.Robots;

/// <summary>
/// 钉钉 custom robot: a <c>markdown</c> message (<c>title</c> for the notification, <c>text</c> for the
/// chat) posted to <c>…/robot/send?access_token=…</c>, signed with <c>timestamp</c> (milliseconds)
/// and <c>sign</c> query parameters when the robot has a signing secret (加签).
/// </summary>
public sealed class DingTalkRobotSender(RobotHttp http, IOptions<RobotOptions> options, TimeProvider time, ILogger<DingTalkRobotSender> logger)
    : RobotSender(http, options.Value.DingTalk, options.Value.DigestTitle, time, logger)
{
    /// <summary>"send too fast, exceed 20 times per minute".</summary>
    public const long RateLimited = 130101;

    /// <summary>Flow control of the newer robot gateway ("限流").</summary>
    public const long Throttled = 660026;

    /// <summary>The robot's security settings refused the message: "sign not match", "keywords not in content", "ip not in whitelist".</summary>
    public const long SecurityRefused = 310000;

    /// <summary>"token is not exist": the access token is wrong or the robot was removed.</summary>
    public const long TokenMissing = 300001;

    /// <summary>"token is not exist", as the newer gateway answers it.</summary>
    public const long TokenMissingNewer = 300005;

    public override string Channel => ChannelNames.DingTalk;

    protected override IReadOnlyList<RobotPost> Render(RobotPost post) =>
        SplitInto(post.Title, $"#### {post.Title}\n\n{post.Body}", numberTitles: true);

    public override Task<ChannelResult> PostAsync(ChannelTarget target, RobotPost part, CancellationToken cancellationToken)
    {
        var address = target.Address;
        if (target.Secrets.Count > 0)
        {
            var timestamp = Time.GetUtcNow().ToUnixTimeMilliseconds();
            var separator = address.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            address += string.Create(CultureInfo.InvariantCulture, $"{separator}timestamp={timestamp}&sign={RobotSignatures.DingTalk(timestamp, target.Secrets[0])}");
        }

        var body = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["title"] = part.Title, ["text"] = part.Body },
        };
        return PostJsonAsync(target, new Uri(address), body, cancellationToken);
    }

    protected override ChannelResult Interpret(JsonElement answer)
    {
        var code = Code(answer, "errcode");
        var detail = Describe(code, answer, "errmsg");
        return code switch
        {
            0 => ChannelResult.Delivered,
            RateLimited or Throttled => new ChannelResult(ChannelOutcome.RetryLater, detail, TimeSpan.FromMinutes(1)),
            TokenMissing or TokenMissingNewer => new ChannelResult(ChannelOutcome.Gone, detail),
            SecurityRefused => new ChannelResult(ChannelOutcome.Rejected, detail),
            _ => new ChannelResult(ChannelOutcome.RetryLater, detail),
        };
    }
}
