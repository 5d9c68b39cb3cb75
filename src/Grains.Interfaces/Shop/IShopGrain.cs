using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Shop;

/// <summary>A place's points shop, keyed by <see cref="GrainKeys.Shop"/>: the ids of its items.</summary>
public interface IShopGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates an item in this place's shop and lists it. The id is listed (stored) before the item
    /// is created, so a crash in between leaves an id with no item, which listings skip, and never
    /// an item the shop does not list. The same id and creator again is a retry.
    /// </summary>
    Task<Outcome<ShopItemView>> AddItem(Guid itemId, NewShopItem item, Actor actor);

    /// <summary>The items, oldest first, as last stored by each.</summary>
    Task<ShopItems> GetItems();

    Task<ImmutableArray<Guid>> GetItemIds();

    /// <summary>The orders <paramref name="buyer"/> placed at this shop, newest first, as each item last stored them.</summary>
    Task<ImmutableArray<ShopOrderView>> GetOrdersOf(string buyer);
}
