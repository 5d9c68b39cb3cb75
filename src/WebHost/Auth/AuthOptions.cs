namespace Dispatch.WebHost.Auth;

/// <summary>Configuration section <c>Dispatch:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Dispatch:Auth";
    public const string Issuer = "dispatch";
    public const string Audience = "dispatch";

    /// <summary>
    /// HMAC key for signing tokens (at least 32 bytes of text). When empty, a random key is
    /// generated once and kept in the data folder, so tokens survive restarts.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// The key before the last rotation: tokens it signed are still accepted (never issued), so that
    /// a rotation signs nobody out. Remove it once <see cref="TokenLifetime"/> has passed.
    /// </summary>
    public string? PreviousSigningKey { get; set; }

    /// <summary>
    /// How long an access token is valid. Short, because a disabled account, a new password or a
    /// new role stops an access token only when it expires (refresh tokens stop at once).
    /// </summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
