namespace Dispatch.Accounts;

/// <summary>
/// A refresh token reads <c>{username}:{secret}</c>, so that the token alone finds the account
/// that issued it; the secret is 256 random bits.
/// </summary>
public static class RefreshTokenFormat
{
    public const char Separator = ':';

    public static string Compose(string username, string secret) => username + Separator + secret;

    /// <summary>The username a token names, or null when it is not shaped like one of ours.</summary>
    public static string? Username(string? token)
    {
        if (token is not { Length: > 0 and <= 512 })
        {
            return null;
        }

        var separator = token.LastIndexOf(Separator);
        return separator > 0 && separator < token.Length - 1 ? token[..separator] : null;
    }
}
