using Dispatch.Common;
using Microsoft.Extensions.Logging;

namespace Dispatch.Shop;

/// <summary>
/// Holds the picture of one shop item (at most <see cref="ShopPictures.MaxBytes"/>) in a state of
/// its own, written only when the picture is replaced or removed: in grain storage like every
/// other state (the SQLite file, or PostgreSQL), never in a file on a host's disk.
/// </summary>
public sealed partial class ShopItemPictureGrain(
    [PersistentState("shopItemPicture", StorageNames.Dispatch)] IPersistentState<ShopItemPictureGrain.State> state,
    TimeProvider time,
    ILogger<ShopItemPictureGrain> logger) : Grain, IShopItemPictureGrain
{
    // What is stored, for the interleaved reads: they may run while a new picture is being written.
    private ShopItemPicture? committed;

    private Guid ItemId => this.GetPrimaryKey();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        committed = state.State.Picture;
        return Task.CompletedTask;
    }

    public Task<ShopItemPicture?> Get() => Task.FromResult(committed);

    public async Task<Outcome<ShopItemPicture>> Put(byte[] bytes, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (ShopPictures.Check(bytes.Length, bytes) is { } refused)
        {
            return refused;
        }

        var tag = ShopPictures.Tag(bytes);
        if (state.State.Picture is { } same && same.Tag == tag)
        {
            return same;
        }

        state.State.Picture = new ShopItemPicture(ItemId, bytes, ShopPictures.Detect(bytes)!, tag, time.GetUtcNow(), actor.Username);
        await Store();
        return state.State.Picture;
    }

    public async Task Remove(Actor actor)
    {
        if (state.State.Picture is null)
        {
            return;
        }

        state.State.Picture = null;
        await Store();
        LogRemoved(ItemId, actor.Username);
    }

    private async Task Store()
    {
        await state.WriteOrReloadAsync(this, exception => LogWriteFailed(exception, ItemId));
        committed = state.State.Picture;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The picture of shop item {ItemId} was removed by {Actor}")]
    private partial void LogRemoved(Guid itemId, string actor);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing the picture of shop item {ItemId} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, Guid itemId);

    [GenerateSerializer, Alias("Dispatch.ShopItemPictureGrain.State")]
    public sealed class State
    {
        [Id(0)] public ShopItemPicture? Picture { get; set; }
    }
}
