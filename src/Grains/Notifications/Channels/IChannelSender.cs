namespace Dispatch.Notifications.Channels;

/// <summary>
/// One way out of Dispatch for a notification: a group robot (WeCom, DingTalk, Feishu), e-mail,
/// an outgoing webhook or SMS. The delivery outbox decides what goes where and when to try again;
/// a sender only talks to its channel and says how that went.
/// </summary>
public interface IChannelSender
{
    /// <summary>The channel's name as configuration and the delivery log spell it: <see cref="ChannelNames"/>.</summary>
    string Channel { get; }

    /// <summary>
    /// Sends one message to one target and completes when the channel accepted it, alone or merged
    /// with others into one digest (a sender may hold a message back to stay under its channel's rate
    /// limit, but never drops it). Never throws for the channel's own failures: they are the result.
    /// </summary>
    Task<ChannelResult> SendAsync(ChannelTarget target, ChannelMessage message, CancellationToken cancellationToken);
}

/// <summary>The channels Dispatch knows.</summary>
public static class ChannelNames
{
    public const string WeCom = "wecom";
    public const string DingTalk = "dingtalk";
    public const string Feishu = "feishu";
    public const string Email = "email";
    public const string Webhook = "webhook";
    public const string Sms = "sms";
}

/// <summary>
/// Where a message goes: a robot's or webhook's URL, an e-mail address or a phone number, and the
/// secrets that sign for it (several while a secret is being rotated; the first is the newest).
/// </summary>
public sealed record ChannelTarget(string Channel, string Address, IReadOnlyList<string> Secrets);

/// <summary>
/// A message in its reader's words. <see cref="Key"/> is the dedupe key: the same key is the same
/// message, however often it is sent (a webhook's <c>webhook-id</c>). <see cref="Text"/> is plain
/// text with light markdown (headings, bold, lists, links) that each sender renders for its channel.
/// </summary>
public sealed record ChannelMessage(string Key, string Title, string Text, DateTimeOffset At);

/// <summary>How a send went.</summary>
public enum ChannelOutcome
{
    /// <summary>The channel accepted the message.</summary>
    Delivered,

    /// <summary>The channel is down, slow or limiting: try again later (after <see cref="ChannelResult.RetryAfter"/> when it says).</summary>
    RetryLater,

    /// <summary>The target is gone for good (a webhook answering 410, a robot deleted): disable it.</summary>
    Gone,

    /// <summary>The channel refused this message for good (bad signature, malformed): do not retry it.</summary>
    Rejected,
}

/// <summary>The result of one send; <see cref="Detail"/> is for the delivery log and never holds a secret.</summary>
public sealed record ChannelResult(ChannelOutcome Outcome, string? Detail = null, TimeSpan? RetryAfter = null)
{
    public static ChannelResult Delivered { get; } = new(ChannelOutcome.Delivered);
}
