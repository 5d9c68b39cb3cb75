using System.Collections.Immutable;

namespace Dispatch.Suggestions;

/// <summary>
/// Every suggestion's latest view, for lists, department queues and statistics in one call. The
/// suggestion grains own the suggestions; this grain mirrors them, told after each stored change.
/// A change that arrives after a later one (a repeat telling it again) is ignored.
/// </summary>
public sealed class SuggestionIndexGrain(
    [PersistentState("suggestionIndex", StorageNames.Dispatch)] IPersistentState<SuggestionIndexGrain.State> state)
    : Grain, ISuggestionIndexGrain
{
    public async Task Record(SuggestionView suggestion)
    {
        if (state.State.Lines.TryGetValue(suggestion.Id, out var current) && (current == suggestion || Stage(current) > Stage(suggestion)))
        {
            return;
        }

        state.State.Lines[suggestion.Id] = suggestion;
        await state.WriteOrReloadAsync(this, _ =>
        {
            if (current is null)
            {
                state.State.Lines.Remove(suggestion.Id);
            }
            else
            {
                state.State.Lines[suggestion.Id] = current;
            }
        });
    }

    public Task<ImmutableArray<SuggestionView>> List() =>
        Task.FromResult(state.State.Lines.Values
            .OrderByDescending(s => s.FiledAt)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToImmutableArray());

    /// <summary>How far a suggestion has come; its changes only move it forward.</summary>
    private static int Stage(SuggestionView s) => ((int)s.Status * 100) + (s.Level * 2) + (s.Rating is null ? 0 : 1);

    [GenerateSerializer, Alias("Dispatch.SuggestionIndexGrain.State")]
    public sealed class State
    {
        [Id(0)] public Dictionary<string, SuggestionView> Lines { get; set; } = new(StringComparer.Ordinal);
    }
}
