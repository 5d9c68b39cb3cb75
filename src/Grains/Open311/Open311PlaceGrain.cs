using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace Dispatch.Open311;

/// <summary>
/// A place's Open311 settings and, for a community, the requests filed through Open311 that
/// landed in it. <see cref="Open311FilingGrain"/> lists a request here before it creates it, so a crash in between
/// leaves an id with no request (which listings skip), never a filed request no listing finds.
/// </summary>
public sealed partial class Open311PlaceGrain(
    [PersistentState("open311Place", StorageNames.Dispatch)] IPersistentState<Open311PlaceGrain.State> state,
    ILogger<Open311PlaceGrain> logger) : Grain, IOpen311PlaceGrain
{
    public Task<GeoPoint?> GetLocation() => Task.FromResult(state.State.Location);

    public async Task SetLocation(GeoPoint? location)
    {
        state.State.Location = location;
        await Store();
    }

    public Task<ImmutableArray<Open311Service>?> GetServices() => Task.FromResult(state.State.Services);

    public async Task SetServices(ImmutableArray<Open311Service>? services)
    {
        state.State.Services = services;
        await Store();
    }

    public async Task File(FiledRequest filed)
    {
        if (state.State.Filed.Exists(f => f.Id == filed.Id))
        {
            return;
        }

        state.State.Filed.Add(filed);
        await Store();
    }

    public Task<FiledRequest?> Find(Guid requestId) => Task.FromResult(state.State.Filed.Find(f => f.Id == requestId));

    public Task<ImmutableArray<FiledRequest>> GetFiled() => Task.FromResult<ImmutableArray<FiledRequest>>([.. state.State.Filed]);

    private async Task Store()
    {
        try
        {
            await state.WriteOrReloadAsync(this);
        }
        catch (Exception exception)
        {
            LogWriteFailed(exception, this.GetPrimaryKeyString());
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {GrainKey} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, string grainKey);

    [GenerateSerializer, Alias("Dispatch.Open311PlaceGrain.State")]
    public sealed class State
    {
        [Id(0)] public GeoPoint? Location { get; set; }
        [Id(1)] public ImmutableArray<Open311Service>? Services { get; set; }
        [Id(2)] public List<FiledRequest> Filed { get; set; } = [];
    }
}
