using Dispatch.Common;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Shop;
using Orleans.Core.Internal;
using Orleans.Runtime;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// The points shop on a two-silo cluster: a rush never oversells or overdraws, a retried
/// redemption debits once, and a crash between the item's and the ledger's writes is finished by
/// the recovery instead of being left half done.
/// </summary>
public sealed class ShopGrainTests(ShopClusterFixture fixture) : IClassFixture<ShopClusterFixture>
{
    private static readonly Actor Staff = GrainWorld.Staff;

    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_rush_of_500_buyers_for_20_units_sells_exactly_20_and_the_ledgers_add_up()
    {
        var community = GrainWorld.Unique("s");
        var volunteers = await Grains.CreateCommunityWithVolunteers(community, 500);
        await Fund(community, volunteers, 100);
        var item = await CreateItem(community, cost: 30, stock: 20);

        // Everyone at once, through both silos.
        var results = await Task.WhenAll(volunteers.Select(v => item.Redeem(Guid.NewGuid(), new ShopBuyer(v, community))));

        var won = results.Where(r => r.Succeeded).Select(r => r.Value!).ToList();
        Assert.Equal(20, won.Count);
        Assert.All(won, o => Assert.Equal(OrderStatus.Pending, o.Status));
        Assert.Equal(20, won.Select(o => o.Buyer).Distinct().Count());
        Assert.Equal(480, results.Count(r => r.Failure?.Code == "outOfStock"));

        var view = (await item.Get())!;
        Assert.Equal((0, 0, 20), (view.Stock, view.InFlight, view.Pending));
        Assert.Equal(20, (await item.GetOrders())!.Value.Length);

        // Every balance exact, and every point that left an account arrived in another.
        var winners = won.Select(o => o.Buyer).ToHashSet();
        var accounts = new Dictionary<string, long>();
        foreach (var volunteer in volunteers)
        {
            var statement = await Ledger(volunteer).GetStatement(LedgerGrain.MaxStatementEntries);
            var paid = winners.Contains(volunteer);
            Assert.Equal(paid ? (70, 100, 30, 2) : (100, 100, 0, 1), (statement.Balance, statement.Earned, statement.Redeemed, statement.TotalEntries));
            foreach (var entry in statement.Entries)
            {
                accounts[entry.To] = accounts.GetValueOrDefault(entry.To) + entry.Amount;
                accounts[entry.From] = accounts.GetValueOrDefault(entry.From) - entry.Amount;
            }

            Assert.Equal(statement.Balance, accounts[PointsAccounts.Volunteer(volunteer)]);
        }

        Assert.Equal(0, accounts.Values.Sum());
        Assert.Equal(-((500 * 100) - (20 * 30)), accounts[PointsAccounts.Pool(community)]);
    }

