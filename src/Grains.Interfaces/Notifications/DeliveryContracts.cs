using System.Collections.Immutable;

namespace Dispatch.Notifications;

/// <summary>Where a delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Waiting for its next attempt.</summary>
    Pending,

    /// <summary>The channel accepted it.</summary>
    Delivered,

    /// <summary>Retried until <see cref="DeliveryPolicy.GiveUpAfter"/> and given up.</summary>
    GaveUp,

    /// <summary>The channel refused it for good.</summary>
    Rejected,

    /// <summary>The target is gone (a webhook answering 410): it is disabled, this and what waited for it are not sent.</summary>
    TargetGone,
}

/// <summary>
/// One message on its way to one target. <see cref="Key"/> is the notice's key: the dedupe key every
/// attempt carries (a webhook's <c>webhook-id</c>), so a receiver that honours it acts once.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Delivery")]
public sealed record Delivery(
    long Id,
    string Key,
    string Channel,
    string TargetId,
    string Title,
    string Text,
    DateTimeOffset At,
    DateTimeOffset CreatedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DeliveryStatus Status,
    string? Detail,
    DateTimeOffset? FinishedAt);

/// <summary>A page of a place's delivery log, newest first.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.DeliveryPage")]
public sealed record DeliveryPage(ImmutableArray<Delivery> Items, int Total, int Page);
