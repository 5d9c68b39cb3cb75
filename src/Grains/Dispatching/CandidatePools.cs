using Dispatch.Common;
using Dispatch.Places;

namespace Dispatch.Dispatching;

/// <summary>Where the candidates for a request come from: plain C#, no grains.</summary>
public static class CandidatePools
{
    /// <summary>
    /// The place whose volunteers are ranked for <paramref name="viewer"/>: the request's
    /// <paramref name="community"/>, or its parent (the town) once the request has escalated to
    /// level 1 or more and the viewer stands at the town or above it (or is an admin), since the
    /// town's staff then own it and may draw on every community of the town. Staff below the town
    /// (the community's own) keep seeing their community's volunteers only: other communities'
    /// volunteers are not theirs to see.
    /// </summary>
    public static string PoolPlaceId(int escalationLevel, PlaceInfo community, Actor viewer)
    {
        ArgumentNullException.ThrowIfNull(community);
        ArgumentNullException.ThrowIfNull(viewer);
        if (escalationLevel < 1 || community.Path.Length < 2)
        {
            return community.Id;
        }

        var town = community.Path[^2];
        var above = viewer.IsAdmin
            || (viewer.PlaceId is { } place && community.Path[..^1].Contains(place, StringComparer.Ordinal));
        return above ? town : community.Id;
    }
}
