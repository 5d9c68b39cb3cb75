using Dispatch.Common;

namespace Dispatch.Shop;

/// <summary>The bounds of shop input; checked by the web host and again by the grains.</summary>
public static class ShopLimits
{
    public const int MaxName = 100;
    public const int MinCost = 1;
    public const int MaxCost = 100_000;
    public const int MinStock = 0;

    /// <summary>
    /// An item keeps every order it sold in its own state (written whole on each change), so its
    /// stock is bounded well below what would make that state large.
    /// </summary>
    public const int MaxStock = 10_000;

    public const int MaxCancelReason = 500;

    public static ValidationErrors Validate(NewShopItem item) => new ValidationErrors()
        .RequireText(item.Name, "name", MaxName)
        .RequireRange(item.Cost, "cost", MinCost, MaxCost)
        .RequireRange(item.Stock, "stock", MinStock, MaxStock);
}
