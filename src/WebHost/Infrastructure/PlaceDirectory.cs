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

    /// <summary>
    /// The ids of the communities at or below <paramref name="place"/>. Each place is read fresh
    /// (not from the cache), because children are added over time.
    /// </summary>
    public async Task<List<string>> CommunitiesUnder(PlaceInfo place)
    {
        var communities = new List<string>();
        var pending = new Queue<PlaceInfo>([await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(place.Id)).Get() ?? place]);
        while (pending.TryDequeue(out var next))
        {
            if (next.Kind == PlaceKind.Community)
            {
                communities.Add(next.Id);
                continue;
            }

            if (next.Kind > PlaceKind.Community)
            {
                continue;
            }

            var children = await Task.WhenAll(next.Children.Select(c => grains.GetGrain<IPlaceGrain>(GrainKeys.Place(c)).Get()));
            foreach (var child in children.OfType<PlaceInfo>())
            {
                pending.Enqueue(child);
            }
        }

        return communities;
    }
}
