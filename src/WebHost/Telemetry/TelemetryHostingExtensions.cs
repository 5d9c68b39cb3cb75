using Dispatch.WebHost.Health;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Dispatch.WebHost.Telemetry;

/// <summary>
/// OpenTelemetry for the web host and its co-hosted silo: metrics of ASP.NET Core, the .NET
/// runtime, Orleans (<c>Microsoft.Orleans</c>) and Dispatch (<see cref="DispatchMetrics"/>),
/// scrapeable at <c>/metrics</c>; and, when an OTLP endpoint is configured, metrics, traces
/// (ASP.NET Core, Orleans' activity sources) and logs exported by OTLP.
/// </summary>
public static class TelemetryHostingExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>Orleans' meter (grains, messaging, storage, membership, reminders…).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// Orleans' activity sources: grain calls made by application code and by the runtime (both
    /// need the silo's <c>AddActivityPropagation()</c>), and storage reads and writes.
    /// </summary>
    public static readonly string[] OrleansActivitySources =
        ["Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Storage"];

    public static IHostApplicationBuilder AddDispatchTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (options.OtlpEndpoint is { } configured && !(configured.IsAbsoluteUri && configured.Scheme is "http" or "https"))
        {
            throw new InvalidOperationException(
                $"{TelemetryOptions.Section}:OtlpEndpoint must be an absolute http:// or https:// address, such as http://localhost:4317.");
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddMembershipHealthCheck();
        builder.Services.AddDashboardAccess();

        var otlp = options.OtlpEndpoint is not null
            || !string.IsNullOrWhiteSpace(builder.Configuration[TelemetryOptions.StandardEndpointVariable]);
        if (!otlp && !options.Prometheus)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                serviceName: builder.Configuration["OTEL_SERVICE_NAME"] ?? "dispatch",
                serviceVersion: typeof(TelemetryHostingExtensions).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(OrleansMeter, DispatchMetrics.MeterName);
                if (options.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });

        // Traces and logs only go somewhere by OTLP: without it, nothing is sampled or kept.
        if (otlp)
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbeOrScrape(context.Request.Path))
                    .AddSource(OrleansActivitySources))
                .WithLogging(configureBuilder: null, configureOptions: logging =>
                {
                    logging.IncludeFormattedMessage = true;
                    logging.IncludeScopes = true;
                });

            // Dispatch:Telemetry:OtlpEndpoint wins; otherwise the standard OTEL_EXPORTER_OTLP_* variables are read.
            if (options.OtlpEndpoint is { } endpoint)
            {
                telemetry.UseOtlpExporter(options.OtlpProtocol, endpoint);
            }
            else
            {
                telemetry.UseOtlpExporter();
            }
        }

        return builder;
    }

    /// <summary>Maps <c>/metrics</c> (unless <c>Dispatch:Telemetry:Prometheus</c> is false) and the admins' dashboard.</summary>
    public static WebApplication MapDispatchTelemetry(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TelemetryOptions>().Prometheus)
        {
            // Anonymous, for scrapers: it carries counts by outcome, reason, level and route, no personal data.
            app.MapPrometheusScrapingEndpoint(MetricsPath).ExcludeFromDescription();
        }

        app.MapDispatchDashboard();
        return app;
    }

    private static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");
}
