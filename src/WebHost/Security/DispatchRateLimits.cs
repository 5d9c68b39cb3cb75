using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Open311;
using Dispatch.WebHost.Telemetry;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Dispatch.WebHost.Security;

/// <summary>
/// The abuse limits, on ASP.NET Core's rate limiter: the token route per address, claim attempts
/// per volunteer, and a global concurrency limit. A refusal is a 429 with <c>Retry-After</c> and a
/// problem body naming the limit, counted in <c>dispatch.limits.rejected</c>.
/// </summary>
public static partial class DispatchRateLimits
{
    /// <summary>The limit names: the <c>limit</c> of a 429's body and the tag of its counter.</summary>
    public const string TokenPerAddress = DispatchMetrics.Limits.TokenPerAddress;

    public const string ClaimsPerVolunteer = DispatchMetrics.Limits.ClaimsPerVolunteer;

    public const string Concurrency = DispatchMetrics.Limits.Concurrency;

    public const string Open311ReadsPerAddress = DispatchMetrics.Limits.Open311ReadsPerAddress;

    public const string ApplicationsPerAddress = DispatchMetrics.Limits.ApplicationsPerAddress;

    public const string DirectoryReadsPerAddress = DispatchMetrics.Limits.DirectoryReadsPerAddress;

    /// <summary>Not a policy: the phone is in the body, so <see cref="PhoneLimiter"/> asks from the handler.</summary>
    public const string ApplicationsPerPhone = DispatchMetrics.Limits.ApplicationsPerPhone;

    /// <summary>Residents' filings (<c>POST /api/intake</c>) per address.</summary>
    public const string IntakePerAddress = DispatchMetrics.Limits.IntakePerAddress;

    /// <summary>Not a policy: the phone is in the body, so <see cref="PhoneLimiter"/> asks from the handler.</summary>
    public const string IntakePerPhone = DispatchMetrics.Limits.IntakePerPhone;

    /// <summary>Residents' anonymous reads (the form, the tracking page) per address.</summary>
    public const string ResidentReadsPerAddress = DispatchMetrics.Limits.ResidentReadsPerAddress;

    /// <summary>Which of our limits refused a lease (the concurrency limiter's leases carry none).</summary>
    internal static readonly MetadataName<string> LimitMetadata = MetadataName.Create<string>("DISPATCH_LIMIT");

    /// <summary>Long-lived connections, probes, scrapes and the pages hold no permit of the global limit.</summary>
    private static readonly PathString[] Unlimited =
        ["/hubs", "/health", TelemetryHostingExtensions.MetricsPath, DashboardAccess.Path, "/console", "/app", "/r"];

    public static IHostApplicationBuilder AddDispatchRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<RateLimitOptions>()
            .Bind(builder.Configuration.GetSection(RateLimitOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RateLimitOptions>>(new ProblemsValidator<RateLimitOptions>(o => o.Problems()));

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddSingleton<PhoneLimiter>();
        builder.Services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<RateLimitOptions>, TimeProvider, ILoggerFactory>((options, configured, time, loggers) =>
            {
                var limits = configured.Value;
                var logger = loggers.CreateLogger(typeof(DispatchRateLimits).FullName!);
                options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;

                options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    IsUnlimited(context.Request.Path)
                        ? RateLimitPartition.GetNoLimiter(string.Empty)
                        : RateLimitPartition.GetConcurrencyLimiter(Concurrency, _ => new ConcurrencyLimiterOptions
                        {
                            PermitLimit = limits.Concurrency.PermitLimit,
                            QueueLimit = limits.Concurrency.QueueLimit,
                            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                        }));

                options.AddPolicy(TokenPerAddress, context =>
                    RateLimitPartition.Get(AddressKey(context.Connection.RemoteIpAddress), _ =>
                        new ClockTokenBucket(TokenPerAddress, limits.TokenPerAddress, time)));

                options.AddPolicy(Open311ReadsPerAddress, context =>
                    RateLimitPartition.Get(AddressKey(context.Connection.RemoteIpAddress), _ =>
                        new ClockTokenBucket(Open311ReadsPerAddress, limits.Open311ReadsPerAddress, time)));

                options.AddPolicy(ApplicationsPerAddress, context =>
                    RateLimitPartition.Get(AddressKey(context.Connection.RemoteIpAddress), _ =>
                        new ClockTokenBucket(ApplicationsPerAddress, limits.ApplicationsPerAddress, time)));

                options.AddPolicy(IntakePerAddress, context =>
                    RateLimitPartition.Get(AddressKey(context.Connection.RemoteIpAddress), _ =>
                        new ClockTokenBucket(IntakePerAddress, limits.IntakePerAddress, time)));

                options.AddPolicy(ResidentReadsPerAddress, context =>
                    RateLimitPartition.Get(AddressKey(context.Connection.RemoteIpAddress), _ =>
                        new ClockTokenBucket(ResidentReadsPerAddress, limits.ResidentReadsPerAddress, time)));

                options.AddPolicy(DirectoryReadsPerAddress, context =>
                    RateLimitPartition.Get(AddressKey(context.Connection.RemoteIpAddress), _ =>
                        new ClockTokenBucket(DirectoryReadsPerAddress, limits.DirectoryReadsPerAddress, time)));

                // Claim routes require a volunteer's token, and authorization runs before the limiter: there is a subject.
                options.AddPolicy(ClaimsPerVolunteer, context =>
                    RateLimitPartition.Get(context.User.FindFirst(DispatchClaims.Subject)?.Value ?? string.Empty, _ =>
                        new ClockTokenBucket(ClaimsPerVolunteer, limits.ClaimsPerVolunteer, time)));

                options.OnRejected = (rejection, _) =>
                    Refuse(rejection.HttpContext, rejection.Lease, limits, logger);
            });
        return builder;
    }

