using System.Collections.Immutable;
using Dispatch.Notifications.Channels;

namespace Dispatch.Notifications;

/// <summary>How deliveries are retried (<c>Dispatch:Notifications:Delivery</c>).</summary>
public sealed class DeliveryPolicy
{
    public const string Section = "Dispatch:Notifications:Delivery";

    /// <summary>The wait after the first failure; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long a webhook delivery is retried before it is given up (Standard Webhooks suggests days).</summary>
    public TimeSpan WebhookGiveUpAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long deliveries on other channels (e-mail, robots, SMS) are retried.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Finished deliveries kept for the delivery log.</summary>
    public int LogCapacity { get; set; } = 500;

    public TimeSpan GiveUpAfterFor(string channel) => channel == ChannelNames.Webhook ? WebhookGiveUpAfter : GiveUpAfter;

    /// <summary>The wait before attempt <paramref name="failures"/> + 1: exponential, with ±20 % jitter so that many targets failing together do not retry together.</summary>
    public TimeSpan DelayAfter(int failures, double random)
    {
        var exponent = Math.Min(failures - 1, 30);
        var delay = Math.Min(FirstRetryDelay.TotalSeconds * Math.Pow(2, exponent), MaxRetryDelay.TotalSeconds);
        return TimeSpan.FromSeconds(delay * (0.8 + (0.4 * random)));
    }

    public bool IsValid() =>
        FirstRetryDelay >= TimeSpan.FromSeconds(1) && FirstRetryDelay <= MaxRetryDelay && MaxRetryDelay <= TimeSpan.FromDays(1)
        && WebhookGiveUpAfter >= TimeSpan.FromMinutes(1) && WebhookGiveUpAfter <= TimeSpan.FromDays(30)
        && GiveUpAfter >= TimeSpan.FromMinutes(1) && GiveUpAfter <= TimeSpan.FromDays(30)
        && LogCapacity is >= 10 and <= 10_000;
}

/// <summary>
/// A durable outbox as plain C#: the grain that stores a notice adds its deliveries here in the same
/// state write. Attempts are taken per target, oldest first, one at a time per target, so a target
/// that is down (backing off) delays only its own deliveries. A delivery is tried until the channel
/// accepts or refuses it, or until the policy gives it up; a target that is gone takes its waiting
/// deliveries with it.
/// </summary>
[GenerateSerializer, Alias("Dispatch.DeliveryOutbox")]
public sealed class DeliveryOutbox
{
    /// <summary>Oldest first: the waiting ones and the latest finished ones (the delivery log).</summary>
    [Id(0)] public ImmutableArray<Delivery> Deliveries { get; private set; } = [];

    [Id(1)] public long LastId { get; private set; }

    /// <summary>Adds a delivery of the notice to the target unless one with the same key is there already; true when added.</summary>
    public bool Add(string key, string channel, string targetId, string title, string text, DateTimeOffset at, DateTimeOffset now)
    {
        if (Deliveries.Any(d => d.Key == key && d.TargetId == targetId))
        {
            return false;
        }

        Deliveries = Deliveries.Add(new Delivery(++LastId, key, channel, targetId, title, text, at, now, 0, now, DeliveryStatus.Pending, null, null));
        return true;
    }

    /// <summary>The deliveries to attempt now: each target's oldest waiting one, when it is due.</summary>
    public ImmutableArray<Delivery> Due(DateTimeOffset now) =>
    [
        .. Deliveries.Where(d => d.Status == DeliveryStatus.Pending)
            .GroupBy(d => d.TargetId)
            .Select(g => g.OrderBy(d => d.Id).First())
            .Where(d => d.NextAttemptAt <= now)
            .OrderBy(d => d.Id),
    ];

    /// <summary>When the next attempt is due, or null when nothing waits.</summary>
    public DateTimeOffset? NextDue =>
        Deliveries.Where(d => d.Status == DeliveryStatus.Pending)
            .GroupBy(d => d.TargetId)
            .Select(g => g.OrderBy(d => d.Id).First().NextAttemptAt)
            .Cast<DateTimeOffset?>()
            .Min();

