using System.Collections.Immutable;

namespace Dispatch.Shop;

/// <summary>
/// Where an order stands. <see cref="Processing"/> and <see cref="Cancelling"/> are the two
/// in-flight states of the two-grain steps (a unit held while the buyer's ledger confirms the
/// debit or the refund); they always end in <see cref="Pending"/> (or the order is dropped, when
/// the debit is refused) and <see cref="Cancelled"/>.
/// </summary>
public enum OrderStatus
{
    /// <summary>A unit is reserved; the debit of the buyer's points is being confirmed.</summary>
    Processing,

    /// <summary>Paid for; waiting for staff to hand the goods over.</summary>
    Pending,

    /// <summary>Staff handed the goods over (final).</summary>
    Fulfilled,

    /// <summary>Cancelled; the refund is being confirmed before the unit goes back to stock.</summary>
    Cancelling,

    /// <summary>Refunded and the unit back in stock (final).</summary>
    Cancelled,
}

/// <summary>An item to put in a place's points shop.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.NewShopItem")]
public sealed record NewShopItem(string Name, int Cost, int Stock);

/// <summary>Staff's changes to an item: each field left null stays as it is; orders already made keep their price.</summary>
/// <param name="Stock">The units that can be redeemed from now on (units held by orders are not counted).</param>
[GenerateSerializer, Immutable, Alias("Dispatch.ShopItemEdit")]
public sealed record ShopItemEdit(string? Name, int? Cost, int? Stock);

/// <summary>Who redeems: a volunteer and their community (whose pool the points go to).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ShopBuyer")]
public sealed record ShopBuyer(string Username, string CommunityId);

/// <summary>An item of a points shop and what became of its units.</summary>
/// <param name="Stock">Units that can be redeemed now.</param>
/// <param name="InFlight">Units held by orders still being confirmed (processing or cancelling).</param>
/// <param name="Pending">Units paid for and waiting to be handed over.</param>
/// <param name="Fulfilled">Units handed over.</param>
/// <param name="Version">Grows with every stored change.</param>
/// <param name="Picture">
/// Where the item's picture is read (<c>/api/shop/items/{id}/picture?v={tag}</c>, a new address for
/// every new picture), or null when it has none.
/// </param>
[GenerateSerializer, Immutable, Alias("Dispatch.ShopItemView")]
public sealed record ShopItemView(
    Guid Id,
    string PlaceId,
    string Name,
    int Cost,
    int Stock,
    int InFlight,
    int Pending,
    int Fulfilled,
    int Cancelled,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    string? Picture = null);

/// <summary>One redemption of one unit of an item.</summary>
/// <param name="Cost">The points paid, as the item cost when the order was placed.</param>
/// <param name="Picture">The item's picture as it is now (<see cref="ShopItemView.Picture"/>), or null.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.ShopOrderView")]
public sealed record ShopOrderView(
    Guid Id,
    Guid ItemId,
    string PlaceId,
    string ItemName,
    string Buyer,
    string BuyerCommunityId,
    int Cost,
    OrderStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? FulfilledBy,
    string? CancelledBy,
    string? CancelReason,
    string? Picture = null);

/// <summary>The items of one place's shop.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ShopItems")]
public sealed record ShopItems(string PlaceId, ImmutableArray<ShopItemView> Items);
