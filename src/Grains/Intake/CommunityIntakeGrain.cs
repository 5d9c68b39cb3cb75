using System.Collections.Immutable;

namespace Dispatch.Intake;

/// <summary>
/// The list of one community's intake: a line each (id, status, time), for staff's list. The intake
/// grains own the items; this grain only mirrors their status.
/// </summary>
public sealed class CommunityIntakeGrain(
    [PersistentState("communityIntake", StorageNames.Dispatch)] IPersistentState<CommunityIntakeGrain.State> state)
    : Grain, ICommunityIntakeGrain
{
    public async Task Record(IntakeLine line)
    {
        if (state.State.Lines.TryGetValue(line.Id, out var current) && current == line)
        {
            return;
        }

        state.State.Lines[line.Id] = line;
        await state.WriteOrReloadAsync(this, _ =>
        {
            if (current is null)
            {
                state.State.Lines.Remove(line.Id);
            }
            else
            {
                state.State.Lines[line.Id] = current;
            }
        });
    }

    public Task<ImmutableArray<IntakeLine>> List(IntakeStatus? status) =>
        Task.FromResult(state.State.Lines.Values
            .Where(line => status is null || line.Status == status)
            .OrderByDescending(line => line.SubmittedAt)
            .ThenBy(line => line.Id, StringComparer.Ordinal)
            .ToImmutableArray());

    [GenerateSerializer, Alias("Dispatch.CommunityIntakeGrain.State")]
    public sealed class State
    {
        [Id(0)] public Dictionary<string, IntakeLine> Lines { get; set; } = new(StringComparer.Ordinal);
    }
}
