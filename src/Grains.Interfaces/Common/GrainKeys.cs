namespace Dispatch.Common;

/// <summary>
/// String keys for grains whose identity is a human-readable id.
/// </summary>
/// <remarks>
/// The Orleans ADO.NET storage provider stores a string key that parses as a Guid or a hexadecimal
/// integer in its numeric columns, so "123" would alias "0123" and "cafe" would alias "CAFE".
/// A fixed prefix ending in ':' can never parse as either, which keeps every key its own row.
/// </remarks>
public static class GrainKeys
{
    public const string PlacePrefix = "place:";
    public const string AccountPrefix = "account:";
    public const string VolunteerPrefix = "volunteer:";
    public const string CommunityPrefix = "community:";
    public const string IdempotencyPrefix = "idem:";
    public const string FeedPrefix = "feed:";
    public const string LedgerPrefix = "ledger:";
    public const string ShopPrefix = "shop:";
    public const string OrganisationPrefix = "org:";
    public const string ApplicationPrefix = "application:";
    public const string CommunityApplicationsPrefix = "applications:";

    /// <summary>The one policy grain of the service.</summary>
    public const string Policies = "policies:all";

    /// <summary>The one directory of the regions (the places without a parent).</summary>
    public const string PlaceDirectory = "places:regions";

    public static string Place(string placeId) => PlacePrefix + placeId;
    public static string Account(string username) => AccountPrefix + username;
    public static string Volunteer(string username) => VolunteerPrefix + username;
    public static string Community(string communityId) => CommunityPrefix + communityId;
    public static string Idempotency(string scopedKey) => IdempotencyPrefix + scopedKey;
    public static string Feed(string placeId) => FeedPrefix + placeId;
    public static string Ledger(string username) => LedgerPrefix + username;
    public static string Shop(string placeId) => ShopPrefix + placeId;
    public static string Organisation(string organisationId) => OrganisationPrefix + organisationId;
    public static string Application(string applicationId) => ApplicationPrefix + applicationId;
    public static string CommunityApplications(string communityId) => CommunityApplicationsPrefix + communityId;

    /// <summary>The id part of a prefixed key.</summary>
    public static string IdOf(string grainKey, string prefix) =>
        grainKey.StartsWith(prefix, StringComparison.Ordinal)
            ? grainKey[prefix.Length..]
            : throw new ArgumentException($"Grain key '{grainKey}' does not start with '{prefix}'.", nameof(grainKey));
}
