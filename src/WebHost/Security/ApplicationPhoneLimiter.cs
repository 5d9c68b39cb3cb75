using System.Globalization;
using System.Threading.RateLimiting;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dispatch.WebHost.Security;

/// <summary>
/// Report-ins per phone number (<see cref="RateLimitOptions.ApplicationsPerPhone"/>), on the same
/// clock-driven buckets as the route limits. The phone is in the body, which the rate-limiting
/// middleware never reads, so the handler asks once it has read it.
/// </summary>
public sealed class ApplicationPhoneLimiter(IOptions<RateLimitOptions> options, TimeProvider time) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(phone =>
        RateLimitPartition.Get(phone, _ => new ClockTokenBucket(DispatchRateLimits.ApplicationsPerPhone, options.Value.ApplicationsPerPhone, time)));

    /// <summary>Null when one more application from <paramref name="phone"/> is allowed, else the 429 to answer.</summary>
    public ProblemHttpResult? Refuse(string phone, HttpContext context)
    {
        using var lease = limiter.AttemptAcquire(phone);
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        DispatchMetrics.Rejected(DispatchRateLimits.ApplicationsPerPhone);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            "Too many report-ins with this phone number; try again later.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: Problems.Title(StatusCodes.Status429TooManyRequests),
            type: "https://tools.ietf.org/html/rfc6585#section-4",
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = "rateLimited",
                ["limit"] = DispatchRateLimits.ApplicationsPerPhone,
                ["retryAfter"] = seconds,
            });
    }

    public void Dispose() => limiter.Dispose();
}
