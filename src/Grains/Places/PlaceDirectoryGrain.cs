using System.Collections.Immutable;

namespace Dispatch.Places;

/// <summary>Lists the regions, so that an admin's desk can start the tree somewhere.</summary>
public sealed class PlaceDirectoryGrain(
    [PersistentState("placeDirectory", StorageNames.Dispatch)] IPersistentState<PlaceDirectoryGrain.State> state) : Grain, IPlaceDirectoryGrain
{
    public async Task AddRegion(string regionId)
    {
        if (!state.State.Regions.Contains(regionId))
        {
            state.State.Regions = state.State.Regions.Add(regionId);
            await state.WriteOrReloadAsync(this);
        }
    }

    public Task<ImmutableArray<string>> GetRegions() => Task.FromResult(state.State.Regions);

    [GenerateSerializer, Alias("Dispatch.PlaceDirectoryGrain.State")]
    public sealed class State
    {
        [Id(0)] public ImmutableArray<string> Regions { get; set; } = [];
    }
}
