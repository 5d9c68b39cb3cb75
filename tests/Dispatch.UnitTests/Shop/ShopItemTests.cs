using Dispatch.Common;
using Dispatch.Shop;
using Dispatch.UnitTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Dispatch.UnitTests.Shop;

/// <summary>A shop item's rules: stock never below zero, every unit accounted for, the order state machine, and orders left in flight.</summary>
public sealed class ShopItemTests : IDisposable
{
    private static readonly DateTimeOffset At = Given.Morning;

    private static readonly ShopBuyer LiNa = new("li.na", Given.CommunityId);
    private static readonly ShopBuyer Zhao = new("zhao.lei", Given.CommunityId);

    private readonly ServiceProvider services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(ShopItem).Assembly))
        .BuildServiceProvider();

    public void Dispose() => services.Dispose();

    [Fact]
    public void A_new_item_has_all_its_units_in_stock()
    {
        var item = Thermos(stock: 3);

        var view = item.ToView();

        Assert.Equal(("Thermos cup", 15, 3, 0, 0, 0, 0), (view.Name, view.Cost, view.Stock, view.InFlight, view.Pending, view.Fulfilled, view.Cancelled));
        Assert.Equal((Given.CommunityId, "grid.wang", At, 1L), (view.PlaceId, view.CreatedBy, view.CreatedAt, view.Version));
    }

    [Fact]
    public void Reserving_takes_a_unit_and_records_the_order_as_processing_at_the_current_cost()
    {
        var item = Thermos(stock: 2);

        var order = Reserve(item, Guid.NewGuid(), LiNa);

        Assert.Equal((OrderStatus.Processing, "li.na", 15), (order.Status, order.Buyer, order.Cost));
        Assert.True(order.InFlight);
        Assert.Equal(1, item.Stock);
        Assert.Equal<ShopOrder>([order], item.InFlight);
    }

    [Fact]
    public void The_last_unit_goes_to_one_buyer_and_the_next_is_refused_out_of_stock_without_a_change()
    {
        var item = Thermos(stock: 1);
        Reserve(item, Guid.NewGuid(), LiNa);
        var version = item.Version;

        var refused = item.Reserve(Guid.NewGuid(), Zhao, At);

        Assert.Equal(("outOfStock", FailureKind.Conflict), (refused.Failure?.Code, refused.Failure?.Kind));
        Assert.Equal((0, version, 1), (item.Stock, item.Version, item.Orders.Count));
    }

    [Fact]
    public void An_item_with_no_stock_refuses_every_order()
    {
        var item = Thermos(stock: 0);

        Assert.Equal("outOfStock", item.Reserve(Guid.NewGuid(), LiNa, At).Failure?.Code);
        Assert.Equal(0, item.Stock);
    }

    [Fact]
    public void Reserving_the_same_order_again_is_a_retry_and_another_buyer_cannot_take_its_id()
    {
        var item = Thermos(stock: 5);
        var id = Guid.NewGuid();
        var first = Reserve(item, id, LiNa);
        var version = item.Version;

        var retry = item.Reserve(id, LiNa, At.AddMinutes(1));
        var stolen = item.Reserve(id, Zhao, At.AddMinutes(1));

        Assert.Same(first, retry.Value);
        Assert.Equal("orderIdInUse", stolen.Failure?.Code);
        Assert.Equal((4, version), (item.Stock, item.Version));
    }

    [Fact]
    public void A_confirmed_debit_makes_the_order_pending()
    {
        var item = Thermos(stock: 2);
        var id = Reserve(item, Guid.NewGuid(), LiNa).Id;

        var pending = item.ConfirmRedemption(id, At.AddSeconds(1)).Value!;

        Assert.Equal(OrderStatus.Pending, pending.Status);
        Assert.False(item.HasInFlight);
        Assert.Equal((1, 1), (item.Stock, item.ToView().Pending));

        // Confirming again (a recovery after the answer was stored) changes nothing.
        var version = item.Version;
        Assert.Same(pending, item.ConfirmRedemption(id, At.AddSeconds(2)).Value);
        Assert.Equal(version, item.Version);
    }

    [Fact]
    public void A_refused_debit_drops_the_order_and_puts_the_unit_back()
    {
        var item = Thermos(stock: 1);
        var id = Reserve(item, Guid.NewGuid(), LiNa).Id;

        Assert.True(item.AbandonRedemption(id, At));

        Assert.Null(item.Find(id));
        Assert.Equal(1, item.Stock);
        Assert.False(item.AbandonRedemption(id, At));

        // The unit can be sold again, even under the same order id (a later retry with more points).
        Assert.Equal(OrderStatus.Processing, Reserve(item, id, LiNa).Status);
    }

    [Fact]
    public void Only_a_processing_order_is_abandoned()
    {
        var item = Thermos(stock: 1);
        var id = Paid(item, LiNa);

        Assert.False(item.AbandonRedemption(id, At));
        Assert.Equal(OrderStatus.Pending, item.Find(id)!.Status);
        Assert.Equal(0, item.Stock);
    }

    [Fact]
    public void Staff_fulfil_a_pending_order_once()
    {
        var item = Thermos(stock: 1);
        var id = Paid(item, LiNa);

        var fulfilled = item.Fulfil(id, Given.GridWorker, At).Value!;
        var again = item.Fulfil(id, Given.Admin, At.AddHours(1)).Value!;

        Assert.Equal((OrderStatus.Fulfilled, "grid.wang"), (fulfilled.Status, fulfilled.FulfilledBy));
        Assert.Same(fulfilled, again);
        Assert.Equal((0, 1), (item.Stock, item.ToView().Fulfilled));
        Assert.Equal("invalidTransition", item.BeginCancel(id, Given.GridWorker, "too late", At).Failure?.Code);
    }

    [Fact]
    public void An_order_still_processing_can_be_neither_fulfilled_nor_cancelled()
    {
        var item = Thermos(stock: 1);
        var id = Reserve(item, Guid.NewGuid(), LiNa).Id;

        Assert.Equal("invalidTransition", item.Fulfil(id, Given.GridWorker, At).Failure?.Code);
        Assert.Equal("invalidTransition", item.BeginCancel(id, Given.GridWorker, "changed my mind", At).Failure?.Code);
        Assert.Equal(OrderStatus.Processing, item.Find(id)!.Status);
    }

    [Fact]
    public void Cancelling_holds_the_unit_until_the_refund_is_confirmed_then_gives_it_back()
    {
        var item = Thermos(stock: 1);
        var id = Paid(item, LiNa);

        var cancelling = item.BeginCancel(id, Given.GridWorker, "  Out of date  ", At).Value!;

        Assert.Equal((OrderStatus.Cancelling, "grid.wang", "Out of date"), (cancelling.Status, cancelling.CancelledBy, cancelling.CancelReason));
        Assert.Equal(0, item.Stock);
        Assert.True(item.HasInFlight);
        Assert.Equal("invalidTransition", item.Fulfil(id, Given.GridWorker, At).Failure?.Code);

        var cancelled = item.CompleteCancel(id, At.AddSeconds(1)).Value!;

        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal((1, 1), (item.Stock, item.ToView().Cancelled));
        Assert.False(item.HasInFlight);

        // Repeats change nothing: the unit is given back once.
        var version = item.Version;
        Assert.Same(cancelled, item.BeginCancel(id, Given.GridWorker, "again", At).Value);
        Assert.Same(cancelled, item.CompleteCancel(id, At).Value);
        Assert.Equal((1, version), (item.Stock, item.Version));
    }

    [Fact]
    public void A_buyer_may_cancel_their_own_order_but_not_someone_elses()
    {
        var item = Thermos(stock: 2);
        var mine = Paid(item, LiNa);
        var theirs = Paid(item, Zhao);

        Assert.Equal(OrderStatus.Cancelling, item.BeginCancel(mine, Given.Volunteer("li.na"), "not needed", At).Value!.Status);
        var refused = item.BeginCancel(theirs, Given.Volunteer("li.na"), "not needed", At);

        Assert.Equal(("notBuyer", FailureKind.Forbidden), (refused.Failure?.Code, refused.Failure?.Kind));
        Assert.Equal(OrderStatus.Pending, item.Find(theirs)!.Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_cancellation_needs_a_reason(string reason)
    {
        var item = Thermos(stock: 1);
        var id = Paid(item, LiNa);

        Assert.Equal("reason", item.BeginCancel(id, Given.GridWorker, reason, At).Failure?.Field);
        Assert.Equal(OrderStatus.Pending, item.Find(id)!.Status);
    }

    [Fact]
    public void Unknown_orders_are_not_found()
    {
        var item = Thermos(stock: 1);
        var id = Guid.NewGuid();

        Assert.Equal("notFound", item.Fulfil(id, Given.GridWorker, At).Failure?.Code);
        Assert.Equal("notFound", item.BeginCancel(id, Given.GridWorker, "x", At).Failure?.Code);
        Assert.Equal("notFound", item.ConfirmRedemption(id, At).Failure?.Code);
        Assert.Equal("notFound", item.CompleteCancel(id, At).Failure?.Code);
    }

    [Fact]
    public void Orders_left_in_flight_by_a_crash_come_back_from_storage_and_can_be_finished()
    {
        var item = Thermos(stock: 3);
        var processing = Reserve(item, Guid.NewGuid(), LiNa).Id;
        var cancelling = Paid(item, Zhao);
        item.BeginCancel(cancelling, Given.GridWorker, "wrong size", At);
        var settled = Paid(item, LiNa);

        // As if the silo had died after storing the in-flight orders, before their ledgers answered.
        var restored = RoundTrip(item);

        Assert.Equal(new[] { processing, cancelling }.Order(), restored.InFlight.Select(o => o.Id).Order());
        Assert.Equal((0, 3), (restored.Stock, restored.HeldUnits));
        Assert.Equal(OrderStatus.Pending, restored.ConfirmRedemption(processing, At).Value!.Status);
        Assert.Equal(OrderStatus.Cancelled, restored.CompleteCancel(cancelling, At).Value!.Status);
        Assert.False(restored.HasInFlight);
        Assert.Equal(1, restored.Stock);
        Assert.Equal(OrderStatus.Pending, restored.Find(settled)!.Status);
        Assert.Equal(item.ToView() with { Stock = 1, InFlight = 0, Pending = 2, Cancelled = 1, Version = restored.Version, UpdatedAt = restored.UpdatedAt }, restored.ToView());
    }

    [Fact]
    public void Orders_are_listed_newest_first()
    {
        var item = Thermos(stock: 3);
        var first = Reserve(item, Guid.NewGuid(), LiNa, At).Id;
        var second = Reserve(item, Guid.NewGuid(), Zhao, At.AddMinutes(1)).Id;

        Assert.Equal([second, first], item.OrderViews().Select(o => o.Id));
        Assert.All(item.OrderViews(), o => Assert.Equal((item.Id, "Thermos cup", Given.CommunityId), (o.ItemId, o.ItemName, o.PlaceId)));
    }

    public static TheoryData<int> Seeds() => new([1, 7, 42, 2025]);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Whatever_happens_the_stock_never_goes_below_zero_and_every_unit_is_accounted_for(int seed)
    {
        var random = new Random(seed);
        var item = Thermos(stock: 10);
        var buyers = Enumerable.Range(1, 8).Select(i => new ShopBuyer($"buyer{i}", Given.CommunityId)).ToArray();
        var ids = new List<Guid>();

        for (var step = 0; step < 3_000; step++)
        {
            var now = At.AddSeconds(step);
            var known = ids.Count > 0 ? ids[random.Next(ids.Count)] : Guid.NewGuid();
            switch (random.Next(7))
            {
                case 0 or 1:
                    var id = random.Next(4) == 0 ? known : Guid.NewGuid();
                    if (item.Reserve(id, buyers[random.Next(buyers.Length)], now).Succeeded)
                    {
                        ids.Add(id);
                    }

                    break;
                case 2:
                    item.ConfirmRedemption(known, now);
                    break;
                case 3:
                    item.AbandonRedemption(known, now);
                    break;
                case 4:
                    item.Fulfil(known, Given.GridWorker, now);
                    break;
                case 5:
                    item.BeginCancel(known, Given.GridWorker, "random", now);
                    break;
                default:
                    item.CompleteCancel(known, now);
                    break;
            }

            Assert.InRange(item.Stock, 0, item.TotalUnits);
            Assert.Equal(item.TotalUnits, item.Stock + item.HeldUnits);
            var view = item.ToView();
            Assert.Equal(item.HeldUnits, view.InFlight + view.Pending + view.Fulfilled);
        }
    }

    [Fact]
    public void A_buyer_sees_only_their_own_orders_newest_first()
    {
        var item = Thermos(stock: 3);
        var older = Reserve(item, Guid.NewGuid(), LiNa, At);
        Reserve(item, Guid.NewGuid(), Zhao, At.AddMinutes(1));
        var newer = Reserve(item, Guid.NewGuid(), LiNa, At.AddMinutes(2));

        var mine = item.OrderViewsOf("li.na");

        Assert.Equal([newer.Id, older.Id], mine.Select(o => o.Id));
        Assert.All(mine, o => Assert.Equal(("li.na", "Thermos cup", item.Id), (o.Buyer, o.ItemName, o.ItemId)));
        Assert.Empty(item.OrderViewsOf("nobody"));
    }

    [Fact]
    public void A_handed_over_order_tells_its_buyer_once_naming_the_item_and_who_handed_it_over()
    {
        var item = Thermos(stock: 1);
        var id = Paid(item, LiNa);
        var fulfilled = item.ToView(item.Fulfil(id, Given.GridWorker, At).Value!);

        var notice = Dispatch.Notifications.ShopNotices.Ready(fulfilled, At);
        var again = Dispatch.Notifications.ShopNotices.Ready(fulfilled, At.AddMinutes(5));

        Assert.Equal(("li.na", (string?)null, Dispatch.Notifications.NoticeKind.OrderReady), (notice.Username, notice.StaffOf, notice.Notice.Kind));
        Assert.Equal(("Thermos cup", Given.CommunityId, "grid.wang"), (notice.Notice.Subject, notice.Notice.PlaceId, notice.Notice.By));
        Assert.Equal(notice.Key, again.Key); // delivered again after a failure, an inbox keeps it once
    }

    private static ShopItem Thermos(int stock) =>
        ShopItem.Create(Guid.NewGuid(), Given.CommunityId, new NewShopItem("  Thermos cup ", 15, stock), "grid.wang", At);

    private static ShopOrder Reserve(ShopItem item, Guid id, ShopBuyer buyer, DateTimeOffset? at = null)
    {
        var outcome = item.Reserve(id, buyer, at ?? At);
        Assert.True(outcome.Succeeded, outcome.Failure?.Detail);
        return outcome.Value!;
    }

    /// <summary>An order whose debit was confirmed: pending.</summary>
    private static Guid Paid(ShopItem item, ShopBuyer buyer)
    {
        var id = Reserve(item, Guid.NewGuid(), buyer).Id;
        Assert.Equal(OrderStatus.Pending, item.ConfirmRedemption(id, At).Value!.Status);
        return id;
    }

    private ShopItem RoundTrip(ShopItem item)
    {
        var storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        var state = new ShopItemGrain.State { Item = item };
        return storage.Deserialize<ShopItemGrain.State>(storage.Serialize(state))?.Item ?? throw new InvalidOperationException("Nothing came back.");
    }
}
