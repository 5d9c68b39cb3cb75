using Dispatch.Common;
using Orleans.Concurrency;

namespace Dispatch.Shop;

/// <summary>
/// The picture of one shop item, keyed by the item's id. It is kept apart from the item's state,
/// which is written with every order and stock change, and written only when the picture is
/// replaced or removed. The item grain calls it (<see cref="IShopItemGrain.SetPicture"/>); the
/// web host reads it.
/// </summary>
public interface IShopItemPictureGrain : IGrainWithGuidKey
{
    /// <summary>The picture, or null when the item has none.</summary>
    [AlwaysInterleave]
    Task<ShopItemPicture?> Get();

    /// <summary>Stores <paramref name="bytes"/> as the picture (checked again: <see cref="ShopPictures.Check"/>); answers once stored.</summary>
    Task<Outcome<ShopItemPicture>> Put(byte[] bytes, Actor actor);

    /// <summary>Removes the picture; answers once stored. Removing none changes nothing.</summary>
    Task Remove(Actor actor);
}
