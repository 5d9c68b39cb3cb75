using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Shop;

/// <summary>One order as an item keeps it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ShopOrder")]
public sealed record ShopOrder(
    Guid Id,
    string Buyer,
    string BuyerCommunityId,
    int Cost,
    OrderStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? FulfilledBy = null,
    string? CancelledBy = null,
    string? CancelReason = null)
{
    /// <summary>The order waits for the buyer's ledger (a debit or a refund) before it can settle.</summary>
    public bool InFlight => Status is OrderStatus.Processing or OrderStatus.Cancelling;
}

/// <summary>
/// An item of a points shop as plain C#: its stock, its orders and their state machine. The item
/// grain holds one and stores it after every change this class accepts.
/// </summary>
/// <remarks>
/// Every unit is in exactly one place: in stock, or held by one order that is processing, pending,
/// fulfilled or cancelling; a cancelled order has given its unit back. So
/// <c>Stock + units held = TotalUnits</c>, and the stock never goes below zero.
/// <code>
/// (reserve) → processing ──debit confirmed──► pending ──fulfil──► fulfilled
///                  │                             │
///                  └─debit refused: dropped,     └─cancel──► cancelling ──refund confirmed──► cancelled
///                    unit back                                              (unit back)
/// </code>
/// </remarks>
[GenerateSerializer, Alias("Dispatch.ShopItem")]
public sealed class ShopItem
{
    [Id(10)] private readonly Dictionary<Guid, ShopOrder> orders = [];

    [Id(0)] public Guid Id { get; private set; }
    [Id(1)] public string PlaceId { get; private set; } = "";
    [Id(2)] public string Name { get; private set; } = "";
    [Id(3)] public int Cost { get; private set; }

    /// <summary>Units that can be redeemed now.</summary>
    [Id(4)] public int Stock { get; private set; }

    /// <summary>Every unit the item was created with.</summary>
    [Id(5)] public int TotalUnits { get; private set; }

