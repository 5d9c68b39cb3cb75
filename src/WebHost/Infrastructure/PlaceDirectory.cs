using System.Collections.Concurrent;
using System.Security.Claims;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.WebHost.Auth;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>
/// Answers "is place X inside Y" for scope checks. A place's path never changes once created, so
/// found places are cached for the life of the host and each check costs at most one grain call.
/// </summary>
public sealed class PlaceDirectory(IGrainFactory grains)
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

    /// <summary>True when the user may act on <paramref name="place"/>: admins anywhere, others at their place or below.</summary>
    public static bool InScope(ClaimsPrincipal user, PlaceInfo place) =>
        user.Role() == AccountRole.Admin || place.IsWithin(user.PlaceId());

    public async ValueTask<bool> InScope(ClaimsPrincipal user, string placeId) =>
        user.Role() == AccountRole.Admin || (await Find(placeId) is { } place && InScope(user, place));

    /// <summary>The ids of the communities at or below <paramref name="place"/> (<see cref="PlaceTree.CommunitiesUnder"/>).</summary>
    public Task<List<string>> CommunitiesUnder(PlaceInfo place) => grains.CommunitiesUnder(place);
}
