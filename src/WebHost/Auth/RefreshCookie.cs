namespace Dispatch.WebHost.Auth;

/// <summary>
/// The refresh token kept where a page's script cannot read it: in an <c>HttpOnly; Secure;
/// SameSite=Strict</c> cookie sent back only to the token routes (<c>/api/auth/…</c>). A client
/// asks for it at sign-in (<c>refreshCookie: true</c>, the volunteer app does), then refreshes and
/// signs out with an empty body: the cookie is read, rotated at every refresh, and deleted when
/// refused or revoked. The JSON answers stay as they are, with <c>refreshToken</c> null.
/// </summary>
public static class RefreshCookie
{
    public const string Name = "dispatch_refresh";
    public const string Path = "/api/auth";

    public static string? Read(HttpContext context) =>
        context.Request.Cookies[Name] is { Length: > 0 and <= AuthApi.MaxRefreshToken } token ? token : null;

    /// <summary>
    /// Keeps the token in the cookie until it expires, and takes it out of the JSON answer. Always
    /// <c>Secure</c>: browsers accept a secure cookie from <c>http://localhost</c>, and behind a TLS
    /// proxy the request looks like plain HTTP.
    /// </summary>
    public static TokenResponse Keep(HttpContext context, TokenResponse tokens)
    {
        if (tokens.RefreshToken is not { } token)
        {
            return tokens;
        }

        context.Response.Cookies.Append(Name, token, Options(tokens.RefreshExpiresAt));
        return tokens with { RefreshToken = null };
    }

    public static void Delete(HttpContext context) => context.Response.Cookies.Delete(Name, Options(null));

    private static CookieOptions Options(DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Strict,
        Path = Path,
        Expires = expires,
        IsEssential = true,
    };
}
