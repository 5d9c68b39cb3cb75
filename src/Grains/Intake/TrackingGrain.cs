using Dispatch.Common;

namespace Dispatch.Intake;

/// <summary>A resident's tracking code and what it leads to, linked once (<see cref="ITrackingGrain"/>).</summary>
public sealed class TrackingGrain(
    [PersistentState("tracking", StorageNames.Dispatch)] IPersistentState<TrackingGrain.State> state)
    : Grain, ITrackingGrain
{
    public async Task<Outcome<TrackingLink>> Link(TrackingLink link)
    {
        if (state.State.Link is { } existing)
        {
            return existing == link ? existing : Failure.Conflict("alreadyExists", "This tracking code is taken.");
        }

        state.State.Link = link;
        await state.WriteOrReloadAsync(this, _ => state.State.Link = null);
        return link;
    }

    public Task<TrackingLink?> Get() => Task.FromResult(state.State.Link);

    [GenerateSerializer, Alias("Dispatch.TrackingGrain.State")]
    public sealed class State
    {
        [Id(0)] public TrackingLink? Link { get; set; }
    }
}
