using System.Collections.Immutable;
using Dispatch.Common;
using Microsoft.Extensions.Logging;

namespace Dispatch.Shop;

/// <summary>
/// A place's points shop: the ids of its items, in the order they were added. The items hold
/// their own stock and orders; listing asks each for what it last stored.
/// </summary>
public sealed partial class ShopGrain(
    [PersistentState("shop", StorageNames.Dispatch)] IPersistentState<ShopGrain.State> state,
    ILogger<ShopGrain> logger) : Grain, IShopGrain
{
    private string PlaceId => GrainKeys.IdOf(this.GetPrimaryKeyString(), GrainKeys.ShopPrefix);

    public async Task<Outcome<ShopItemView>> AddItem(Guid itemId, NewShopItem item, Actor actor)
    {
        // Refused input lists nothing.
        var errors = ShopLimits.Validate(item);
        if (!errors.IsEmpty)
        {
            var (field, messages) = errors.ToDictionary().First();
            return Failure.Invalid(field, messages[0]);
        }

        var listedNow = !state.State.ItemIds.Contains(itemId);
        if (listedNow)
        {
            state.State.ItemIds.Add(itemId);
            await Store();
        }

        var outcome = await GrainFactory.GetGrain<IShopItemGrain>(itemId).Create(PlaceId, item, actor);
        if (!outcome.Succeeded && listedNow)
        {
            // The id is taken by another item (or the input was refused there): unlist it again.
            state.State.ItemIds.Remove(itemId);
            await Store();
        }

        return outcome;
    }

    public async Task<ShopItems> GetItems()
    {
        var views = await Task.WhenAll(state.State.ItemIds.Select(id => GrainFactory.GetGrain<IShopItemGrain>(id).Get()));

        // An id listed by a crash just before its item was created has no item: skip it.
        return new ShopItems(PlaceId, [.. views.OfType<ShopItemView>().Where(v => v.PlaceId == PlaceId)]);
    }

    public async Task<ImmutableArray<ShopOrderView>> GetOrdersOf(string buyer)
    {
        var perItem = await Task.WhenAll(state.State.ItemIds.Select(id => GrainFactory.GetGrain<IShopItemGrain>(id).GetOrdersOf(buyer)));
        return [.. perItem.SelectMany(orders => orders).OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id)];
    }

    public Task<ImmutableArray<Guid>> GetItemIds() => Task.FromResult<ImmutableArray<Guid>>([.. state.State.ItemIds]);

    private Task Store() => state.WriteOrReloadAsync(this, exception => LogWriteFailed(exception, PlaceId));

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing the shop of {PlaceId} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, string placeId);

    [GenerateSerializer, Alias("Dispatch.ShopGrain.State")]
    public sealed class State
    {
        [Id(0)] public List<Guid> ItemIds { get; set; } = [];
    }
}
