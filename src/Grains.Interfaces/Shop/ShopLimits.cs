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

    /// <summary>An edit: at least one field, each within the limits of a new item.</summary>
    public static ValidationErrors Validate(ShopItemEdit edit)
    {
        var errors = new ValidationErrors()
            .Require(edit.Name is not null || edit.Cost is not null || edit.Stock is not null, "stock", "Give a new 'name', 'cost' or 'stock'.");
        if (edit.Name is not null)
        {
            errors.RequireText(edit.Name, "name", MaxName);
        }

        if (edit.Cost is { } cost)
        {
            errors.RequireRange(cost, "cost", MinCost, MaxCost);
        }

        if (edit.Stock is { } stock)
        {
            errors.RequireRange(stock, "stock", MinStock, MaxStock);
        }

        return errors;
    }

    public static ValidationErrors Validate(NewShopItem item) => new ValidationErrors()
        .RequireText(item.Name, "name", MaxName)
        .RequireRange(item.Cost, "cost", MinCost, MaxCost)
        .RequireRange(item.Stock, "stock", MinStock, MaxStock);
}
