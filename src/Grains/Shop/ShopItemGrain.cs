using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Points;
using Microsoft.Extensions.Logging;

namespace Dispatch.Shop;

/// <summary>
/// Holds one <see cref="ShopItem"/>. Redemptions of an item are handled one at a time, so a rush
/// of buyers never takes more units than it has; each buyer's ledger refuses a debit beyond the
/// balance, so none is overdrawn.
/// </summary>
/// <remarks>
/// A redemption is three steps, each durable before the next: (1) reserve a unit and store the
/// order as processing; (2) post the debit to the buyer's ledger under the key
/// <c>order:{orderId}</c> (a ledger posts a key once); (3) store the order as pending, or, if the
/// ledger refused, drop it and put the unit back. A cancellation is the same shape: cancelling,
/// refund under <c>refund:{orderId}</c>, cancelled with the unit back. A crash between the steps
/// leaves an order in flight; it is finished by running step 2 again (harmless, the key makes it
/// idempotent) and then step 3: when the grain activates, when the same order is redeemed again,
/// and from a reminder that exists while any order is in flight.
/// </remarks>
public sealed partial class ShopItemGrain(
    [PersistentState("shopItem", StorageNames.Dispatch)] IPersistentState<ShopItemGrain.State> state,
    TimeProvider time,
    ILogger<ShopItemGrain> logger) : Grain, IShopItemGrain, IRemindable, IDisposable
{
    public const string RecoveryReminder = "recovery";

    /// <summary>How soon, and how often, the reminder finishes orders left in flight (Orleans' minimum period).</summary>
    public static readonly TimeSpan RecoveryPeriod = TimeSpan.FromMinutes(1);

    // What is stored, for the interleaved reads: they may run while a change is being written.
    private ShopItemView? committed;

    // When this activation knows the reminder to fire next (memory only: a stale null costs one upsert).
    private DateTimeOffset? reminderDue;
    private DeadlineAlarm? alarm;

    private ShopItem? Item => state.State.Item;

    private Guid ItemId => this.GetPrimaryKey();

    // The recovery reminder exists while an order is in flight; the timer runs a recovery at activation.
    private DeadlineAlarm Alarm => alarm ??= new DeadlineAlarm(
        this, RecoveryReminder, RecoveryPeriod, time, () => reminderDue, due => reminderDue = due, Recover);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        committed = Item?.ToView();

        // Orders left in flight by an earlier activation are finished in a turn of their own, never
        // inside the call that activated the grain, so a failing ledger cannot fail that call; so
        // are notices an inbox did not take yet.
        if (Item is { HasInFlight: true } || !state.State.PendingNotices.IsDefaultOrEmpty)
        {
            Alarm.ArmTimer(time.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    public async Task<Outcome<ShopItemView>> Create(string placeId, NewShopItem item, Actor actor)
    {
        if (Item is { } existing)
        {
            return existing.CreatedBy == actor.Username && existing.PlaceId == placeId
                ? existing.ToView()
                : Failure.Conflict("alreadyExists", $"Shop item '{existing.Id}' already exists.");
        }

        if (!Identifiers.IsValidPlaceId(placeId))
        {
            return Failure.Invalid("placeId", $"'{placeId}' is not a place id.");
        }

        var errors = ShopLimits.Validate(item);
        if (!errors.IsEmpty)
        {
            var (field, messages) = errors.ToDictionary().First();
            return Failure.Invalid(field, messages[0]);
        }

        state.State.Item = ShopItem.Create(ItemId, placeId, item, actor.Username, time.GetUtcNow());
        await Store();
        LogCreated(ItemId, placeId, item.Name, item.Cost, item.Stock, actor.Username);
        return state.State.Item.ToView();
    }

    public Task<ShopItemView?> Get() => Task.FromResult(committed);

    public Task<ImmutableArray<ShopOrderView>?> GetOrders() =>
        Task.FromResult<ImmutableArray<ShopOrderView>?>(Item?.OrderViews());

    public Task<ImmutableArray<ShopOrderView>> GetOrdersOf(string buyer) =>
        Task.FromResult(Item?.OrderViewsOf(buyer) ?? []);

    public async Task<Outcome<ShopOrderView>> Redeem(Guid orderId, ShopBuyer buyer)
    {
        if (Item is not { } item)
        {
            return ItemNotFound();
        }

        // Out of stock, or a retry of an order past processing: answered from memory, no I/O.
        var before = item.Version;
        var reserved = item.Reserve(orderId, buyer, time.GetUtcNow());
        if (reserved.Value is not { } order)
        {
            if (reserved.Failure!.Code == "outOfStock")
            {
                DispatchMetrics.Redemption(DispatchMetrics.RedemptionOutcomes.OutOfStock);
            }

            return reserved.Failure!;
        }

        if (item.Version != before)
        {
            await Store(); // (1) The unit is held and the order in flight, durably, before the ledger is asked.
        }

        return order.Status == OrderStatus.Processing ? await SettleRedemption(order) : item.ToView(order);
    }

    public async Task<Outcome<ShopItemView>> Edit(ShopItemEdit edit, Actor actor)
    {
        if (Item is not { } item)
        {
            return ItemNotFound();
        }

        var errors = ShopLimits.Validate(edit);
        if (!errors.IsEmpty)
        {
            var (field, messages) = errors.ToDictionary().First();
            return Failure.Invalid(field, messages[0]);
        }

        var before = item.Version;
        item.Edit(edit, time.GetUtcNow());
        if (item.Version != before)
        {
            await Store();
            LogEdited(item.Id, item.Name, item.Cost, item.Stock, actor.Username);
        }

        return item.ToView();
    }

    public async Task<Outcome<ShopItemView>> SetPicture(byte[] bytes, Actor actor)
    {
        if (Item is not { } item)
        {
            return ItemNotFound();
        }

        // The bytes are stored first: the item never names a picture that was not kept.
        var stored = await Picture().Put(bytes, actor);
        if (stored.Value is not { } picture)
        {
            return stored.Failure!;
        }

        if (item.SetPicture(picture.Tag, time.GetUtcNow()))
        {
            await Store();
            LogPictureSet(item.Id, picture.ContentType, picture.Bytes.Length, actor.Username);
        }

        return item.ToView();
    }

    public async Task<Outcome<ShopItemView>> RemovePicture(Actor actor)
    {
        if (Item is not { } item)
        {
            return ItemNotFound();
        }

        // The item forgets the picture first, so no view names an address that answers 404; the
        // bytes are removed even when the item named none (a removal cut short before is finished).
        if (item.SetPicture(null, time.GetUtcNow()))
        {
            await Store();
            LogPictureRemoved(item.Id, actor.Username);
        }

        await Picture().Remove(actor);
        return item.ToView();
    }

    public async Task<Outcome<ShopOrderView>> Fulfil(Guid orderId, Actor actor)
    {
        if (Item is not { } item)
        {
            return ItemNotFound();
        }

        var before = item.Version;
        var outcome = item.Fulfil(orderId, actor, time.GetUtcNow());
        if (outcome.Value is not { } order)
        {
            return outcome.Failure!;
        }

        var view = item.ToView(order);
        if (item.Version != before)
        {
            // The buyer is told in the same write as the hand-over, and only once it is stored.
            // (A failed write drops the activation, so memory never keeps a notice that was not stored.)
            state.State.PendingNotices = state.State.PendingNotices.Add(Notifications.ShopNotices.Ready(view, time.GetUtcNow()));
            await Store();

            LogFulfilled(item.Id, orderId, actor.Username);
        }

        await DeliverNotices();
        return view;
    }

    public async Task<Outcome<ShopOrderView>> Cancel(Guid orderId, Actor actor, string reason)
    {
        if (Item is not { } item)
        {
            return ItemNotFound();
        }

        var before = item.Version;
        var outcome = item.BeginCancel(orderId, actor, reason, time.GetUtcNow());
        if (outcome.Value is not { } order)
        {
            return outcome.Failure!;
        }

        if (item.Version != before)
        {
            await Store(); // The order is cancelling, durably, before the refund is posted.
        }

        return order.Status == OrderStatus.Cancelling ? await SettleCancellation(order) : item.ToView(order);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // It repeats every period while orders are in flight: that is what the recovery relies on.
        Alarm.ReminderFired(relyOnRepeat: true);
        await Recover();

        // Nothing left in flight: the reminder has nothing to guard until the next redemption.
        if (Item is not { HasInFlight: true })
        {
            await Alarm.SettleReminderAsync(null);
        }
    }

    /// <summary>(2) and (3) of a redemption: the debit, then the order pending, or dropped with the unit back.</summary>
    private async Task<Outcome<ShopOrderView>> SettleRedemption(ShopOrder order)
    {
        var item = Item!;

        // A failure to answer (an exception) leaves the order in flight, for a retry or the recovery.
        var debit = await Ledger(order.Buyer).Post(new PointsPosting(
            $"order:{order.Id}", order.BuyerCommunityId, -order.Cost, PostingKind.Redemption, order.Id.ToString(),
            $"Redeemed \"{item.Name}\" at the points shop of {item.PlaceId}", order.Buyer, Subject: new PostingSubject(PostingTopic.ShopItem, item.Name)));
        if (debit.Failure is { } refused)
        {
            // Refused debits record nothing on the ledger, so dropping the order undoes everything.
            item.AbandonRedemption(order.Id, time.GetUtcNow());
            await Store();
            LogRedemptionRefused(item.Id, order.Id, order.Buyer, refused.Code);
            DispatchMetrics.Redemption(refused.Code);
            return refused;
        }

        var pending = item.ConfirmRedemption(order.Id, time.GetUtcNow()).Value!;
        await Store();
        LogRedeemed(item.Id, order.Id, order.Buyer, order.Cost);
        DispatchMetrics.Redemption(DispatchMetrics.RedemptionOutcomes.Pending);
        return item.ToView(pending);
    }

    /// <summary>The refund, then the order cancelled and the unit back.</summary>
    private async Task<Outcome<ShopOrderView>> SettleCancellation(ShopOrder order)
    {
        var item = Item!;
        var refund = await Ledger(order.Buyer).Post(new PointsPosting(
            $"refund:{order.Id}", order.BuyerCommunityId, order.Cost, PostingKind.Refund, order.Id.ToString(),
            $"Order of \"{item.Name}\" cancelled: {order.CancelReason}", order.CancelledBy ?? order.Buyer,
            Subject: new PostingSubject(PostingTopic.ShopItem, item.Name, order.CancelReason)));
        if (refund.Failure is { } failure)
        {
            // A credit is refused only if the ledger cannot take it at all: keep the order cancelling and say so.
            LogRefundRefused(item.Id, order.Id, order.Buyer, failure.Code, failure.Detail);
            return failure;
        }

        var cancelled = item.CompleteCancel(order.Id, time.GetUtcNow()).Value!;
        await Store();
        LogCancelled(item.Id, order.Id, order.CancelledBy ?? order.Buyer);
        return item.ToView(cancelled);
    }

    /// <summary>Delivers the waiting notices and stores that they were; what an inbox did not take waits for the next call or the recovery.</summary>
    private async Task DeliverNotices()
    {
        if (state.State.PendingNotices.IsDefaultOrEmpty)
        {
            return;
        }

        var delivered = (await Notifications.NoticeDelivery.Deliver(GrainFactory, state.State.PendingNotices, (exception, step) => LogNoticeFailed(exception, ItemId, step)))
            .ToHashSet(StringComparer.Ordinal);
        var remaining = state.State.PendingNotices.RemoveAll(n => delivered.Contains(n.Key));
        if (remaining.Length == state.State.PendingNotices.Length)
        {
            return;
        }

        state.State.PendingNotices = remaining;
        try
        {
            await Store();
        }
        catch (Exception exception)
        {
            // Delivered already; an inbox keeps a key once, so delivering again is harmless.
            LogNoticeFailed(exception, ItemId, "record delivered notices");
        }
    }

    /// <summary>Finishes every order left in flight; stops at the first that cannot be finished now (the reminder comes back).</summary>
    private async Task Recover()
    {
        await DeliverNotices();
        foreach (var order in Item?.InFlight.ToArray() ?? [])
        {
            try
            {
                var outcome = order.Status == OrderStatus.Processing
                    ? await SettleRedemption(order)
                    : await SettleCancellation(order);
                LogRecovered(order.Id, order.Status, outcome.Value?.Status.ToString() ?? outcome.Failure!.Code);
            }
            catch (Exception exception)
            {
                LogRecoveryFailed(exception, ItemId, order.Id);
                return;
            }
        }
    }

    /// <summary>
    /// Stores a change already made in memory. Before a state with an order in flight is written,
    /// the recovery reminder is registered (harmless if the write then fails). If anything fails,
    /// the activation is dropped so that the next call reloads what is really stored.
    /// </summary>
    private async Task Store()
    {
        await state.WriteOrReloadAsync(
            this, exception => LogWriteFailed(exception, ItemId),
            first: () => Alarm.BringReminderForwardAsync(Item!.HasInFlight ? time.GetUtcNow() + RecoveryPeriod : null));

        committed = Item!.ToView();
    }

    public void Dispose() => alarm?.Dispose();

    private Failure ItemNotFound() => Failure.NotFound("Shop item", ItemId.ToString());

    private IShopItemPictureGrain Picture() => GrainFactory.GetGrain<IShopItemPictureGrain>(ItemId);

    private ILedgerGrain Ledger(string username) => GrainFactory.GetGrain<ILedgerGrain>(GrainKeys.Ledger(username));

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop item {ItemId} \"{Name}\" created at {PlaceId} by {Actor}: cost {Cost}, stock {Stock}")]
    private partial void LogCreated(Guid itemId, string placeId, string name, int cost, int stock, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop item {ItemId}: order {OrderId} redeemed by {Buyer} for {Cost} points")]
    private partial void LogRedeemed(Guid itemId, Guid orderId, string buyer, int cost);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop item {ItemId}: order {OrderId} of {Buyer} refused by the ledger ({Reason}); the unit is back")]
    private partial void LogRedemptionRefused(Guid itemId, Guid orderId, string buyer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop item {ItemId} edited by {Actor}: \"{Name}\", cost {Cost}, stock {Stock}")]
    private partial void LogEdited(Guid itemId, string name, int cost, int stock, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop item {ItemId}: a picture ({ContentType}, {Length} bytes) set by {Actor}")]
    private partial void LogPictureSet(Guid itemId, string contentType, int length, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop item {ItemId}: the picture removed by {Actor}")]
    private partial void LogPictureRemoved(Guid itemId, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop item {ItemId}: order {OrderId} fulfilled by {Actor}")]
    private partial void LogFulfilled(Guid itemId, Guid orderId, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shop item {ItemId}: order {OrderId} cancelled by {Actor}, refunded, the unit is back")]
    private partial void LogCancelled(Guid itemId, Guid orderId, string actor);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shop item {ItemId}: the refund of order {OrderId} to {Buyer} was refused ({Reason}: {Detail}); the order stays cancelling")]
    private partial void LogRefundRefused(Guid itemId, Guid orderId, string buyer, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Order {OrderId} left {Status} was finished: {Result}")]
    private partial void LogRecovered(Guid orderId, OrderStatus status, string result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shop item {ItemId}: order {OrderId} is still in flight; the recovery reminder will try again")]
    private partial void LogRecoveryFailed(Exception exception, Guid itemId, Guid orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shop item {ItemId} was stored, but the follow-up step '{Step}' failed")]
    private partial void LogNoticeFailed(Exception exception, Guid itemId, string step);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing shop item {ItemId} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, Guid itemId);

    [GenerateSerializer, Alias("Dispatch.ShopItemGrain.State")]
    public sealed class State
    {
        [Id(0)] public ShopItem? Item { get; set; }

        /// <summary>Notices for buyers' inboxes, stored with the change that caused them until an inbox took them.</summary>
        [Id(1)] public ImmutableArray<Notifications.PendingNotice> PendingNotices { get; set; } = [];
    }
}
