using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Notifications.Channels.Robots;

/// <summary>
/// 飞书 custom bot: a rich-text <c>post</c> message posted to <c>…/open-apis/bot/v2/hook/…</c>, with
/// <c>timestamp</c> (seconds) and <c>sign</c> in the JSON body when the bot has a signing secret.
/// </summary>
public sealed class FeishuRobotSender(RobotHttp http, IOptions<RobotOptions> options, TimeProvider time, ILogger<FeishuRobotSender> logger)
    : RobotSender(http, options.Value.Feishu, options.Value.DigestTitle, time, logger)
{
    /// <summary>"frequency limited": over 5 a second or 100 a minute.</summary>
    public const long RateLimited = 11232;

    /// <summary>"sign match fail or timestamp is not within one hour from current time".</summary>
    public const long SignatureRefused = 19021;

    /// <summary>"ip not allowed".</summary>
    public const long AddressRefused = 19022;

    /// <summary>"key words not found".</summary>
    public const long KeywordMissing = 19024;

    /// <summary>"param invalid: incoming webhook access token invalid": the hook is wrong or was removed.</summary>
    public const long HookInvalid = 19001;

    public override string Channel => ChannelNames.Feishu;

    /// <summary>Room left in the body for <c>timestamp</c> and <c>sign</c>, added when the part goes.</summary>
    private const int SignatureRoom = 128;

    /// <summary>
    /// Feishu limits the whole request body, and every line becomes a paragraph of JSON around it:
    /// split the text, and split finer while a part's body would not fit.
    /// </summary>
    protected override IReadOnlyList<RobotPost> Render(RobotPost post)
    {
        for (var budget = MaxBytes; ; budget = budget * 3 / 4)
        {
            var parts = SplitInto(post.Title, post.Body, numberTitles: true, budget);
            if (budget < 512 || parts.All(part => WireBytes(Body(part)) + SignatureRoom <= MaxBytes))
            {
                return parts;
            }
        }
    }

    public override Task<ChannelResult> PostAsync(ChannelTarget target, RobotPost part, CancellationToken cancellationToken)
    {
        var body = Body(part);
        if (target.Secrets.Count > 0)
        {
            var timestamp = Time.GetUtcNow().ToUnixTimeSeconds();
            body["timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture);
            body["sign"] = RobotSignatures.Feishu(timestamp, target.Secrets[0]);
        }

        return PostJsonAsync(target, new Uri(target.Address), body, cancellationToken);
    }

    private static JsonObject Body(RobotPost part)
    {
        var paragraphs = new JsonArray();
        foreach (var line in part.Body.Split('\n'))
        {
            paragraphs.Add(new JsonArray(new JsonObject { ["tag"] = "text", ["text"] = line }));
        }

        return new JsonObject
        {
            ["msg_type"] = "post",
            ["content"] = new JsonObject
            {
                ["post"] = new JsonObject
                {
                    ["zh_cn"] = new JsonObject { ["title"] = part.Title, ["content"] = paragraphs },
                },
            },
        };
    }

    protected override ChannelResult Interpret(JsonElement answer)
    {
        var code = Code(answer, "code");
        var detail = Describe(code, answer, "msg");
        return code switch
        {
            0 => ChannelResult.Delivered,
            RateLimited => new ChannelResult(ChannelOutcome.RetryLater, detail, TimeSpan.FromSeconds(1)),
            HookInvalid => new ChannelResult(ChannelOutcome.Gone, detail),
            SignatureRefused or AddressRefused or KeywordMissing => new ChannelResult(ChannelOutcome.Rejected, detail),
            _ => new ChannelResult(ChannelOutcome.RetryLater, detail),
        };
    }
}
