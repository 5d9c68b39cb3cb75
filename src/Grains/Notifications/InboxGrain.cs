using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Dispatch.Notifications;

/// <summary>
/// Holds one person's <see cref="Inbox"/>. A delivery is stored before it is answered, so the
/// grain that decided the notices forgets them only once they are durable here; a repeated
/// delivery (same keys) changes nothing. Each change is pushed to the hosts watching the inbox.
/// A notice of a kind the person chose also goes to their e-mail when e-mail is configured, and, when SMS is configured and
/// they gave a phone, by SMS for the kinds that matter on a phone (<see cref="PersonTexts.GoesBySms"/>):
/// each delivery is stored in the same write as the notice and sent from this grain's outbox, like
/// a place's alerts.
/// </summary>
public sealed partial class InboxGrain(
    [PersistentState("inbox", StorageNames.Dispatch)] IPersistentState<InboxGrain.State> state,
    IOptions<NotificationOptions> options,
    IOptions<Channels.Sms.SmsOptions> sms,
    IOptions<Channels.Email.EmailOptions> email,
    OutboxDispatcher dispatcher,
    IOptions<DeliveryPolicy> policy,
    TimeProvider time,
    ILogger<InboxGrain> logger) : Grain, IInboxGrain, IRemindable, IDisposable
{
    private const string Reminder = "deliveries";
    private const string EmailTarget = "email:own";
    private const string SmsTarget = "sms:own";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(2);

    private DeadlineAlarm? alarm;

    private DeadlineAlarm Alarm => alarm ??= new DeadlineAlarm(
        this, Reminder, ReminderPeriod, time, () => state.State.ReminderDue, due => state.State.ReminderDue = due, DeliverDue);

    /// <summary>How long a host's subscription lasts without renewal.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(5);

    private readonly ObserverManager<IInboxObserver> observers = new(SubscriptionLifetime, logger);

    private Inbox Inbox => state.State.Inbox;

    private string Username => InboxKeysOf(this.GetPrimaryKeyString());

    public async Task Deliver(ImmutableArray<InboxNotice> notices)
    {
        var added = Inbox.Deliver(notices);
        var pruned = Prune();
        if (added.IsEmpty && !pruned)
        {
            return;
        }

        var sending = false;
        var channels = state.State.Channels;
        var now = time.GetUtcNow();
        foreach (var item in added.Where(i => channels.Kinds.Contains(i.Kind)))
        {
            if (channels.Email is not null && email.Value.Enabled)
            {
                var (title, text) = PersonTexts.For(item);
                sending |= state.State.Outbox.Add(item.Key, Channels.ChannelNames.Email, EmailTarget, title, text, item.At, now);
            }

            if (channels.Phone is not null && sms.Value.IsOn && PersonTexts.GoesBySms(item.Kind))
            {
                var text = PersonTexts.Sms(item);
                sending |= state.State.Outbox.Add(item.Key, Channels.ChannelNames.Sms, SmsTarget, text, text, item.At, now);
            }
        }

        await state.WriteOrReloadAsync(
            this,
            exception => LogWriteFailed(exception, Username),
            sending ? () => Alarm.BringReminderForwardAsync(state.State.Outbox.NextDue) : null);
        foreach (var item in added)
        {
            Push(item);
        }

        if (sending)
        {
            Alarm.ArmTimer(state.State.Outbox.NextDue);
        }
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // E-mails an earlier activation left waiting go out in a turn of their own.
        Alarm.ArmTimer(state.State.Outbox.NextDue);
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Alarm.ReminderFired();
        await DeliverDue();
    }

    public void Dispose() => alarm?.Dispose();

    private async Task DeliverDue()
    {
        if (state.State.Outbox.NextDue is null)
        {
            await Alarm.SettleReminderAsync(null);
            return;
        }

        // The address and phone as they are now: a change applies to retries; a removed one refuses them.
        await dispatcher.Round(
            state.State.Outbox,
            delivery => delivery.Channel switch
            {
                Channels.ChannelNames.Sms => state.State.Channels.Phone is { } phone ? new Channels.ChannelTarget(Channels.ChannelNames.Sms, phone, []) : null,
                _ => state.State.Channels.Email is { } email ? new Channels.ChannelTarget(Channels.ChannelNames.Email, email, []) : null,
            },
            policy.Value,
            time,
            _ =>
            {
                state.State.Outbox.Prune(Math.Min(policy.Value.LogCapacity, 50));
                return state.WriteOrReloadAsync(this, exception => LogWriteFailed(exception, Username));
            },
            CancellationToken.None);
        await Alarm.SettleReminderAsync(state.State.Outbox.NextDue);
        Alarm.ArmTimer(state.State.Outbox.NextDue);
    }

    public Task<InboxPage> List(bool unreadOnly, int page, int pageSize)
    {
        // Pruned in memory only: storage keeps them until the next write, and a reload prunes again.
        Prune();
        return Task.FromResult(Inbox.Page(unreadOnly, page, pageSize));
    }

    public async Task<InboxItem?> MarkRead(long id)
    {
        var (item, changed) = Inbox.MarkRead(id, time.GetUtcNow());
        if (changed)
        {
            await state.WriteOrReloadAsync(this, exception => LogWriteFailed(exception, Username));
            Push(null);
        }

        return item;
    }

    public async Task<bool> Received(long id)
    {
        if (Inbox.Items.FirstOrDefault(i => i.Id == id) is not { } item)
        {
            return false;
        }

        // The expiry the notice announced names the offer: the request ignores a late word about an earlier one.
        if (item is { Kind: NoticeKind.Offered, RequestId: { } requestId, Until: { } announced })
        {
            await GrainFactory.GetGrain<Requests.IRequestGrain>(requestId).ConfirmOfferReached(Username, announced);
        }

        return true;
    }

    public async Task<int> MarkAllRead()
    {
        var marked = Inbox.MarkAllRead(time.GetUtcNow());
        if (marked > 0)
        {
            await state.WriteOrReloadAsync(this, exception => LogWriteFailed(exception, Username));
            Push(null);
        }

        return marked;
    }

    public Task<int> Subscribe(IInboxObserver observer)
    {
        observers.Subscribe(observer, observer);
        return Task.FromResult(Inbox.Unread);
    }

    public Task Unsubscribe(IInboxObserver observer)
    {
        observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<Delivery>> Deliveries() =>
        Task.FromResult<ImmutableArray<Delivery>>([.. state.State.Outbox.Deliveries.Reverse()]);

    public Task<PersonChannelsView> GetChannels() => Task.FromResult(PersonChannelsView.Of(state.State.Channels, Configured));

    public async Task<ChannelsResult<PersonChannelsView>> SetChannels(PersonChannels channels)
    {
        var result = ChannelRules.Apply(channels);
        if (result.Value is not { } applied)
        {
            return new ChannelsResult<PersonChannelsView>(null, result.Errors);
        }

        var before = state.State.Channels;
        state.State.Channels = applied;
        await state.WriteOrReloadAsync(this, exception =>
        {
            state.State.Channels = before;
            LogWriteFailed(exception, Username);
        });
        return new ChannelsResult<PersonChannelsView>(PersonChannelsView.Of(applied, Configured), []);
    }

    /// <summary>What this silo sends a person's notices through besides the inbox: the same settings <see cref="Deliver"/> reads.</summary>
    private ChannelsConfigured Configured => new(email.Value.Enabled, sms.Value.IsOn);

    private static string InboxKeysOf(string key) => Common.GrainKeys.IdOf(key, InboxKeys.InboxPrefix);

    /// <summary>Old notices leave with the next write (never a write of their own).</summary>
    private bool Prune() => Inbox.Prune(time.GetUtcNow(), options.Value.InboxRetention, options.Value.InboxCapacity);

    private void Push(InboxItem? item)
    {
        var change = new InboxChange(Username, item, Inbox.Unread);
        observers.Notify(observer => observer.OnInboxChanged(change));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing the inbox of {Username} failed; the activation is dropped")]
    private partial void LogWriteFailed(Exception exception, string username);

    [GenerateSerializer, Alias("Dispatch.InboxGrain.State")]
    public sealed class State
    {
        [Id(0)] public Inbox Inbox { get; set; } = new();

        /// <summary>The person's own channels (e-mail, phone for SMS, which notices go out); kept with the inbox so a notice and its deliveries are stored together.</summary>
        [Id(1)] public PersonChannels Channels { get; set; } = PersonChannels.None;

        /// <summary>E-mails and text messages of the person's notices on their way, and the latest sent.</summary>
        [Id(2)] public DeliveryOutbox Outbox { get; set; } = new();

        /// <summary>When the delivery reminder is registered for; null when none is.</summary>
        [Id(3)] public DateTimeOffset? ReminderDue { get; set; }
    }
}
