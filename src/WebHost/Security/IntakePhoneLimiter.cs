using System.Globalization;
using System.Threading.RateLimiting;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Dispatch.WebHost.Security;

/// <summary>
/// Residents' filings per phone number (<see cref="RateLimitOptions.IntakePerPhone"/>), on the
/// clock-driven buckets of the route limits; the handler asks once it has read the phone from the body.
/// </summary>
public sealed class IntakePhoneLimiter(IOptions<RateLimitOptions> options, TimeProvider time) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(phone =>
        RateLimitPartition.Get(phone, _ => new ClockTokenBucket(DispatchRateLimits.IntakePerPhone, options.Value.IntakePerPhone, time)));

    /// <summary>Null when one more filing from <paramref name="phone"/> is allowed, else the 429 to answer.</summary>
    public ProblemHttpResult? Refuse(string phone, HttpContext context)
    {
        using var lease = limiter.AttemptAcquire(phone);
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        DispatchMetrics.Rejected(DispatchRateLimits.IntakePerPhone);
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            "Too many needs filed with this phone number; try again later.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: Problems.Title(StatusCodes.Status429TooManyRequests),
            type: "https://tools.ietf.org/html/rfc6585#section-4",
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = "rateLimited",
                ["limit"] = DispatchRateLimits.IntakePerPhone,
                ["retryAfter"] = seconds,
            });
    }

    public void Dispose() => limiter.Dispose();
}
