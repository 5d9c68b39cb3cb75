using System.Text.Json;
using System.Text.Json.Serialization;
using Dispatch.Silo.Hosting;
using Dispatch.Silo.QueryStore;
using Dispatch.WebHost.Accounts;
using Dispatch.WebHost.Activities;
using Dispatch.WebHost.Applications;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Backups;
using Dispatch.WebHost.Consoles;
using Dispatch.WebHost.Health;
using Dispatch.WebHost.Honours;
using Dispatch.WebHost.Hours;
using Dispatch.WebHost.Inbox;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Notifications;
using Dispatch.WebHost.Open311;
using Dispatch.WebHost.Organisations;
using Dispatch.WebHost.Menu;
using Dispatch.WebHost.Places;
using Dispatch.WebHost.Points;
using Dispatch.WebHost.Policies;
using Dispatch.WebHost.Requests;
using Dispatch.WebHost.Sheets;
using Dispatch.WebHost.Residents;
using Dispatch.WebHost.Posts;
using Dispatch.WebHost.Schemes;
using Dispatch.WebHost.Security;
using Dispatch.WebHost.Shop;
using Dispatch.WebHost.Statistics;
using Dispatch.WebHost.Telemetry;
using Dispatch.WebHost.UnitReports;
using Dispatch.WebHost.SavedViews;
using Dispatch.WebHost.Suggestions;
using Dispatch.WebHost.Volunteers;

namespace Dispatch.WebHost;

public static class WebApiHostingExtensions
{
    /// <summary>JSON, problem details, authentication, OpenAPI and health checks for the Dispatch API.</summary>
    public static IHostApplicationBuilder AddDispatchWebApi(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        });

        // A body or parameter that cannot be read throws, so that it reaches the handler that names the field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier));
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();

        // Residents' contacts and secrets are erased from logs here too in client mode, where no silo runs.
        builder.AddDispatchRedaction();
        builder.AddDispatchAuthentication();
        builder.AddDispatchRateLimits();
        builder.AddDispatchResidents();
        builder.AddDispatchWebSecurity();
        builder.AddDispatchForwardedHeaders();
        builder.Services.AddSingleton<PlaceLookup>();
        builder.Services.AddDispatchRequestQueries();
        builder.Services.AddSingleton<ScopeGuard>();
        builder.Services.AddSingleton<AccountRegistration>();
        builder.Services.AddSingleton<ApplicationAdmission>();
        builder.Services.AddSingleton<ClaimCoalescer>();
        builder.Services.AddHostedService<AdminBootstrapper>();
        builder.Services.AddOpenApi();

        // Live consoles: the hub, and this host's end of the place feeds.
        builder.Services.AddSignalR().AddJsonProtocol(options =>
            options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        builder.Services.AddConsoleFanout();
        builder.Services.AddSingleton<InboxFanout>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<InboxFanout>());

        builder.Services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"])
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"])
            .AddCheck<QueryStoreHealthCheck>("queryStore", tags: ["ready"]);

        // Metrics, traces, logs by OTLP, /metrics, the membership check and the admins' dashboard.
        builder.AddDispatchTelemetry();
        return builder;
    }

    public static WebApplication UseDispatchWebApi(this WebApplication app)
    {
        app.UseDispatchForwardedHeaders();
        app.UseDispatchSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStaticFiles();

        // Empty 401/403/404/405 answers (no token, wrong role, unknown route) get problem details bodies too,
        // whatever the client's Accept header asks for.
        app.UseStatusCodePages(ProblemWriting.WriteStatusCodeProblem);
        app.UseDispatchCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<PasswordChangeGate>();
        app.UseDispatchRateLimits();
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }

    public static WebApplication MapDispatchEndpoints(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapDispatchTelemetry();

        // A console whose token expires is disconnected; it signs in again and resumes.
        app.MapHub<ConsoleHub>(ConsoleHub.Path, options => options.CloseOnAuthenticationExpiration = true);

        // The staff desk and the volunteer app (both built from ClientApp into wwwroot/ui; their routes
        // live under /console and /app, so every path there answers its page): pages over the API and the hub.
        app.MapGet("/console", (IWebHostEnvironment environment) => BuiltPage(environment, "console")).ExcludeFromDescription();
        app.MapGet("/console/{**path}", (IWebHostEnvironment environment) => BuiltPage(environment, "console")).ExcludeFromDescription();
        app.MapGet("/app", (IWebHostEnvironment environment) => BuiltPage(environment, "app")).ExcludeFromDescription();
        app.MapGet("/app/{**path}", (IWebHostEnvironment environment) => BuiltPage(environment, "app")).ExcludeFromDescription();
        // The app's service worker is served from /app/ (not /ui/) so that its scope can be /app/; never
        // cached by HTTP, so that a new build's worker is picked up on the next visit. Its scope is
        // widened to /app (allowed by the header) so that the address without the slash opens offline too.
        app.MapGet("/app/sw.js", (IWebHostEnvironment environment, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["Service-Worker-Allowed"] = "/app";
            return Results.File(Path.Combine(environment.WebRootPath, "ui", "app", "sw.js"), "text/javascript; charset=utf-8");
        }).ExcludeFromDescription();
        app.MapGet("/r/{**path}", (IWebHostEnvironment environment) => BuiltPage(environment, "resident")).ExcludeFromDescription();

        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapAuthApi()
            .MapPlacesApi()
            .MapPlaceTreeApi()
            .MapPlaceRequestsApi()
            .MapAccountsApi()
            .MapRequestsApi()
            .MapActivitiesApi()
            .MapHoursApi()
            .MapBatchApi()
            .MapSheetsApi()
            .MapVolunteerSheetsApi()
            .MapDispatchApi()
            .MapCommunitiesApi()
            .MapVolunteersApi()
            .MapPoliciesApi()
            .MapOrganisationsApi()
            .MapPointsApi()
            .MapSchemesApi()
            .MapPostsApi()
            .MapMenuApi()
            .MapHonoursApi()
            .MapShopApi()
            .MapStatisticsApi()
            .MapUnitReportsApi()
            .MapChannelsApi()
            .MapDeliveriesApi()
            .MapSavedViewsApi();
        api.MapBackupApi();
        app.MapApplicationsApi();
        app.MapUnitReportApi();
        app.MapResidentsApi();
        app.MapSuggestionsApi();
        app.MapInboxApi();
        app.MapCertificateCheck();
        app.MapOpen311Api(api);
        return app;
    }

    private static IResult BuiltPage(IWebHostEnvironment environment, string name) =>
        Results.File(Path.Combine(environment.WebRootPath, "ui", name + ".html"), "text/html; charset=utf-8");
}
