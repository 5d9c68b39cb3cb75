using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Views;

/// <summary>A staff member's saved views of the board (<see cref="ISavedViewsGrain"/>).</summary>
public sealed class SavedViewsGrain(
    [PersistentState("savedViews", StorageNames.Dispatch)] IPersistentState<SavedViewBook> state)
    : Grain, ISavedViewsGrain
{
    public Task<ImmutableArray<SavedView>> List() => Task.FromResult(state.State.List());

    public async Task<Outcome<SavedView>> Put(SavedView view)
    {
        var before = state.State.Copy();
        var outcome = state.State.Put(view);
        if (outcome.Failure is not null)
        {
            return outcome;
        }

        await state.WriteOrReloadAsync(this, _ => state.State = before);
        return outcome;
    }

    public async Task<bool> Delete(string name)
    {
        var before = state.State.Copy();
        if (state.State.Remove(name) is null)
        {
            return false;
        }

        await state.WriteOrReloadAsync(this, _ => state.State = before);
        return true;
    }
}
