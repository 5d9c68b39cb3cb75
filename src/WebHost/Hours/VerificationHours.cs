using Dispatch.Common;
using Dispatch.Hours;
using Dispatch.Requests;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Hours;

/// <summary>
/// The service hours a verifier confirms with an approval (<c>minutes</c> on the verify body):
/// checked before the verification so that a refusal changes nothing, recorded for each claimant
/// once it is stored, under the same key as <c>POST /api/requests/{id}/hours</c> so that either
/// door records a request's hours once.
/// </summary>
public static partial class VerificationHours
{
    /// <summary>
    /// Refuses <paramref name="minutes"/> when they exceed the longest a claimant of the completed
    /// request can have served (from their claim to now); other refusals are the verification's own.
    /// </summary>
    public static async Task<ValidationProblem?> Refusal(Guid id, int minutes, CallContext call, TimeProvider time)
    {
        if (await call.Scope.Request(call.Caller, id) is not { Value.View: { Status: RequestStatus.Completed, Claims.Length: > 0 } request })
        {
            return null;
        }

        var now = time.GetUtcNow();
        var longest = request.Claims.Max(c => Span(c.At, now));
        return minutes > longest
            ? Problems.Invalid("minutes", $"'minutes' must be at most {longest}: the time from the first claim to now.")
            : null;
    }

    /// <summary>Records the confirmed minutes for each claimant of an approved verification (each at most their own span).</summary>
    public static async Task Record(
        Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult> verified, int minutes, CallContext call, ILogger logger)
    {
        if (verified.Result is not Ok<RequestView> { Value: { Status: RequestStatus.Verified, Verification: { Approved: true } verification } request })
        {
            return;
        }

        foreach (var claim in request.Claims)
        {
            var span = Span(claim.At, verification.At);
            var credit = new HoursCredit($"request:{request.Id}", HoursSource.Request, request.Id, request.Title, request.CommunityId,
                claim.At, Math.Min(minutes, span), span, call.Caller.Username);
            var credited = await call.Grains.GetGrain<IHoursGrain>(HoursKeys.For(claim.Volunteer)).Credit(credit);
            if (credited.Failure is { } failure)
            {
                // The verification stands; the hours can still be confirmed through POST /api/requests/{id}/hours.
                LogNotRecorded(logger, request.Id, claim.Volunteer, failure.Code);
            }
        }
    }

    /// <summary>Whole minutes from a claim to an instant, at least one.</summary>
    private static int Span(DateTimeOffset from, DateTimeOffset to) => (int)Math.Max(Math.Floor((to - from).TotalMinutes), 1);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hours confirmed at the verification of {RequestId} were not recorded for {Volunteer}: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, Guid requestId, string volunteer, string reason);
}
