using System.Collections.Immutable;

namespace Dispatch.Places;

/// <summary>The administrative hierarchy, top to bottom. Each kind sits exactly one level below its parent's.</summary>
public enum PlaceKind
{
    Region,
    County,
    Town,
    Community,
    Grid,
}

[GenerateSerializer, Immutable, Alias("Dispatch.NewPlace")]
public sealed record NewPlace(string Id, string Name, PlaceKind Kind, string? ParentId);

/// <param name="Path">Ids from the root of the hierarchy down to and including this place.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.PlaceInfo")]
public sealed record PlaceInfo(
    string Id,
    string Name,
    PlaceKind Kind,
    string? ParentId,
    ImmutableArray<string> Path,
    ImmutableArray<string> Children,
    DateTimeOffset CreatedAt)
{
    /// <summary>True when this place is <paramref name="placeId"/> or lies below it.</summary>
    public bool IsWithin(string placeId) => Path.Contains(placeId, StringComparer.Ordinal);
}
