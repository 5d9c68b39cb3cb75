using System.Collections.Immutable;
using Dispatch.Common;
using Orleans.Concurrency;

namespace Dispatch.Shop;

/// <summary>
/// One item of a points shop, keyed by a Guid: its stock and its orders. Redeeming and cancelling
/// are two-grain steps with the buyer's ledger, recorded as in flight before the ledger is asked,
/// so that a crash in the middle is completed later (on activation, and by a reminder) instead of
/// being left half done. Every answer about a change is given after the change is stored.
/// </summary>
public interface IShopItemGrain : IGrainWithGuidKey
{
    /// <summary>Creates the item; the same creator again gets the existing item (a retry).</summary>
    Task<Outcome<ShopItemView>> Create(string placeId, NewShopItem item, Actor actor);

    /// <summary>The item as last stored (it may be asked while a redemption is being written).</summary>
    [AlwaysInterleave]
    Task<ShopItemView?> Get();

    /// <summary>
    /// Redeems one unit for the buyer, paid from their ledger. Refused with <c>outOfStock</c> or
    /// <c>insufficientPoints</c> (conflicts). The same <paramref name="orderId"/> again is a retry:
    /// it returns the same order, finishing it first if it was left in flight, and never debits twice.
    /// </summary>
    Task<Outcome<ShopOrderView>> Redeem(Guid orderId, ShopBuyer buyer);

    /// <summary>
    /// Staff hand the goods over: pending → fulfilled. The buyer's "order ready" notice is stored in
    /// the same write and delivered after it; one an inbox did not take is tried again later.
    /// </summary>
    Task<Outcome<ShopOrderView>> Fulfil(Guid orderId, Actor actor);

    /// <summary>
    /// Pending → cancelled: the points are refunded and the unit goes back to stock. Staff (the web
    /// host checks their scope) or the buyer; cancelling a cancelled order again changes nothing.
    /// </summary>
    Task<Outcome<ShopOrderView>> Cancel(Guid orderId, Actor actor, string reason);

    /// <summary>Staff change the item's name, price or stock (the web host checks their scope and the input).</summary>
    Task<Outcome<ShopItemView>> Edit(ShopItemEdit edit, Actor actor);

    /// <summary>
    /// Staff give the item a picture, or replace it (the web host checks their scope and the bytes).
    /// The bytes go to the item's <see cref="IShopItemPictureGrain"/> and are stored there first;
    /// then the item stores the picture's tag, so its views name the new address.
    /// </summary>
    Task<Outcome<ShopItemView>> SetPicture(byte[] bytes, Actor actor);

    /// <summary>Staff take the picture away: the item forgets it first, then the picture grain removes it.</summary>
    Task<Outcome<ShopItemView>> RemovePicture(Actor actor);

    /// <summary>The item's orders, newest first; null when the item does not exist.</summary>
    Task<ImmutableArray<ShopOrderView>?> GetOrders();

    /// <summary>The orders <paramref name="buyer"/> placed for this item, newest first (none when the item does not exist).</summary>
    Task<ImmutableArray<ShopOrderView>> GetOrdersOf(string buyer);
}
