namespace Dispatch.WebHost.Security;

/// <summary>The <c>Dispatch:Cors</c> settings: which other sites' pages may call the API from a browser.</summary>
public sealed class CorsSettings
{
    public const string Section = "Dispatch:Cors";

    /// <summary>
    /// Exact origins (<c>https://volunteers.example.org</c>: scheme, host, port if not the default).
    /// Empty, the default: no cross-origin access, as the consoles are served by Dispatch itself. No wildcard.
    /// </summary>
    public string[] Origins { get; set; } = [];

    public IEnumerable<string> Problems()
    {
        foreach (var origin in Origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || uri.Scheme is not ("http" or "https")
                || origin.Contains('*', StringComparison.Ordinal)
                || uri.PathAndQuery != "/"
                || origin.EndsWith('/')
                || !string.IsNullOrEmpty(uri.UserInfo))
            {
                yield return $"{Section}:{nameof(Origins)} must hold exact origins such as https://volunteers.example.org (no wildcard, path or trailing slash); '{origin}' is not one.";
            }
        }
    }
}

/// <summary>The <c>Dispatch:Https</c> settings, in force outside the Development environment only.</summary>
public sealed class HttpsSettings
{
    public const string Section = "Dispatch:Https";

    /// <summary>
    /// Redirect plain HTTP to HTTPS. It acts only where the host knows an HTTPS port (an https://
    /// URL in <c>urls</c>/Kestrel endpoints, or <c>https_port</c>); a host serving plain HTTP alone answers as it is.
    /// </summary>
    public bool Redirect { get; set; } = true;

    /// <summary><c>Strict-Transport-Security</c>'s max-age on HTTPS answers; zero sends none.</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    public IEnumerable<string> Problems()
    {
        if (HstsMaxAge < TimeSpan.Zero || HstsMaxAge > TimeSpan.FromDays(730))
        {
            yield return $"{Section}:{nameof(HstsMaxAge)} must be between 0 and 730 days.";
        }
    }
}
