using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Notifications.Channels.Robots;

/// <summary>
/// 企业微信 group robot: a <c>markdown</c> message posted to the robot's webhook URL
/// (<c>…/cgi-bin/webhook/send?key=…</c>; the key is the only credential), content up to 4,096 bytes.
/// </summary>
public sealed class WeComRobotSender(RobotHttp http, IOptions<RobotOptions> options, TimeProvider time, ILogger<WeComRobotSender> logger)
    : RobotSender(http, options.Value.WeCom, options.Value.DigestTitle, time, logger)
{
    /// <summary>"api freq out of limit": the robot sent more than 20 messages in a minute.</summary>
    public const long RateLimited = 45009;

    /// <summary>"invalid webhook url": the key is wrong or the robot was removed from its group.</summary>
    public const long InvalidWebhook = 93000;

    /// <summary>"system busy".</summary>
    public const long Busy = -1;

    public override string Channel => ChannelNames.WeCom;

    // The title travels inside the markdown, so it is in the first part; the parts are numbered.
    protected override IReadOnlyList<RobotPost> Render(RobotPost post) =>
        SplitInto(post.Title, $"**{post.Title}**\n{post.Body}", numberTitles: false);

    public override Task<ChannelResult> PostAsync(ChannelTarget target, RobotPost part, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["content"] = part.Body },
        };
        return PostJsonAsync(target, new Uri(target.Address), body, cancellationToken);
    }

    protected override ChannelResult Interpret(JsonElement answer)
    {
        var code = Code(answer, "errcode");
        var detail = Describe(code, answer, "errmsg");
        return code switch
        {
            0 => ChannelResult.Delivered,
            RateLimited => new ChannelResult(ChannelOutcome.RetryLater, detail, TimeSpan.FromMinutes(1)),
            InvalidWebhook => new ChannelResult(ChannelOutcome.Gone, detail),
            // Anything else may pass: the outbox tries again and gives up in time, saying so.
            _ => new ChannelResult(ChannelOutcome.RetryLater, detail),
        };
    }
}
