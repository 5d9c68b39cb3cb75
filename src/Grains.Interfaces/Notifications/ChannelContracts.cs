using System.Collections.Immutable;

namespace Dispatch.Notifications;

/// <summary>What a place's robots, webhooks and e-mail addresses may be told.</summary>
public enum AlertKind
{
    /// <summary>A request climbed to the place.</summary>
    Escalated,

    /// <summary>A report-in (双报到) waits for the place's staff.</summary>
    ApplicationWaiting,

    /// <summary>The morning digest: what is overdue, waiting verification and waiting approval.</summary>
    Digest,
}

/// <summary>The group robots Dispatch talks to.</summary>
public enum RobotKind
{
    Wecom,
    Dingtalk,
    Feishu,
}

/// <summary>A place's group robot as stored: its URL and, for DingTalk and Feishu, its signing secret.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RobotChannel")]
public sealed record RobotChannel(
    string Id,
    RobotKind Kind,
    string Url,
    string? Secret,
    ImmutableArray<AlertKind> Events,
    string? DisabledReason = null);

/// <summary>A place's outgoing webhook as stored: its URL, its <c>whsec_</c> secrets (newest first, several while one is rotated) and the alerts it wants.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WebhookChannel")]
public sealed record WebhookChannel(
    string Id,
    string Url,
    ImmutableArray<string> Secrets,
    ImmutableArray<AlertKind> Events,
    string? DisabledReason = null);

/// <summary>Where a place's alerts go besides its staff's inboxes.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PlaceChannels")]
public sealed record PlaceChannels(
    ImmutableArray<RobotChannel> Robots,
    ImmutableArray<WebhookChannel> Webhooks,
    ImmutableArray<string> Emails,
    ImmutableArray<AlertKind> EmailEvents)
{
    public static PlaceChannels None { get; } = new([], [], [], []);
}

/// <summary>A robot as it is changed: an existing one by <see cref="Id"/> keeps its URL and secret unless new ones are given.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RobotChannelChange")]
public sealed record RobotChannelChange(
    string? Id,
    RobotKind? Kind,
    string? Url,
    string? Secret,
    ImmutableArray<AlertKind>? Events);

/// <summary>A webhook as it is changed: an existing one by <see cref="Id"/> keeps its URL and secrets unless new ones are given.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.WebhookChannelChange")]
public sealed record WebhookChannelChange(
    string? Id,
    string? Url,
    ImmutableArray<string>? Secrets,
    ImmutableArray<AlertKind>? Events);

/// <summary>The whole of a place's channels as they are to be: what is not listed goes.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PlaceChannelsChange")]
public sealed record PlaceChannelsChange(
    ImmutableArray<RobotChannelChange>? Robots,
    ImmutableArray<WebhookChannelChange>? Webhooks,
    ImmutableArray<string>? Emails,
    ImmutableArray<AlertKind>? EmailEvents);

/// <summary>A person's own channels: their e-mail, their phone for SMS (private, as a beneficiary's contact), and which notices go out beyond the inbox.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PersonChannels")]
public sealed record PersonChannels(
    string? Email,
    string? Phone,
    ImmutableArray<NoticeKind> Kinds)
{
    public static PersonChannels None { get; } = new(null, null, []);
}

/// <summary>
/// Which channels this server can send a person's notices through: e-mail when an SMTP server is
/// configured (<c>Dispatch:Notifications:Email:Host</c>), SMS when a provider is
/// (<c>Dispatch:Notifications:Sms:Provider</c>). As the silo that holds the inbox sees it, since it
/// is the one that sends.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ChannelsConfigured")]
public sealed record ChannelsConfigured(bool Email, bool Sms);

/// <summary>A person's own channels as the API shows them to their owner: <see cref="PersonChannels"/> and whether this server can send e-mail and SMS at all.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PersonChannelsView")]
public sealed record PersonChannelsView(
    string? Email,
    string? Phone,
    ImmutableArray<NoticeKind> Kinds,
    ChannelsConfigured Configured)
{
    public static PersonChannelsView Of(PersonChannels channels, ChannelsConfigured configured) =>
        new(channels.Email, channels.Phone, channels.Kinds, configured);
}

/// <summary>
/// A place's channel settings, keyed by <see cref="ChannelKeys.Place"/>. Secrets are kept here
/// and only here; what the API shows of them is whether one is set.
/// </summary>
public interface IPlaceChannelsGrain : IGrainWithStringKey
{
    Task<PlaceChannels> Get();

    /// <summary>Replaces the settings with <paramref name="change"/> (<see cref="ChannelRules"/>); answers them as stored, or every field at fault with nothing changed.</summary>
    Task<ChannelsResult<PlaceChannels>> Set(PlaceChannelsChange change);

    /// <summary>
    /// Stores the place's alerts (escalations, applications waiting, its digest) with a delivery to
    /// each enabled robot, webhook and e-mail address that wants them, in one write, then answers;
    /// a repeat (same keys) adds nothing. Throws when the write fails: nothing is confirmed.
    /// </summary>
    Task Alert(ImmutableArray<InboxNotice> notices);

    /// <summary>The delivery log, newest first; only those with <paramref name="status"/> when given.</summary>
    Task<DeliveryPage> Deliveries(DeliveryStatus? status, int page, int pageSize);

    /// <summary>Sends a finished delivery again (same dedupe key); null when there is none or it still waits.</summary>
    Task<Delivery?> Replay(long deliveryId);

    /// <summary>Makes the attempts that are due now (the timer and the reminder call this too).</summary>
    Task DeliverDue();
}

/// <summary>The keys of the channel grains.</summary>
public static class ChannelKeys
{
    public const string PlacePrefix = "channels:";

    public static string Place(string placeId) => PlacePrefix + placeId;
}
