using System.Globalization;
using Dispatch.Requests;
using Orleans.Storage;

namespace Dispatch.Silo.QueryStore;

/// <summary>
/// The grain storage with the query store's hook: every request state it writes successfully is
/// handed to the <see cref="QueryProjector"/>, captured on the grain's turn before the write (so
/// the row is exactly what was stored) and tagged with the storage version the write produced.
/// The state write itself is the durable outbox: whatever the projector had not written when the
/// process died is found again by the start-up catch-up, which compares versions. Other states,
/// reads and clears pass straight through.
/// </summary>
public sealed class ProjectingGrainStorage(IGrainStorage inner, QueryProjector projector) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.State is not RequestGrain.State { Request: { } request })
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
            return;
        }

        var row = RequestRow.From(request, stateVersion: 0);
        try
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
        }
        catch (Exception exception) when (exception is not InconsistentStateException)
        {
            // The write may have reached the store all the same (an answer lost on the way back).
            projector.SweepSoon();
            throw;
        }

        if (int.TryParse(grainState.ETag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            projector.Enqueue(row with { StateVersion = version });
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle lifecycle) =>
        (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}
