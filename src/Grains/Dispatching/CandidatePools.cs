using Dispatch.Places;

namespace Dispatch.Dispatching;

/// <summary>Where the candidates for a request come from: plain C#, no grains.</summary>
public static class CandidatePools
{
    /// <summary>
    /// The place whose volunteers are ranked: the request's <paramref name="community"/>, or its
    /// parent (the town) once the request has escalated to level 1 or more, since the town's staff
    /// then own it and may draw on every community of the town.
    /// </summary>
    public static string PoolPlaceId(int escalationLevel, PlaceInfo community)
    {
        ArgumentNullException.ThrowIfNull(community);
        return escalationLevel >= 1 && community.Path.Length >= 2 ? community.Path[^2] : community.Id;
    }
}
