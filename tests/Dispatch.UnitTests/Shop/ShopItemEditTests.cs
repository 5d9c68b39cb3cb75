using Dispatch.Shop;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Shop;

/// <summary>Staff's changes to a shop item: new stock, price or name, units held by orders still accounted for.</summary>
public sealed class ShopItemEditTests
{
    private static readonly DateTimeOffset At = Given.Morning;

    private static ShopItem Thermos(int stock) => ShopItem.Create(Guid.NewGuid(), Given.CommunityId, new NewShopItem("Thermos cup", 15, stock), "grid.wang", At);

    [Fact]
    public void A_new_stock_counts_only_the_units_free_and_the_held_ones_stay_held()
    {
        var item = Thermos(stock: 3);
        var order = item.Reserve(Guid.NewGuid(), new ShopBuyer("li.na", Given.CommunityId), At).Value!;

        item.Edit(new ShopItemEdit(null, null, 10), At.AddMinutes(5));

        Assert.Equal((10, 11, 1), (item.Stock, item.TotalUnits, item.HeldUnits));
        Assert.Equal(item.TotalUnits, item.Stock + item.HeldUnits);
        Assert.Equal((2L + 1, At.AddMinutes(5)), (item.Version, item.UpdatedAt));
        Assert.Equal(15, item.Find(order.Id)!.Cost);
    }

    [Fact]
    public void A_new_price_is_for_the_orders_to_come()
    {
        var item = Thermos(stock: 3);
        var before = item.Reserve(Guid.NewGuid(), new ShopBuyer("li.na", Given.CommunityId), At).Value!;

        item.Edit(new ShopItemEdit("  Thermos cup (500 ml) ", 20, null), At);
        var after = item.Reserve(Guid.NewGuid(), new ShopBuyer("zhao.lei", Given.CommunityId), At).Value!;

        Assert.Equal(("Thermos cup (500 ml)", 20, 1), (item.Name, item.Cost, item.Stock));
        Assert.Equal((15, 20), (item.Find(before.Id)!.Cost, item.Find(after.Id)!.Cost));
    }

    [Fact]
    public void Stock_can_go_to_zero_and_nothing_changed_is_no_new_version()
    {
        var item = Thermos(stock: 3);
        item.Edit(new ShopItemEdit("Thermos cup", 15, 3), At.AddHours(1));
        Assert.Equal((1L, At), (item.Version, item.UpdatedAt));

        item.Edit(new ShopItemEdit(null, null, 0), At.AddHours(1));
        Assert.Equal((0, 0, 2L), (item.Stock, item.TotalUnits, item.Version));
        Assert.Equal("outOfStock", item.Reserve(Guid.NewGuid(), new ShopBuyer("li.na", Given.CommunityId), At).Failure?.Code);
    }

    [Fact]
    public void An_edit_needs_a_field_and_each_within_the_limits()
    {
        Assert.Contains("stock", ShopLimits.Validate(new ShopItemEdit(null, null, null)).ToDictionary().Keys);
        Assert.Equal(
            ["cost", "name", "stock"],
            ShopLimits.Validate(new ShopItemEdit(" ", 0, ShopLimits.MaxStock + 1)).ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.True(ShopLimits.Validate(new ShopItemEdit(null, ShopLimits.MaxCost, ShopLimits.MinStock)).IsEmpty);
    }
}
