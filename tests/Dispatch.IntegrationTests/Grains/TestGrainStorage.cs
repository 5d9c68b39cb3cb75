using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// In-memory grain storage shared by every silo of a test cluster, storing serialized copies (so
/// a reload sees only what was written) and able to fail the writes of one state name on demand.
/// </summary>
public sealed class TestGrainStorage(Serializer serializer) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (byte[] Payload, int Version)> rows = new();

    private int faultsInjected;

    /// <summary>Writes of states with this name throw <see cref="InjectedStorageFaultException"/> until it is set back to null.</summary>
    public string? FailWritesOf { get; set; }

    /// <summary>How many writes <see cref="FailWritesOf"/> has failed: a test proves with it that its fault was used.</summary>
    public int FaultsInjected => Volatile.Read(ref faultsInjected);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (rows.TryGetValue((stateName, grainId), out var row))
        {
            grainState.State = serializer.Deserialize<T>(row.Payload);
            grainState.ETag = row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (FailWritesOf == stateName)
        {
            Interlocked.Increment(ref faultsInjected);
            throw new InjectedStorageFaultException(InjectedStorageFaultException.MessageFor(stateName, grainId));
        }

        var version = rows.AddOrUpdate(
            (stateName, grainId),
            _ => (serializer.SerializeToArray(grainState.State), 1),
            (_, row) => (serializer.SerializeToArray(grainState.State), row.Version + 1)).Version;
        grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    /// <summary>The stored state of a grain whose key contains <paramref name="key"/>, read without activating it.</summary>
    public T? Peek<T>(string stateName, string key) =>
        rows.Where(r => r.Key.State == stateName && r.Key.Grain.ToString().Contains(key, StringComparison.OrdinalIgnoreCase))
            .Select(r => serializer.Deserialize<T>(r.Value.Payload))
            .FirstOrDefault();

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        rows.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