    /// <summary>After authorization (the claim limit needs the volunteer), before anything that does work.</summary>
    public static WebApplication UseDispatchRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    internal static bool IsUnlimited(PathString path) => Unlimited.Any(path.StartsWithSegments);

    /// <summary>
    /// The partition of a client address: IPv4 as it is, IPv6 by its /64 (one household or
    /// phone gets a whole /64 to pick addresses from). Without one (an in-process test host), one shared partition.
    /// </summary>
    internal static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }

    private static async ValueTask Refuse(HttpContext context, RateLimitLease lease, RateLimitOptions limits, ILogger logger)
    {
        var limit = lease.TryGetMetadata(LimitMetadata, out var name) && name is not null ? name : Concurrency;
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limits.Concurrency.RetryAfter;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

        DispatchMetrics.Rejected(limit);
        LogRejected(logger, limit, context.Request.Method, (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(none)", seconds);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var who = limit == ClaimsPerVolunteer ? context.User.FindFirst(DispatchClaims.Subject)?.Value : AddressKey(context.Connection.RemoteIpAddress);
            LogRejectedPartition(logger, limit, who ?? "unknown");
        }

        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = limit switch
        {
            TokenPerAddress => "Too many sign-in attempts from your address; try again later.",
            ClaimsPerVolunteer => "Too many claim attempts; wait a moment and try again.",
            Open311ReadsPerAddress => $"Too many Open311 reads from your address; try again in {seconds} s.",
            ApplicationsPerAddress => "Too many report-ins from your address; try again later.",
            IntakePerAddress => "Too many needs filed from your address; try again later.",
            ResidentReadsPerAddress => $"Too many requests from your address; try again in {seconds} s.",
            DirectoryReadsPerAddress => $"Too many reads of the place directory from your address; try again in {seconds} s.",
            _ => "The server is busy; try again shortly.",
        };

        // GeoReport clients get GeoReport's error list, in the format they asked for.
        if (context.Request.Path.StartsWithSegments(Open311Api.Prefix))
        {
            await Open311Response.Error(Open311Api.FormatOf(context.Request.Path), StatusCodes.Status429TooManyRequests, detail).ExecuteAsync(context);
            return;
        }

        await TypedResults.Problem(
                detail,
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many requests.",
                type: "https://tools.ietf.org/html/rfc6585#section-4", // ASP.NET Core has no default type for 429.
                extensions: new Dictionary<string, object?>
                {
                    ["reason"] = "rateLimited",
                    ["limit"] = limit,
                    ["retryAfter"] = seconds,
                })
            .ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Route} by the {Limit} limit; retry after {RetryAfterSeconds} s")]
    private static partial void LogRejected(ILogger logger, string limit, string method, string route, int retryAfterSeconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The {Limit} limit refused partition {Partition}")]
    private static partial void LogRejectedPartition(ILogger logger, string limit, string partition);
}
