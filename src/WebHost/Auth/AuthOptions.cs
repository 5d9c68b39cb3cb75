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

    /// <summary>How long an access token is valid.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);
}
