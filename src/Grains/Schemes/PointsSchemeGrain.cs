using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Places;
using Microsoft.Extensions.Logging;

namespace Dispatch.Schemes;

/// <summary>Holds the versions of one place's points scheme; the rules are <see cref="PointsScheme"/>.</summary>
public sealed partial class PointsSchemeGrain(
    [PersistentState("scheme", StorageNames.Dispatch)] IPersistentState<PointsSchemeGrain.State> state,
    TimeProvider time,
    ILogger<PointsSchemeGrain> logger) : Grain, IPointsSchemeGrain
{
    public Task<ImmutableArray<PointsSchemeVersion>> GetVersions() => Task.FromResult(state.State.Versions);

    public async Task<Outcome<PointsSchemeVersion>> Set(PlaceInfo place, SchemeDraft draft, Actor actor)
    {
        // The rules above, as they will stand on the draft's date, are the limits it is held to.
        var inherited = await Resolve(place with { Path = place.Path.RemoveAt(place.Path.Length - 1) }, draft.EffectiveFrom, includeSelf: false);
        var outcome = PointsScheme.Next(place.Id, place.Kind, state.State.Versions, draft, inherited, actor.Username, time.GetUtcNow());
        if (outcome.Value is not { } version)
        {
            return outcome;
        }

        state.State.Versions = state.State.Versions.Add(version);
        await state.WriteOrReloadAsync(this, exception => LogWriteFailed(exception, place.Id, version.Version));
        LogSet(place.Id, version.Version, version.EffectiveFrom, version.Rules.Length, actor.Username);
        return version;
    }

    public async Task<ImmutableArray<EffectiveRule>> Effective(PlaceInfo place, DateOnly on) =>
        await Resolve(place, on, includeSelf: true);

    /// <summary>The rules in force at the end of <paramref name="place"/>'s path (each level of a path is one kind below its parent's).</summary>
    private async Task<ImmutableArray<EffectiveRule>> Resolve(PlaceInfo place, DateOnly on, bool includeSelf)
    {
        var ids = place.Path;
        var versions = await Task.WhenAll(ids.Select((id, i) =>
            includeSelf && i == ids.Length - 1
                ? Task.FromResult(state.State.Versions)
                : GrainFactory.GetGrain<IPointsSchemeGrain>(SchemeKeys.For(id)).GetVersions()));
        return PointsScheme.Resolve(
            ids.Select((id, i) => (id, place.Kind - (ids.Length - 1 - i), (IReadOnlyList<PointsSchemeVersion>)versions[i])), on);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Points scheme of {PlaceId}: version {Version} from {EffectiveFrom} with {Rules} rules, set by {By}")]
    private partial void LogSet(string placeId, int version, DateOnly effectiveFrom, int rules, string by);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing version {Version} of the points scheme of {PlaceId} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, string placeId, int version);

    [GenerateSerializer, Alias("Dispatch.PointsSchemeGrain.State")]
    public sealed class State
    {
        [Id(0)] public ImmutableArray<PointsSchemeVersion> Versions { get; set; } = [];
    }
}
