using System.Text.RegularExpressions;

namespace Dispatch.Common;

/// <summary>Rules for the human-readable ids of places and accounts.</summary>
public static partial class Identifiers
{
    public const int MaxLength = 64;

    /// <summary>Letters, digits, '.', '_' and '-', starting with a letter or digit; case-sensitive.</summary>
    public static bool IsValidPlaceId(string? id) => id is not null && PlaceIdPattern().IsMatch(id);

    /// <summary>Names no account may take: "system" signs the requests' own deadlines in their history.</summary>
    public static readonly IReadOnlySet<string> ReservedUsernames = new HashSet<string>(["system"], StringComparer.Ordinal);

    /// <summary>Lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at least 2 long.</summary>
    public static bool IsValidUsername(string? username) => username is not null && UsernamePattern().IsMatch(username);

    /// <summary>Usernames are case-insensitive: this is the one spelling used as a key.</summary>
    public static string NormalizeUsername(string username) => username.Trim().ToLowerInvariant();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceIdPattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{1,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();
}
