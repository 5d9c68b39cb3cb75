using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Dispatch.WebHost.Residents;

/// <summary>
/// A resident's tracking code: 16 random bytes (128 bits) in base64url, 22 characters, safe in a
/// URL and a QR code. It is the resident's only credential, so it is drawn, never derived.
/// </summary>
public static partial class TrackingCodes
{
    public const int Length = 22;

    public static string New() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));

    /// <summary>True for a string shaped like a code; anything else is not looked up at all.</summary>
    public static bool IsWellFormed(string? code) => code is not null && CodePattern().IsMatch(code);

    [GeneratedRegex("^[A-Za-z0-9_-]{22}$")]
    private static partial Regex CodePattern();
}
