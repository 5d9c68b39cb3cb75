using System.Collections.Immutable;

namespace Dispatch.Open311;

/// <summary>The ids of the Open311 keys issued (<see cref="IOpen311KeyDirectoryGrain"/>).</summary>
public sealed class Open311KeyDirectoryGrain(
    [PersistentState("open311KeyDirectory", StorageNames.Dispatch)] IPersistentState<Open311KeyDirectoryGrain.State> state)
    : Grain, IOpen311KeyDirectoryGrain
{
    public async Task Link(Guid keyId)
    {
        if (state.State.Keys.Contains(keyId))
        {
            return;
        }

        state.State.Keys.Add(keyId);
        await state.WriteOrReloadAsync(this, _ => state.State.Keys.Remove(keyId));
    }

    public Task<ImmutableArray<Guid>> List() => Task.FromResult<ImmutableArray<Guid>>([.. state.State.Keys]);

    [GenerateSerializer, Alias("Dispatch.Open311KeyDirectoryGrain.State")]
    public sealed class State
    {
        [Id(0)] public List<Guid> Keys { get; set; } = [];
    }
}
