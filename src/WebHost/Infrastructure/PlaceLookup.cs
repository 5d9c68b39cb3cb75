using System.Collections.Concurrent;
using Dispatch.Common;
using Dispatch.Places;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>
/// Finds places for scope checks and routing. A place's path never changes once created, so found
/// places are cached for the life of the host and each lookup costs at most one grain call.
/// </summary>
public sealed class PlaceLookup(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, PlaceInfo> known = new(StringComparer.Ordinal);

    /// <summary>The place, or null when it does not exist (absence is not cached: it may be created later).</summary>
    public async ValueTask<PlaceInfo?> Find(string placeId)
    {
        if (known.TryGetValue(placeId, out var cached))
        {
            return cached;
        }

        if (!Identifiers.IsValidPlaceId(placeId))
        {
            return null;
        }

        var place = await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(placeId)).Get();
        return place is null ? null : known.GetOrAdd(placeId, place);
    }

    /// <summary>The ids of the communities at or below <paramref name="place"/> (<see cref="PlaceTree.CommunitiesUnder"/>).</summary>
    public Task<List<string>> CommunitiesUnder(PlaceInfo place) => grains.CommunitiesUnder(place);
}
