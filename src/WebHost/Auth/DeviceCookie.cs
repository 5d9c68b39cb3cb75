using Dispatch.Accounts;

namespace Dispatch.WebHost.Auth;

/// <summary>
/// The device cookie: set at every successful sign-in, one per account on a device, sent back only
/// to <c>POST /api/auth/token</c>. It proves that this device signed in to the account before, so
/// that the account's lockout after wrong passwords (which anyone can cause) does not lock its
/// holder out here. It grants nothing by itself: the password is still required.
/// </summary>
public static class DeviceCookie
{
    public const string Path = "/api/auth/token";
    public const string Prefix = "dispatch_device_";

    /// <summary>One cookie per account (usernames are letters, digits, '.', '_' and '-': valid in a cookie name).</summary>
    public static string Name(string username) => Prefix + username;

    public static string? Read(HttpContext context, string username) =>
        context.Request.Cookies[Name(username)] is { Length: > 0 and <= AuthApi.MaxRefreshToken } token ? token : null;

    public static void Write(HttpContext context, string username, DeviceGrant device) =>
        context.Response.Cookies.Append(Name(username), device.Token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = Path,
            Expires = device.ExpiresAt,
            IsEssential = true,

            // Secure outside Development even over HTTP: behind a TLS proxy the request looks like plain HTTP.
            Secure = context.Request.IsHttps || !context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment(),
        });
}
