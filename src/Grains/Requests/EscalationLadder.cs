using System.Collections.Immutable;

namespace Dispatch.Requests;

/// <summary>
/// The places a request climbs through when it is overdue: level 0 is its community, each level
/// one step up its path from the root (community → town → county → region), up to
/// <see cref="MaxLevel"/>. A path shorter than the level stops at its root.
/// </summary>
/// <param name="PlacePath">Place ids from the root down to the request's community (empty for requests stored without one).</param>
/// <param name="CommunityId">The request's community: the whole ladder when the path is empty.</param>
public readonly record struct EscalationLadder(ImmutableArray<string> PlacePath, string CommunityId)
{
    /// <summary>The highest level: 0 community, 1 town, 2 county, 3 region.</summary>
    public const int MaxLevel = 3;

    /// <summary>The place whose staff see the request as an alert at <paramref name="level"/>.</summary>
    public string PlaceAt(int level) =>
        PlacePath.IsDefaultOrEmpty ? CommunityId : PlacePath[IndexOf(level)];

    /// <summary>The level above <paramref name="level"/>, never past the top.</summary>
    public static int Above(int level) => Math.Min(level + 1, MaxLevel);

    /// <summary>
    /// Whether <paramref name="placeId"/> is the place of <paramref name="level"/> or one above it
    /// on the ladder: staff placed there answer for the request at that level (issue #16, item 11).
    /// </summary>
    public bool IsAtOrAbove(string placeId, int level)
    {
        if (PlacePath.IsDefaultOrEmpty)
        {
            return string.Equals(placeId, CommunityId, StringComparison.Ordinal);
        }

        var index = PlacePath.IndexOf(placeId, StringComparer.Ordinal);
        return index >= 0 && index <= IndexOf(level);
    }

    private int IndexOf(int level) => Math.Max(0, PlacePath.Length - 1 - level);
}
