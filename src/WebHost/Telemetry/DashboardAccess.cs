using System.Globalization;
using Dispatch.Silo.Hosting;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Primitives;
using Orleans.Dashboard;

namespace Dispatch.WebHost.Telemetry;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c>, for admins only.
/// </summary>
/// <remarks>
/// The dashboard is a browser page whose script calls its own JSON endpoints and cannot send a
/// bearer header. So, under <c>/dashboard</c> only, the admin's token is also accepted from an
/// <c>access_token</c> query parameter (as the console hub does) and from a cookie: the first
/// request, <c>/dashboard/?access_token=…</c>, is answered with a redirect to the same address
/// without the token, setting the token as an <c>HttpOnly</c>, <c>SameSite=Strict</c> cookie whose
/// path is <c>/dashboard</c> (<c>Secure</c> over HTTPS and outside Development) and which expires with the token. The cookie is
/// read nowhere else, every dashboard endpoint is a read (GET), and each request is checked
/// against the admin policy as usual, so the cookie grants nothing beyond the dashboard, for no
/// longer than the token. The dashboard's grain state view is turned off: it would show any
/// grain's stored state, password hashes and beneficiaries' contacts included.
/// </remarks>
public static partial class DashboardAccess
{
    public const string Path = "/dashboard";
    public const string CookieName = "dispatch_dashboard";
    public const string QueryParameter = "access_token";

    private const string QueryTokenItem = "Dispatch.Dashboard.QueryToken";

    /// <summary>Lets the JWT bearer handler take an admin's token from the query or the cookie, under <c>/dashboard</c> only.</summary>
    public static IServiceCollection AddDashboardAccess(this IServiceCollection services)
    {
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            options.Events ??= new JwtBearerEvents();
            var inner = options.Events.OnMessageReceived;
            options.Events.OnMessageReceived = async context =>
            {
                await inner(context);
                var request = context.Request;
                if (context.Token is not null
                    || !request.Path.StartsWithSegments(Path)
                    || !StringValues.IsNullOrEmpty(request.Headers.Authorization))
                {
                    return;
                }

                if (request.Query[QueryParameter] is [{ Length: > 0 } token])
                {
                    context.Token = token;
                    context.HttpContext.Items[QueryTokenItem] = token;
                }
                else if (request.Cookies[CookieName] is { Length: > 0 } cookie)
                {
                    context.Token = cookie;
                }
            };
        });
        return services;
    }

    /// <summary>
    /// Maps the dashboard for admins, when the dashboard is registered on this host's silo (or
    /// Orleans client) with <c>AddDashboard()</c>; without it, <c>/dashboard</c> is not mapped.
    /// </summary>
    public static WebApplication MapDispatchDashboard(this WebApplication app)
    {
        if (!app.Configuration.DashboardEnabled())
        {
            return app; // Turned off: /dashboard is simply not there.
        }

        RouteGroupBuilder dashboard;
        try
        {
            dashboard = app.MapOrleansDashboard(Path);
        }
        catch (InvalidOperationException exception)
        {
            LogDashboardNotRegistered(app.Logger, exception.Message);
            return app;
        }

        dashboard
            .RequireAuthorization(AuthenticationSetup.AdminPolicy)
            .ExcludeFromDescription()
            .AddEndpointFilter(Filter);
        return app;
    }

    /// <summary>
    /// The grain state view, however the address spells it: any case, a trailing or doubled slash,
    /// percent-encoded letters or slashes. Nothing else of the dashboard has it in its address.
    /// </summary>
    private static bool IsGrainState(PathString path) =>
        path.Value is { } value && Uri.UnescapeDataString(value).Contains("GrainState", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The dashboard's silo views (<c>/dashboard/Silo…/{address}</c>, <c>/dashboard/HistoricalStats/{address}</c>)
    /// parse the address without checking it and fail with a 500: the address, when it is not one, is checked here first.
    /// </summary>
    private static string? NotASiloAddress(PathString path)
    {
        var segments = path.Value?.Split('/', 3, StringSplitOptions.RemoveEmptyEntries);
        if (segments is not [_, var view, var address] || !(view.StartsWith("Silo", StringComparison.Ordinal) || view == "HistoricalStats"))
        {
            return null;
        }

        address = Uri.UnescapeDataString(address);
        try
        {
            _ = SiloAddress.FromParsableString(address);
            return null;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            return address;
        }
    }

    private static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (IsGrainState(http.Request.Path))
        {
            return Problems.Refusal(
                StatusCodes.Status403Forbidden, "grainStateHidden",
                "The dashboard's grain state view is turned off: it would show stored personal data.");
        }

        if (NotASiloAddress(http.Request.Path) is { } address)
        {
            return Problems.Invalid("address", $"'{address}' is not the address of a silo (such as 127.0.0.1:11111@1).");
        }

        // Signed in by the address: keep the token in the cookie and take it out of the address bar.
        if (http.Items.TryGetValue(QueryTokenItem, out var item) && item is string token)
        {
            http.Response.Cookies.Append(CookieName, token, new CookieOptions
            {
                HttpOnly = true,
                // Secure outside Development even over HTTP: behind a TLS proxy the request looks like plain HTTP.
                Secure = http.Request.IsHttps || !http.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment(),
                SameSite = SameSiteMode.Strict,
                Path = Path,
                Expires = ExpiryOf(http.User),
                IsEssential = true,
            });
            http.Response.Headers.CacheControl = "no-store";
            var path = string.Equals(http.Request.Path.Value, Path, StringComparison.OrdinalIgnoreCase) ? Path + "/" : http.Request.Path.Value;
            var rest = http.Request.Query
                .Where(q => !string.Equals(q.Key, QueryParameter, StringComparison.OrdinalIgnoreCase))
                .Select(q => new KeyValuePair<string, StringValues>(q.Key, q.Value));
            return Results.Redirect($"{http.Request.PathBase}{path}{QueryString.Create(rest)}");
        }

        return await next(context);
    }

    private static DateTimeOffset? ExpiryOf(System.Security.Claims.ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("exp")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Orleans dashboard is not registered on this host (AddDashboard on the silo or client builder), so /dashboard is not mapped: {Reason}")]
    private static partial void LogDashboardNotRegistered(ILogger logger, string reason);
}