    public Delivery? Find(long id) => Deliveries.FirstOrDefault(d => d.Id == id);

    /// <summary>
    /// Records how an attempt went; answers the target to disable when the channel said it is gone.
    /// <paramref name="random"/> is in [0, 1): the jitter.
    /// </summary>
    public string? Record(long id, ChannelResult result, DateTimeOffset now, DeliveryPolicy policy, double random)
    {
        var index = IndexOf(id);
        if (index < 0 || Deliveries[index].Status != DeliveryStatus.Pending)
        {
            return null;
        }

        var delivery = Deliveries[index] with { Attempts = Deliveries[index].Attempts + 1, Detail = result.Detail };
        switch (result.Outcome)
        {
            case ChannelOutcome.Delivered:
                Deliveries = Deliveries.SetItem(index, delivery with { Status = DeliveryStatus.Delivered, FinishedAt = now });
                return null;
            case ChannelOutcome.Rejected:
                Deliveries = Deliveries.SetItem(index, delivery with { Status = DeliveryStatus.Rejected, FinishedAt = now });
                return null;
            case ChannelOutcome.Gone:
                Deliveries = Deliveries.SetItem(index, delivery with { Status = DeliveryStatus.TargetGone, FinishedAt = now });
                DropWaitingFor(delivery.TargetId, now, "The target is gone and was disabled; not sent.");
                return delivery.TargetId;
            default:
                if (now - delivery.CreatedAt >= policy.GiveUpAfterFor(delivery.Channel))
                {
                    Deliveries = Deliveries.SetItem(index, delivery with
                    {
                        Status = DeliveryStatus.GaveUp,
                        FinishedAt = now,
                        Detail = $"Given up after {delivery.Attempts} attempts: {result.Detail}",
                    });
                    return null;
                }

                var wait = policy.DelayAfter(delivery.Attempts, random);
                if (result.RetryAfter is { } asked && asked > wait && asked <= policy.MaxRetryDelay)
                {
                    wait = asked;
                }

                Deliveries = Deliveries.SetItem(index, delivery with { NextAttemptAt = now + wait });
                return null;
        }
    }

    /// <summary>Marks the waiting deliveries to a target that went away (disabled or removed) as not sent.</summary>
    public bool DropWaitingFor(string targetId, DateTimeOffset now, string detail)
    {
        var changed = false;
        Deliveries = [.. Deliveries.Select(d =>
        {
            if (d.TargetId != targetId || d.Status != DeliveryStatus.Pending)
            {
                return d;
            }

            changed = true;
            return d with { Status = DeliveryStatus.TargetGone, FinishedAt = now, Detail = detail };
        })];
        return changed;
    }

    /// <summary>Puts a finished delivery back in the queue as a new attempt (same key: a receiver that honours it acts once); null when there is none or it still waits.</summary>
    public Delivery? Replay(long id, DateTimeOffset now)
    {
        var index = IndexOf(id);
        if (index < 0 || Deliveries[index].Status == DeliveryStatus.Pending)
        {
            return null;
        }

        var replayed = Deliveries[index] with { Status = DeliveryStatus.Pending, NextAttemptAt = now, CreatedAt = now, FinishedAt = null, Detail = "Replayed." };
        Deliveries = Deliveries.SetItem(index, replayed);
        return replayed;
    }

    /// <summary>Drops the oldest finished deliveries beyond <paramref name="capacity"/>; waiting ones always stay.</summary>
    public bool Prune(int capacity)
    {
        var finished = Deliveries.Count(d => d.Status != DeliveryStatus.Pending);
        if (finished <= capacity)
        {
            return false;
        }

        var drop = Deliveries.Where(d => d.Status != DeliveryStatus.Pending).OrderBy(d => d.FinishedAt).Take(finished - capacity).Select(d => d.Id).ToHashSet();
        Deliveries = Deliveries.RemoveAll(d => drop.Contains(d.Id));
        return true;
    }

    private int IndexOf(long id)
    {
        for (var i = 0; i < Deliveries.Length; i++)
        {
            if (Deliveries[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }
}