    [Id(6)] public string CreatedBy { get; private set; } = "";
    [Id(7)] public DateTimeOffset CreatedAt { get; private set; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Grows by one with every accepted change, so callers can tell whether anything changed.</summary>
    [Id(9)] public long Version { get; private set; }

    /// <summary>
    /// The tag of the item's picture (<see cref="ShopPictures.Tag"/>), or null: the bytes live in the
    /// item's <see cref="IShopItemPictureGrain"/>, so that they are not written with every order.
    /// </summary>
    [Id(11)] public string? PictureTag { get; private set; }

    public IReadOnlyCollection<ShopOrder> Orders => orders.Values;

    public IEnumerable<ShopOrder> InFlight => orders.Values.Where(o => o.InFlight).OrderBy(o => o.CreatedAt).ThenBy(o => o.Id);

    public bool HasInFlight => orders.Values.Any(o => o.InFlight);

    /// <summary>Units held by orders: every order but the cancelled ones holds one.</summary>
    public int HeldUnits => orders.Values.Count(o => o.Status != OrderStatus.Cancelled);

    /// <summary>The description is assumed valid (<see cref="ShopLimits.Validate"/>).</summary>
    public static ShopItem Create(Guid id, string placeId, NewShopItem spec, string createdBy, DateTimeOffset now) => new()
    {
        Id = id,
        PlaceId = placeId,
        Name = spec.Name.Trim(),
        Cost = spec.Cost,
        Stock = spec.Stock,
        TotalUnits = spec.Stock,
        CreatedBy = createdBy,
        CreatedAt = now,
        UpdatedAt = now,
        Version = 1,
    };

    public ShopOrder? Find(Guid orderId) => orders.GetValueOrDefault(orderId);

    /// <summary>
    /// Takes one unit from stock for a new order, which is <see cref="OrderStatus.Processing"/>
    /// until the buyer's ledger confirms the debit. An order id already known returns that order
    /// (a retry; unchanged), or a conflict when it is another buyer's.
    /// </summary>
    public Outcome<ShopOrder> Reserve(Guid orderId, ShopBuyer buyer, DateTimeOffset now)
    {
        if (Find(orderId) is { } existing)
        {
            return existing.Buyer == buyer.Username
                ? existing
                : Failure.Conflict("orderIdInUse", $"Order '{orderId}' belongs to someone else.");
        }

        if (Stock <= 0)
        {
            return Failure.Conflict("outOfStock", $"\"{Name}\" is out of stock.");
        }

        var order = new ShopOrder(orderId, buyer.Username, buyer.CommunityId, Cost, OrderStatus.Processing, now, now);
        orders[orderId] = order;
        Stock--;
        Touch(now);
        return order;
    }

    /// <summary>The debit was posted: processing → pending. An order past processing is returned unchanged.</summary>
    public Outcome<ShopOrder> ConfirmRedemption(Guid orderId, DateTimeOffset now) =>
        Find(orderId) is not { } order ? OrderNotFound(orderId)
        : order.Status != OrderStatus.Processing ? order
        : Replace(order with { Status = OrderStatus.Pending, UpdatedAt = now }, now);

    /// <summary>The debit was refused: the processing order is dropped and its unit goes back. False when there was none.</summary>
    public bool AbandonRedemption(Guid orderId, DateTimeOffset now)
    {
        if (Find(orderId) is not { Status: OrderStatus.Processing })
        {
            return false;
        }

        orders.Remove(orderId);
        Stock++;
        Touch(now);
        return true;
    }

    /// <summary>Staff hand the goods over: pending → fulfilled; fulfilling again changes nothing.</summary>
    public Outcome<ShopOrder> Fulfil(Guid orderId, Actor actor, DateTimeOffset now) => Find(orderId) switch
    {
        null => OrderNotFound(orderId),
        { Status: OrderStatus.Fulfilled } done => done,
        { Status: OrderStatus.Pending } order => Replace(order with { Status = OrderStatus.Fulfilled, UpdatedAt = now, FulfilledBy = actor.Username }, now),
        var order => InvalidTransition("fulfil", order),
    };

    /// <summary>
    /// Pending → cancelling, until the buyer's ledger confirms the refund. Volunteers may cancel
    /// only their own orders. A cancelling or cancelled order is returned unchanged (a retry).
    /// </summary>
    public Outcome<ShopOrder> BeginCancel(Guid orderId, Actor actor, string reason, DateTimeOffset now)
    {
        if (Find(orderId) is not { } order)
        {
            return OrderNotFound(orderId);
        }

        if (actor.Role == AccountRole.Volunteer && actor.Username != order.Buyer)
        {
            return Failure.Forbidden("notBuyer", "Only the buyer or staff may cancel an order.");
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > ShopLimits.MaxCancelReason)
        {
            return Failure.Invalid("reason", $"'reason' is required, at most {ShopLimits.MaxCancelReason} characters.");
        }

        return order.Status switch
        {
            OrderStatus.Cancelling or OrderStatus.Cancelled => order,
            OrderStatus.Pending => Replace(
                order with { Status = OrderStatus.Cancelling, UpdatedAt = now, CancelledBy = actor.Username, CancelReason = reason.Trim() }, now),
            _ => InvalidTransition("cancel", order),
        };
    }

    /// <summary>The refund was posted: cancelling → cancelled, and the unit goes back to stock.</summary>
    public Outcome<ShopOrder> CompleteCancel(Guid orderId, DateTimeOffset now)
    {
        if (Find(orderId) is not { } order)
        {
            return OrderNotFound(orderId);
        }

        if (order.Status != OrderStatus.Cancelling)
        {
            return order;
        }

        Stock++;
        return Replace(order with { Status = OrderStatus.Cancelled, UpdatedAt = now }, now);
    }

    /// <summary>
    /// Staff's changes (assumed valid, <see cref="ShopLimits.Validate(ShopItemEdit)"/>): a new name or
    /// price for the orders to come, and a new stock. Units held by orders stay held, so the total
    /// follows the stock. Nothing changed is no new version.
    /// </summary>
    public void Edit(ShopItemEdit edit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var name = edit.Name?.Trim() ?? Name;
        var cost = edit.Cost ?? Cost;
        var stock = edit.Stock ?? Stock;
        if (name == Name && cost == Cost && stock == Stock)
        {
            return;
        }

        Name = name;
        Cost = cost;
        TotalUnits += stock - Stock;
        Stock = stock;
        UpdatedAt = now;
        Version++;
    }

    /// <summary>The item's picture is now the one tagged <paramref name="tag"/> (null: none). False when it already was.</summary>
    public bool SetPicture(string? tag, DateTimeOffset now)
    {
        if (tag == PictureTag)
        {
            return false;
        }

        PictureTag = tag;
        Touch(now);
        return true;
    }

    public ShopItemView ToView() => new(
        Id, PlaceId, Name, Cost, Stock,
        InFlight: orders.Values.Count(o => o.InFlight),
        Pending: Count(OrderStatus.Pending),
        Fulfilled: Count(OrderStatus.Fulfilled),
        Cancelled: Count(OrderStatus.Cancelled),
        CreatedBy, CreatedAt, UpdatedAt, Version,
        Picture: PictureTag is { } tag ? ShopPictures.Url(Id, tag) : null);

    public ShopOrderView ToView(ShopOrder order) => new(
        order.Id, Id, PlaceId, Name, order.Buyer, order.BuyerCommunityId, order.Cost, order.Status,
        order.CreatedAt, order.UpdatedAt, order.FulfilledBy, order.CancelledBy, order.CancelReason,
        Picture: PictureTag is { } tag ? ShopPictures.Url(Id, tag) : null);

    /// <summary>Every order, newest first.</summary>
    public ImmutableArray<ShopOrderView> OrderViews() =>
        [.. orders.Values.OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id).Select(ToView)];

    /// <summary>The orders of one buyer, newest first.</summary>
    public ImmutableArray<ShopOrderView> OrderViewsOf(string buyer) =>
        [.. orders.Values.Where(o => o.Buyer == buyer).OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id).Select(ToView)];

    private int Count(OrderStatus status) => orders.Values.Count(o => o.Status == status);

    private ShopOrder Replace(ShopOrder order, DateTimeOffset now)
    {
        orders[order.Id] = order;
        Touch(now);
        return order;
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        Version++;
    }

    private static Failure OrderNotFound(Guid orderId) => Failure.NotFound("Order", orderId.ToString());

    private static Failure InvalidTransition(string action, ShopOrder order) => Failure.Conflict(
        "invalidTransition",
        $"Cannot {action} an order that is {System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(order.Status.ToString())}.");
}
