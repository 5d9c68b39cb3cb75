using System.Collections.Concurrent;
using Dispatch.Common;
using Dispatch.Places;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>
/// Finds places for scope checks and routing. A place's path never changes once created, but its
/// name and children do: a found place is kept for <see cref="Freshness"/>, so that a lookup costs
/// at most one grain call per place in that time and a name read here is at most that old on
/// another host. The host that renames a place or adds one below it forgets what it held at once.
/// </summary>
public sealed class PlaceLookup(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (PlaceInfo Place, long FoundAt)> known = new(StringComparer.Ordinal);

    /// <summary>The place, or null when it does not exist (absence is not kept: it may be created later).</summary>
    public async ValueTask<PlaceInfo?> Find(string placeId)
    {
        if (known.TryGetValue(placeId, out var cached) && time.GetElapsedTime(cached.FoundAt) < Freshness)
        {
            return cached.Place;
        }

        if (!Identifiers.IsValidPlaceId(placeId))
        {
            return null;
        }

        var place = await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(placeId)).Get();
        if (place is null)
        {
            known.TryRemove(placeId, out _);
            return null;
        }

        known[placeId] = (place, time.GetTimestamp());
        return place;
    }

    /// <summary>Drops what is kept of a place that was just renamed or given a new child.</summary>
    public void Forget(string placeId) => known.TryRemove(placeId, out _);

    /// <summary>The ids of the communities at or below <paramref name="place"/> (<see cref="PlaceTree.CommunitiesUnder"/>).</summary>
    public Task<List<string>> CommunitiesUnder(PlaceInfo place) => grains.CommunitiesUnder(place);
}
