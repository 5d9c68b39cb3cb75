namespace Dispatch.IntegrationTests.Storage;

public interface IStorageProbeGrain : IGrainWithStringKey
{
    Task<string?> Read();

    Task Write(string value);

    Task Clear();

    /// <summary>Drops the activation, so the next call reads from storage again.</summary>
    Task Deactivate();
}

/// <summary>Exercises every query key of our SQLite script through the real Orleans ADO.NET provider.</summary>
public sealed class StorageProbeGrain(
    [PersistentState("probe", "probe")] IPersistentState<StorageProbeGrain.State> kept,
    [PersistentState("probe-deleted", "probe-delete")] IPersistentState<StorageProbeGrain.State> deleted) : Grain, IStorageProbeGrain
{
    private IPersistentState<State> Target => this.GetPrimaryKeyString().StartsWith("delete", StringComparison.Ordinal) ? deleted : kept;

    public Task<string?> Read() => Task.FromResult(Target.RecordExists ? Target.State.Value : null);

    public async Task Write(string value)
    {
        Target.State.Value = value;
        await Target.WriteStateAsync();
    }

    public Task Clear() => Target.ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    [GenerateSerializer]
    public sealed class State
    {
        [Id(0)] public string? Value { get; set; }
    }
}
