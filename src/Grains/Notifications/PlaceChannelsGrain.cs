using System.Collections.Immutable;
using Dispatch.Notifications.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Notifications;

/// <summary>
/// One place's channels (<see cref="ChannelRules"/>: its group robots, outgoing webhooks and alert
/// e-mail addresses, secrets included) and its delivery outbox. An alert is stored with a delivery
/// to every target that wants it in one write, then sent by <see cref="OutboxDispatcher"/>, each
/// result stored as it arrives: at once when due, again after a backoff on failure (a grain timer
/// when near, a reminder as the durable backstop that also wakes the grain after a crash). A round
/// holds the grain's turn (nothing here interleaves), so its writes and the other calls' never
/// overlap. A target the channel calls gone is disabled.
/// Who may read or change any of this is decided by the web host before it calls.
/// </summary>
public sealed partial class PlaceChannelsGrain(
    [PersistentState("placeChannels", StorageNames.Dispatch)] IPersistentState<PlaceChannelsGrain.State> state,
    OutboxDispatcher dispatcher,
    DigestReader digests,
    IOptions<DeliveryPolicy> policy,
    IOptions<NotificationOptions> notifications,
    TimeProvider time,
    ILogger<PlaceChannelsGrain> logger) : Grain, IPlaceChannelsGrain, IRemindable, IDisposable
{
    private const string Reminder = "deliveries";

    /// <summary>The reminder of a place with a target choosing the digest; it fires at the digest time.</summary>
    private const string DigestReminder = "digest";

    /// <summary>
    /// The digest reminder's period. It is moved to the next day's time whenever it fired, so it
    /// repeats only when a tick was missed: Orleans skips the ticks that fell while no silo ran, and
    /// a cluster started after the digest time still sends that day's within this period.
    /// </summary>
    public static readonly TimeSpan DigestCatchUp = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(2);

    private DeadlineAlarm? alarm;

    private DeliveryOutbox Outbox => state.State.Outbox;

    private DeadlineAlarm Alarm => alarm ??= new DeadlineAlarm(
        this, Reminder, ReminderPeriod, time, () => state.State.ReminderDue, due => state.State.ReminderDue = due, DeliverDue);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Deliveries an earlier activation left waiting go out in a turn of their own.
        Alarm.ArmTimer(Outbox.NextDue);
        return Task.CompletedTask;
    }

    public Task<PlaceChannels> Get() => Task.FromResult(state.State.Channels);

    public async Task<ChannelsResult<PlaceChannels>> Set(PlaceChannelsChange change)
    {
        var result = ChannelRules.Apply(change, state.State.Channels, () => Guid.NewGuid().ToString("N")[..12]);
        if (result.Value is not { } channels)
        {
            return result;
        }

        state.State.Channels = channels;
        await Store();
        await ScheduleDigest();
        return result;
    }

    public async Task Alert(ImmutableArray<InboxNotice> notices)
    {
        var now = time.GetUtcNow();
        var added = false;
        foreach (var notice in notices)
        {
            if (AlertTexts.KindOf(notice.Kind) is not { } kind)
            {
                continue;
            }

            var (title, text) = AlertTexts.For(notice);
            foreach (var (channel, targetId) in Targets(kind))
            {
                added |= Outbox.Add(notice.Key, channel, targetId, title, text, notice.At, now);
            }
        }

        if (added)
        {
            await Store(first: () => Alarm.BringReminderForwardAsync(Outbox.NextDue));
            Alarm.ArmTimer(Outbox.NextDue);
        }
    }

    public Task<DeliveryPage> Deliveries(DeliveryStatus? status, int page, int pageSize)
    {
        var matching = Outbox.Deliveries.Reverse().Where(d => status is null || d.Status == status).ToList();
        return Task.FromResult(new DeliveryPage([.. matching.Skip((page - 1) * pageSize).Take(pageSize)], matching.Count, page));
    }

    public async Task<Delivery?> Replay(long deliveryId)
    {
        if (Outbox.Find(deliveryId) is not { } found || TargetOf(found) is null)
        {
            return null;
        }

        var replayed = Outbox.Replay(deliveryId, time.GetUtcNow());
        if (replayed is not null)
        {
            await Store(first: () => Alarm.BringReminderForwardAsync(Outbox.NextDue));
            Alarm.ArmTimer(Outbox.NextDue);
        }

        return replayed;
    }

    public async Task DeliverDue()
    {
        await dispatcher.Round(Outbox, TargetOf, policy.Value, time, StoreResults, CancellationToken.None);
        await Alarm.SettleReminderAsync(Outbox.NextDue);
        Alarm.ArmTimer(Outbox.NextDue);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == DigestReminder)
        {
            await SendDigest();
            return;
        }

        Alarm.ReminderFired();
        await DeliverDue();
    }

    /// <summary>
    /// Stores today's digest for every target that chooses it, once a day: the day is stored with
    /// the deliveries in one write, and each carries the key <c>digest:{placeId}:{date}</c>, so a
    /// second firing (a restart, another silo) adds nothing and receivers can drop a repeat.
    /// </summary>
    public async Task SendDigest()
    {
        var targets = Targets(AlertKind.Digest).ToList();
        var now = time.GetUtcNow();
        if (targets.Count > 0 && MorningDigest.Due(now, notifications.Value.DigestTime, state.State.DigestSent) is { } date)
        {
            // A place that is gone has nothing to tell; its day counts as done so the reminder waits for tomorrow.
            var placeId = this.GetPrimaryKeyString()[ChannelKeys.PlacePrefix.Length..];
            var figures = await digests.Read(placeId, CancellationToken.None);
            if (figures is not null)
            {
                var (title, text) = MorningDigest.Compose(date, figures);
                var key = MorningDigest.Key(placeId, date);
                foreach (var (channel, targetId) in targets)
                {
                    Outbox.Add(key, channel, targetId, title, text, now, now);
                }
            }

            state.State.DigestSent = date;
            await Store(first: () => Alarm.BringReminderForwardAsync(Outbox.NextDue));
            Alarm.ArmTimer(Outbox.NextDue);
            LogDigest(placeId, date, figures is null ? 0 : targets.Count);
        }

        await ScheduleDigest();
    }

    public void Dispose() => alarm?.Dispose();

    /// <summary>
    /// Keeps the digest reminder true to the channels: registered for the next digest time while a
    /// target chooses the digest, gone when none does. It is moved only when the time it is due
    /// changes (a new setting, or after it fired); its short period only matters after an outage.
    /// </summary>
    private async Task ScheduleDigest()
    {
        var now = time.GetUtcNow();
        if (Targets(AlertKind.Digest).Any())
        {
            var next = MorningDigest.Next(now, notifications.Value.DigestTime, state.State.DigestSent);
            if (state.State.DigestDue != next || next <= now)
            {
                await this.RegisterOrUpdateReminder(DigestReminder, next - now, DigestCatchUp);
                state.State.DigestDue = next;
                await Store();
            }
        }
        else if (state.State.DigestDue is not null)
        {
            if (await this.GetReminder(DigestReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            state.State.DigestDue = null;
            await Store();
        }
    }

    /// <summary>The enabled targets that want alerts of <paramref name="kind"/>, as (channel, target id).</summary>
    private IEnumerable<(string Channel, string TargetId)> Targets(AlertKind kind)
    {
        var channels = state.State.Channels;
        foreach (var robot in channels.Robots.Where(r => r.DisabledReason is null && r.Events.Contains(kind)))
        {
            yield return (robot.Kind.ToString().ToLowerInvariant(), robot.Id);
        }

        foreach (var webhook in channels.Webhooks.Where(w => w.DisabledReason is null && w.Events.Contains(kind)))
        {
            yield return (ChannelNames.Webhook, webhook.Id);
        }

        if (channels.EmailEvents.Contains(kind))
        {
            foreach (var email in channels.Emails)
            {
                yield return (ChannelNames.Email, EmailTargetId(email));
            }
        }
    }

    /// <summary>Where a delivery goes now (its secrets as they are now: a rotation applies to retries); null when the target was removed or disabled.</summary>
    private ChannelTarget? TargetOf(Delivery delivery)
    {
        var channels = state.State.Channels;
        return delivery.Channel switch
        {
            ChannelNames.Webhook => channels.Webhooks.FirstOrDefault(w => w.Id == delivery.TargetId && w.DisabledReason is null) is { } w
                ? new ChannelTarget(ChannelNames.Webhook, w.Url, w.Secrets)
                : null,
            ChannelNames.Email => channels.Emails.FirstOrDefault(e => EmailTargetId(e) == delivery.TargetId) is { } e
                ? new ChannelTarget(ChannelNames.Email, e, [])
                : null,
            _ => channels.Robots.FirstOrDefault(r => r.Id == delivery.TargetId && r.DisabledReason is null) is { } r
                ? new ChannelTarget(delivery.Channel, r.Url, r.Secret is { } s ? [s] : [])
                : null,
        };
    }

    private void Disable(string targetId)
    {
        var reason = $"Disabled at {time.GetUtcNow():u}: the channel said the target is gone.";
        var channels = state.State.Channels;
        state.State.Channels = channels with
        {
            Webhooks = [.. channels.Webhooks.Select(w => w.Id == targetId ? w with { DisabledReason = reason } : w)],
            Robots = [.. channels.Robots.Select(r => r.Id == targetId ? r with { DisabledReason = reason } : r)],
        };
        var key = this.GetPrimaryKeyString();
        LogDisabled(key, targetId);
    }

    /// <summary>Stores the results a round recorded so far, with the targets they found gone disabled.</summary>
    private Task StoreResults(ImmutableArray<string> gone)
    {
        foreach (var target in gone)
        {
            Disable(target);
        }

        Outbox.Prune(policy.Value.LogCapacity);
        return Store();
    }

    private static string EmailTargetId(string email) => "email:" + email.ToLowerInvariant();

    private Task Store(Func<Task>? first = null) =>
        state.WriteOrReloadAsync(this, exception => LogWriteFailed(exception, this.GetPrimaryKeyString()), first);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing the channels of {Key} failed; the activation is dropped")]
    private partial void LogWriteFailed(Exception exception, string key);

    [LoggerMessage(Level = LogLevel.Information, Message = "The digest of {PlaceId} for {Date} was stored for {Targets} targets")]
    private partial void LogDigest(string placeId, DateOnly date, int targets);

    [LoggerMessage(Level = LogLevel.Information, Message = "A channel target {TargetId} of {Key} is gone and was disabled")]
    private partial void LogDisabled(string key, string targetId);

    [GenerateSerializer, Alias("Dispatch.PlaceChannelsGrain.State")]
    public sealed class State
    {
        [Id(0)] public PlaceChannels Channels { get; set; } = PlaceChannels.None;

        [Id(1)] public DeliveryOutbox Outbox { get; set; } = new();

        /// <summary>When the delivery reminder is registered for; null when none is.</summary>
        [Id(2)] public DateTimeOffset? ReminderDue { get; set; }

        /// <summary>The China date of the last digest stored; a second one that day is not.</summary>
        [Id(3)] public DateOnly? DigestSent { get; set; }

        /// <summary>When the digest reminder is registered for; null when none is.</summary>
        [Id(4)] public DateTimeOffset? DigestDue { get; set; }
    }
}