    [Fact]
    public async Task One_buyer_racing_for_several_items_is_never_overdrawn()
    {
        var community = GrainWorld.Unique("s");
        var buyer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        await Fund(community, [buyer], 100);
        var items = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => CreateItem(community, cost: 30, stock: 1)));

        var results = await Task.WhenAll(items.Select(i => i.Redeem(Guid.NewGuid(), new ShopBuyer(buyer, community))));

        Assert.Equal(3, results.Count(r => r.Succeeded));
        Assert.Equal(7, results.Count(r => r.Failure?.Code == "insufficientPoints"));
        Assert.Equal(10, (await Ledger(buyer).GetStatement(0)).Balance);

        // The refused orders gave their units back.
        var views = await Task.WhenAll(items.Select(i => i.Get()));
        Assert.Equal(7, views.Sum(v => v!.Stock));
        Assert.Equal(3, views.Sum(v => v!.Pending));
    }

    [Fact]
    public async Task A_retried_redemption_with_the_same_order_id_returns_the_same_order_and_debits_once()
    {
        var community = GrainWorld.Unique("s");
        var buyer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        await Fund(community, [buyer], 100);
        var item = await CreateItem(community, cost: 30, stock: 5);
        var orderId = Guid.NewGuid();

        var first = await item.Redeem(orderId, new ShopBuyer(buyer, community));
        var retries = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => item.Redeem(orderId, new ShopBuyer(buyer, community))));

        Assert.Equal(OrderStatus.Pending, first.Value!.Status);
        Assert.All(retries, r => Assert.Equal(first.Value, r.Value));
        Assert.Equal(4, (await item.Get())!.Stock);
        var statement = await Ledger(buyer).GetStatement(10);
        Assert.Equal((70, 2), (statement.Balance, statement.TotalEntries));
        Assert.Equal($"order:{orderId}", statement.Entries[0].Key);
    }

    [Fact]
    public async Task A_buyer_without_enough_points_is_refused_and_the_unit_goes_back()
    {
        var community = GrainWorld.Unique("s");
        var buyer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        await Fund(community, [buyer], 29);
        var item = await CreateItem(community, cost: 30, stock: 1);

        var refused = await item.Redeem(Guid.NewGuid(), new ShopBuyer(buyer, community));

        Assert.Equal(("insufficientPoints", FailureKind.Conflict), (refused.Failure?.Code, refused.Failure?.Kind));
        Assert.Equal((1, 0), ((await item.Get())!.Stock, (await item.GetOrders())!.Value.Length));
        Assert.Equal(29, (await Ledger(buyer).GetStatement(0)).Balance);
    }

    [Fact]
    public async Task A_crash_at_the_items_second_write_is_finished_when_the_item_comes_back()
    {
        var community = GrainWorld.Unique("s");
        var buyer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        await Fund(community, [buyer], 100);
        var item = await CreateItem(community, cost: 30, stock: 3);
        var orderId = Guid.NewGuid();

        // The first write (the unit held, the order processing) is stored; the second (pending) fails.
        fixture.Storage.FailOneWrite("shopItem", item.GetPrimaryKey().ToString("N"), after: 1);
        var failure = await Assert.ThrowsAsync<InjectedStorageFaultException>(() => item.Redeem(orderId, new ShopBuyer(buyer, community)));
        Assert.Equal(InjectedStorageFaultException.MessageFor("shopItem", item.GetGrainId()), failure.Message);
        Assert.False(fixture.Storage.FaultPending);

        // What the crash left behind: the debit posted, the order still in flight, the unit held.
        var stored = Stored(item)!;
        Assert.Equal((OrderStatus.Processing, 2), (stored.Find(orderId)!.Status, stored.Stock));
        Assert.Equal(70, (await Ledger(buyer).GetStatement(0)).Balance);

        // The next activation finishes it: the debit is posted again under its key (nothing more is
        // taken) and the order becomes pending.
        var view = await Eventually.Get(() => item.Get(), v => v is { InFlight: 0, Pending: 1 });
        Assert.Equal((2, 0, 1), (view!.Stock, view.InFlight, view.Pending));
        Assert.Equal(OrderStatus.Pending, Stored(item)!.Find(orderId)!.Status);
        var statement = await Ledger(buyer).GetStatement(10);
        Assert.Equal((70, 2), (statement.Balance, statement.TotalEntries));

        // A retry by the buyer gets the same order, still debited once.
        Assert.Equal(OrderStatus.Pending, (await item.Redeem(orderId, new ShopBuyer(buyer, community))).Value!.Status);
        Assert.Equal(2, (await Ledger(buyer).GetStatement(0)).TotalEntries);
    }

    [Fact]
    public async Task A_redemption_whose_ledger_failed_is_finished_by_the_reminder_when_nobody_calls_the_item_again()
    {
        var community = GrainWorld.Unique("s");
        var buyer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        await Fund(community, [buyer], 100);
        var item = await CreateItem(community, cost: 30, stock: 3);
        var orderId = Guid.NewGuid();

        // The ledger's write fails: no debit, the order left processing with its unit held.
        fixture.Storage.FailOneWrite("ledger", GrainKeys.Ledger(buyer));
        var failure = await Assert.ThrowsAsync<InjectedStorageFaultException>(() => item.Redeem(orderId, new ShopBuyer(buyer, community)));
        Assert.Equal(InjectedStorageFaultException.MessageFor("ledger", Ledger(buyer).GetGrainId()), failure.Message);
        Assert.False(fixture.Storage.FaultPending);
        Assert.Equal(100, (await Ledger(buyer).GetStatement(0)).Balance);

        // The item leaves memory, and nobody asks for it again.
        await item.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        var management = Grains.GetGrain<IManagementGrain>(0);
        Assert.Equal(0, await Eventually.Get(() => ActivationCount(management, item), count => count == 0));
        Assert.Equal((OrderStatus.Processing, 2), (Stored(item)!.Find(orderId)!.Status, Stored(item)!.Stock));

        // Its reminder brings it back within a minute and the order is finished.
        fixture.Clock.Advance(ShopItemGrain.RecoveryPeriod);
        var stored = await Eventually.Get(() => Task.FromResult(Stored(item)), s => s?.Find(orderId)?.Status == OrderStatus.Pending);
        Assert.Equal((OrderStatus.Pending, 2), (stored!.Find(orderId)!.Status, stored.Stock));
        Assert.Equal(70, (await Ledger(buyer).GetStatement(0)).Balance);
    }

    [Fact]
    public async Task Cancelling_refunds_the_buyer_and_puts_the_unit_back_even_after_a_crash_in_the_middle()
    {
        var community = GrainWorld.Unique("s");
        var buyers = await Grains.CreateCommunityWithVolunteers(community, 2);
        await Fund(community, buyers, 100);
        var item = await CreateItem(community, cost: 30, stock: 2);
        var first = (await item.Redeem(Guid.NewGuid(), new ShopBuyer(buyers[0], community))).Value!;
        var second = (await item.Redeem(Guid.NewGuid(), new ShopBuyer(buyers[1], community))).Value!;

        var cancelled = await item.Cancel(first.Id, Staff, "Expired stock");
        Assert.Equal((OrderStatus.Cancelled, "staff", "Expired stock"), (cancelled.Value!.Status, cancelled.Value.CancelledBy, cancelled.Value.CancelReason));
        Assert.Equal(1, (await item.Get())!.Stock);
        var refunded = await Ledger(buyers[0]).GetStatement(10);
        Assert.Equal((100, 0, 3), (refunded.Balance, refunded.Redeemed, refunded.TotalEntries));
        Assert.Equal((PostingKind.Refund, $"refund:{first.Id}"), (refunded.Entries[0].Kind, refunded.Entries[0].Key));

        // The buyer cancels the other order; the write after the refund fails.
        fixture.Storage.FailOneWrite("shopItem", item.GetPrimaryKey().ToString("N"), after: 1);
        var failure = await Assert.ThrowsAsync<InjectedStorageFaultException>(() => item.Cancel(second.Id, new Actor(buyers[1], AccountRole.Volunteer), "Not needed"));
        Assert.Equal(InjectedStorageFaultException.MessageFor("shopItem", item.GetGrainId()), failure.Message);
        Assert.False(fixture.Storage.FaultPending);
        Assert.Equal(OrderStatus.Cancelling, Stored(item)!.Find(second.Id)!.Status);

        var view = await Eventually.Get(() => item.Get(), v => v is { InFlight: 0, Cancelled: 2 });
        Assert.Equal((2, 0, 2), (view!.Stock, view.Pending, view.Cancelled));
        var statement = await Ledger(buyers[1]).GetStatement(10);
        Assert.Equal((100, 3), (statement.Balance, statement.TotalEntries));
    }

    [Fact]
    public async Task Staff_fulfil_a_pending_order_which_then_cannot_be_cancelled()
    {
        var community = GrainWorld.Unique("s");
        var buyer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        await Fund(community, [buyer], 100);
        var item = await CreateItem(community, cost: 30, stock: 1);
        var order = (await item.Redeem(Guid.NewGuid(), new ShopBuyer(buyer, community))).Value!;

        var fulfilled = await item.Fulfil(order.Id, Staff);

        Assert.Equal((OrderStatus.Fulfilled, "staff"), (fulfilled.Value!.Status, fulfilled.Value.FulfilledBy));
        Assert.Equal("invalidTransition", (await item.Cancel(order.Id, Staff, "too late")).Failure?.Code);
        Assert.Equal("notFound", (await item.Fulfil(Guid.NewGuid(), Staff)).Failure?.Code);
        Assert.Equal((0, 1), ((await item.Get())!.Stock, (await item.Get())!.Fulfilled));
    }

    [Fact]
    public async Task A_shop_lists_its_items_and_refuses_invalid_ones()
    {
        var community = GrainWorld.Unique("s");
        await Grains.CreateCommunity(community);
        var shop = Grains.GetGrain<IShopGrain>(GrainKeys.Shop(community));
        var id = Guid.NewGuid();

        var created = await shop.AddItem(id, new NewShopItem("Rice", 20, 4), Staff);
        var retry = await shop.AddItem(id, new NewShopItem("Rice", 20, 4), Staff);
        var invalid = await shop.AddItem(Guid.NewGuid(), new NewShopItem("Oil", 0, 4), Staff);
        var taken = await Grains.GetGrain<IShopGrain>(GrainKeys.Shop(community + "-t")).AddItem(id, new NewShopItem("Rice", 20, 4), Staff);

        Assert.Equal(created.Value, retry.Value);
        Assert.Equal(("invalid", "cost"), (invalid.Failure?.Code, invalid.Failure?.Field));
        Assert.Equal("alreadyExists", taken.Failure?.Code);
        Assert.Equal([id], (await shop.GetItems()).Items.Select(i => i.Id));
        Assert.Empty((await Grains.GetGrain<IShopGrain>(GrainKeys.Shop(community + "-t")).GetItemIds()));
    }

    private async Task Fund(string community, IEnumerable<string> volunteers, int points)
    {
        var outcomes = await Task.WhenAll(volunteers.Select(v => Ledger(v).Post(
            new PointsPosting("seed", community, points, PostingKind.Adjustment, "seed", "starting points", "staff"))));
        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Failure?.Detail));
    }

    [Fact]
    public async Task A_picture_is_stored_apart_first_and_a_failed_item_write_leaves_the_old_view_until_a_retry()
    {
        var community = GrainWorld.Unique("s");
        await Grains.CreateCommunityWithVolunteers(community, 1);
        var item = await CreateItem(community, cost: 10, stock: 5);
        var key = item.GetPrimaryKey().ToString("N");
        var png = TestPictures.Png(TestPictures.Product.Rice, 32);

        // The picture's own write succeeds; the item's (its tag) fails: no view names the picture yet.
        fixture.Storage.FailOneWrite("shopItem", key);
        await Assert.ThrowsAsync<InjectedStorageFaultException>(() => item.SetPicture(png, Staff));
        Assert.Equal(png, fixture.Storage.Inner.Peek<ShopItemPictureGrain.State>("shopItemPicture", key)?.Picture?.Bytes);
        Assert.Null(Stored(item)!.PictureTag);
        Assert.Null((await item.Get())!.Picture);

        // Sent again, it is named; the item's state holds the tag only, never the bytes.
        var view = (await item.SetPicture(png, Staff)).Value!;
        Assert.Equal(ShopPictures.Url(item.GetPrimaryKey(), ShopPictures.Tag(png)), view.Picture);
        Assert.Equal(ShopPictures.Tag(png), Stored(item)!.PictureTag);
        Assert.Equal("image/png", (await Grains.GetGrain<IShopItemPictureGrain>(item.GetPrimaryKey()).Get())!.ContentType);

        // Stock changes write the item, not the picture: a failing picture write would not be reached.
        fixture.Storage.FailOneWrite("shopItemPicture", key);
        Assert.Equal(9, (await item.Edit(new ShopItemEdit(null, null, 9), Staff)).Value!.Stock);
        Assert.True(fixture.Storage.FaultPending);

        // A removal whose picture write fails has already unnamed it; the next removal finishes it.
        await Assert.ThrowsAsync<InjectedStorageFaultException>(() => item.RemovePicture(Staff));
        Assert.Null((await item.Get())!.Picture);
        Assert.NotNull(fixture.Storage.Inner.Peek<ShopItemPictureGrain.State>("shopItemPicture", key)?.Picture);
        Assert.Null((await item.RemovePicture(Staff)).Value!.Picture);
        Assert.Null(fixture.Storage.Inner.Peek<ShopItemPictureGrain.State>("shopItemPicture", key)?.Picture);
    }

    private async Task<IShopItemGrain> CreateItem(string placeId, int cost, int stock)
    {
        var id = Guid.NewGuid();
        var outcome = await Grains.GetGrain<IShopGrain>(GrainKeys.Shop(placeId)).AddItem(id, new NewShopItem("Rice 5kg", cost, stock), Staff);
        Assert.True(outcome.Succeeded, outcome.Failure?.Detail);
        return Grains.GetGrain<IShopItemGrain>(id);
    }

    private static async Task<int> ActivationCount(IManagementGrain management, IShopItemGrain item)
    {
        var active = await management.GetActiveGrains(GrainType.Create("shopitem"));
        return active.Count(g => g.ToString().Contains(item.GetPrimaryKey().ToString("N"), StringComparison.OrdinalIgnoreCase));
    }

    private ILedgerGrain Ledger(string username) => Grains.GetGrain<ILedgerGrain>(GrainKeys.Ledger(username));

    /// <summary>The item as stored, read without activating it.</summary>
    private ShopItem? Stored(IShopItemGrain item) =>
        fixture.Storage.Inner.Peek<ShopItemGrain.State>("shopItem", item.GetPrimaryKey().ToString("N"))?.Item;
}
