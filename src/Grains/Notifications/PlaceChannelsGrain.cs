using Microsoft.Extensions.Logging;

namespace Dispatch.Notifications;

/// <summary>
/// Holds one place's channel settings (<see cref="ChannelRules"/>): its group robots, outgoing
/// webhooks and alert e-mail addresses, secrets included. Who may read or change them is decided
/// by the web host before it calls; this grain only keeps them consistent and stored.
/// </summary>
public sealed partial class PlaceChannelsGrain(
    [PersistentState("placeChannels", StorageNames.Dispatch)] IPersistentState<PlaceChannelsGrain.State> state,
    ILogger<PlaceChannelsGrain> logger) : Grain, IPlaceChannelsGrain
{
    public Task<PlaceChannels> Get() => Task.FromResult(state.State.Channels);

    public async Task<ChannelsResult<PlaceChannels>> Set(PlaceChannelsChange change)
    {
        var result = ChannelRules.Apply(change, state.State.Channels, () => Guid.NewGuid().ToString("N")[..12]);
        if (result.Value is not { } channels)
        {
            return result;
        }

        var before = state.State.Channels;
        state.State.Channels = channels;
        await state.WriteOrReloadAsync(this, exception =>
        {
            state.State.Channels = before;
            LogWriteFailed(exception, this.GetPrimaryKeyString());
        });
        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing the channels of {Key} failed; the activation is dropped")]
    private partial void LogWriteFailed(Exception exception, string key);

    [GenerateSerializer, Alias("Dispatch.PlaceChannelsGrain.State")]
    public sealed class State
    {
        [Id(0)] public PlaceChannels Channels { get; set; } = PlaceChannels.None;
    }
}
