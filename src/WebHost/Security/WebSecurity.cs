using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Telemetry;
using Microsoft.Extensions.Options;

namespace Dispatch.WebHost.Security;

/// <summary>
/// Security headers (a Content-Security-Policy the consoles run under, nosniff, no referrer, no
/// framing), CORS from configuration, and HTTPS redirection with HSTS outside Development.
/// </summary>
public static class WebSecurity
{
    private const string DashboardPolicy = "dashboard";

    public static IHostApplicationBuilder AddDispatchWebSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CorsSettings>().Bind(builder.Configuration.GetSection(CorsSettings.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CorsSettings>>(new ProblemsValidator<CorsSettings>(s => s.Problems()));
        builder.Services.AddOptions<HttpsSettings>().Bind(builder.Configuration.GetSection(HttpsSettings.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HttpsSettings>>(new ProblemsValidator<HttpsSettings>(s => s.Problems()));

        // One policy, the configured origins only: with none, no answer carries Access-Control-Allow-Origin.
        // No credentials: the API takes bearer tokens, and the one cookie (the dashboard's) is SameSite=Strict.
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<CorsSettings>>((options, settings) => options.AddDefaultPolicy(policy => policy
                .WithOrigins(settings.Value.Origins)
                .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete)
                .WithHeaders("Authorization", "Content-Type", IdempotencyMiddleware.Header, "X-Requested-With", "X-SignalR-User-Agent")
                .WithExposedHeaders("Retry-After", "Location", IdempotencyMiddleware.ReplayedHeader)));

        builder.Services.AddHsts(_ => { });
        builder.Services.AddOptions<Microsoft.AspNetCore.HttpsPolicy.HstsOptions>().Configure<IOptions<HttpsSettings>>((options, settings) =>
        {
            options.MaxAge = settings.Value.HstsMaxAge;
            options.IncludeSubDomains = false; // Dispatch cannot speak for other sites on its domain.
        });

        builder.Services.AddSecurityHeaderPolicies(policies => policies
            .SetDefaultPolicy(Pages)
            .AddPolicy(DashboardPolicy, Dashboard)
            .SetPolicySelector(context => context.HttpContext.Request.Path.StartsWithSegments(DashboardAccess.Path)
                ? context.ConfiguredPolicies[DashboardPolicy]
                : context.SelectedPolicy));
        return builder;
    }

    /// <summary>First in the pipeline, so that every answer (errors and 429s included) carries the headers.</summary>
    public static WebApplication UseDispatchSecurityHeaders(this WebApplication app)
    {
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            var https = app.Services.GetRequiredService<IOptions<HttpsSettings>>().Value;
            if (https.HstsMaxAge > TimeSpan.Zero)
            {
                app.UseHsts(); // HTTPS answers only, and never for localhost.
            }

            if (https.Redirect)
            {
                app.UseHttpsRedirection();
            }
        }

        return app;
    }

    /// <summary>Before authentication, so that a preflight is answered without a token.</summary>
    public static WebApplication UseDispatchCors(this WebApplication app)
    {
        app.UseCors();
        return app;
    }

    /// <summary>
    /// The consoles, the API and everything else: the pages load their own scripts, styles and
    /// SignalR connection and nothing else; no inline script or style, no eval, no framing.
    /// </summary>
    private static void Pages(HeaderPolicyCollection policy) => Common(policy).AddContentSecurityPolicy(csp =>
    {
        csp.AddDefaultSrc().Self();
        csp.AddScriptSrc().Self();
        csp.AddStyleSrc().Self();
        csp.AddImgSrc().Self().Data();
        csp.AddFontSrc().Self();
        csp.AddConnectSrc().Self(); // 'self' covers the hub's ws:/wss: on the same host.
        csp.AddWorkerSrc().Self(); // the volunteer app's service worker (/app/sw.js)
        csp.AddManifestSrc().Self(); // and its web app manifest
        csp.AddObjectSrc().None();
        csp.AddBaseUri().None();
        csp.AddFormAction().Self();
        csp.AddFrameAncestors().None();
    });

    /// <summary>
    /// The Orleans dashboard (a bundled React page, served by the package): its own scripts,
    /// fonts and JSON, but inline styles (its page and its charts set style attributes).
    /// </summary>
    private static void Dashboard(HeaderPolicyCollection policy) => Common(policy).AddContentSecurityPolicy(csp =>
    {
        csp.AddDefaultSrc().Self();
        csp.AddScriptSrc().Self();
        csp.AddStyleSrc().Self().UnsafeInline();
        csp.AddImgSrc().Self().Data();
        csp.AddFontSrc().Self().Data();
        csp.AddConnectSrc().Self();
        csp.AddObjectSrc().None();
        csp.AddBaseUri().Self();
        csp.AddFormAction().Self();
        csp.AddFrameAncestors().None();
    });

    // No referrer: the dashboard's first address carries a token in its query.
    private static HeaderPolicyCollection Common(HeaderPolicyCollection policy) => policy
        .AddContentTypeOptionsNoSniff()
        .AddReferrerPolicyNoReferrer()
        .AddFrameOptionsDeny()
        .AddCrossOriginOpenerPolicy(coop => coop.SameOrigin());
}
