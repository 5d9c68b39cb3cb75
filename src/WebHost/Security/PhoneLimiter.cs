using System.Globalization;
using System.Threading.RateLimiting;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dispatch.WebHost.Security;

/// <summary>
/// The limits per phone number of the anonymous forms: report-ins
/// (<see cref="RateLimitOptions.ApplicationsPerPhone"/>) and residents' filings
/// (<see cref="RateLimitOptions.IntakePerPhone"/>), on the same clock-driven buckets as the route
/// limits. The phone is in the body, which the rate-limiting middleware never reads, so the
/// handler asks once it has read it.
/// </summary>
public sealed class PhoneLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(string Limit, string Phone)> limiter;

    public PhoneLimiter(IOptions<RateLimitOptions> options, TimeProvider time) =>
        limiter = PartitionedRateLimiter.Create<(string Limit, string Phone), (string, string)>(key =>
            RateLimitPartition.Get(key, _ => new ClockTokenBucket(key.Limit, Settings(options.Value, key.Limit), time)));

    /// <summary>Null when one more report-in from <paramref name="phone"/> is allowed, else the 429 to answer.</summary>
    public ProblemHttpResult? RefuseApplication(string phone, HttpContext context) =>
        Refuse(DispatchRateLimits.ApplicationsPerPhone, phone, context, "Too many report-ins with this phone number; try again later.");

    /// <summary>Null when one more filing of a need from <paramref name="phone"/> is allowed, else the 429 to answer.</summary>
    public ProblemHttpResult? RefuseIntake(string phone, HttpContext context) =>
        Refuse(DispatchRateLimits.IntakePerPhone, phone, context, "Too many needs filed with this phone number; try again later.");

    public void Dispose() => limiter.Dispose();

    private static TokenBucketSettings Settings(RateLimitOptions options, string limit) => limit switch
    {
        DispatchRateLimits.ApplicationsPerPhone => options.ApplicationsPerPhone,
        DispatchRateLimits.IntakePerPhone => options.IntakePerPhone,
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, "Not a limit per phone number."),
    };

    private ProblemHttpResult? Refuse(string limit, string phone, HttpContext context, string detail)
    {
        using var lease = limiter.AttemptAcquire((limit, phone));
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        DispatchMetrics.Rejected(limit);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            detail,
            statusCode: StatusCodes.Status429TooManyRequests,
            title: Problems.Title(StatusCodes.Status429TooManyRequests),
            type: "https://tools.ietf.org/html/rfc6585#section-4",
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = "rateLimited",
                ["limit"] = limit,
                ["retryAfter"] = seconds,
            });
    }
}
