using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Dispatch.WebHost.Security;

/// <summary>
/// The <c>Dispatch:ForwardedHeaders</c> settings: the reverse proxies whose <c>X-Forwarded-For</c>
/// and <c>X-Forwarded-Proto</c> are believed, so that the per-address limits count clients, not the proxy.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "Dispatch:ForwardedHeaders";

    /// <summary>Addresses of the proxies in front of this host (<c>10.0.0.5</c>, <c>2001:db8::5</c>).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies, in CIDR notation (<c>10.0.0.0/24</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Configured => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    public IEnumerable<string> Problems()
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return $"{Section}:{nameof(KnownProxies)} must hold IP addresses such as 10.0.0.5; '{proxy}' is not one.";
        }

        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return $"{Section}:{nameof(KnownNetworks)} must hold networks such as 10.0.0.0/24; '{network}' is not one.";
        }
    }
}

public static class ForwardedHeadersSetup
{
    public static IHostApplicationBuilder AddDispatchForwardedHeaders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersSettings>().Bind(builder.Configuration.GetSection(ForwardedHeadersSettings.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>>(new ProblemsValidator<ForwardedHeadersSettings>(s => s.Problems()));
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            // Only the configured proxies, not ASP.NET Core's default of loopback.
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    /// <summary>First of all, so that HTTPS redirection, the limits and the logs see the client's address and scheme.</summary>
    public static WebApplication UseDispatchForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Configured)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
