using Dispatch.Requests;

namespace Dispatch.Open311;

/// <summary>A point in WGS84 degrees, as Open311 clients send <c>lat</c> and <c>long</c>.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Open311.GeoPoint")]
public sealed record GeoPoint(double Latitude, double Longitude)
{
    public static bool IsValid(double latitude, double longitude) =>
        double.IsFinite(latitude) && double.IsFinite(longitude) && latitude is >= -90 and <= 90 && longitude is >= -180 and <= 180;
}

/// <summary>
/// One GeoReport service a jurisdiction offers: filing it creates a request of <see cref="Kind"/>
/// (with <see cref="Category"/> as its one category, when set) worth <see cref="Points"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Open311.Service")]
public sealed record Open311Service(
    string Code,
    string Name,
    string? Description,
    RequestKind Kind,
    string? Category,
    string? Group,
    string? Keywords,
    int Points);

/// <summary>
/// A request filed through Open311, kept by the Open311 record of the community it landed in.
/// The service is kept as filed, so a later change of the services does not rename old requests.
/// </summary>
/// <param name="MediaUrl">The submitter's public media link, shown back as GeoReport's <c>media_url</c>.</param>
/// <param name="KeyId">The API key that filed it.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.Open311.FiledRequest")]
public sealed record FiledRequest(Guid Id, DateTimeOffset At, string ServiceCode, string ServiceName, string? MediaUrl, Guid KeyId);

/// <summary>A GeoReport request to file for a key, parsed and validated by the web host.</summary>
/// <param name="Request">The request to create; its community is chosen by the filing.</param>
/// <param name="TrackingCode">Drawn by the caller; linked to the request once it exists.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.Open311.NewRequest")]
public sealed record NewOpen311Request(
    Guid KeyId,
    Places.PlaceInfo Jurisdiction,
    GeoPoint? Point,
    Open311Service Service,
    string? MediaUrl,
    NewRequest Request,
    string TrackingCode)
{
    /// <summary>Who a request filed through Open311 was created by, in its history: the key that filed it.</summary>
    public string Creator => Open311Keys.Creator(KeyId);
}

/// <summary>A filed request, the name of the community it landed in, and whether its tracking code leads to it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Open311.Filed")]
public sealed record Open311Filed(RequestView Request, string CommunityName, bool Tracked);

/// <summary>An Open311 API key as admins see it: never the key itself, which is shown once and stored hashed.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.Open311.KeyInfo")]
public sealed record Open311KeyInfo(
    Guid Id,
    string JurisdictionId,
    string Name,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string? RevokedBy,
    DateTimeOffset? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}

/// <summary>Keys of the Open311 grains. The prefix keeps the ids out of the storage's numeric key columns (see <see cref="Common.GrainKeys"/>).</summary>
public static class Open311GrainKeys
{
    public const string PlacePrefix = "open311:";

    public static string Place(string placeId) => PlacePrefix + placeId;

    /// <summary>The one directory of every key issued, for the admins' list.</summary>
    public const string KeyDirectory = "open311keys:all";
}
