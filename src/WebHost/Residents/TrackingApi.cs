using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Intake;
using Dispatch.Requests;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Residents;

/// <summary>The resident's one-tap answer to "is it done?".</summary>
public sealed record ConfirmDoneBody(bool? Done);

/// <summary>The resident's rating (群众评议) with an optional comment.</summary>
public sealed record ResidentRatingBody(ResidentRating? Rating, string? Comment);

/// <summary>Where a resident follows a need with its tracking code (anonymous: the code is the credential).</summary>
public static class TrackingApi
{
    /// <summary>The resident's page for a code.</summary>
    public static string PagePath(string code) => "/r/track/" + code;

    /// <summary>The API's answer for a code.</summary>
    public static string ApiPath(string code) => "/api/track/" + code;

    public static IEndpointRouteBuilder MapTrackingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/track").WithTags("Residents");
        group.MapGet("/{code}", Track).AllowAnonymous().RequireRateLimiting(DispatchRateLimits.ResidentReadsPerAddress)
            .WithSummary("Follow a need with its tracking code (anonymous): the status, the deadline, who is responsible (a name, never a phone), the check-in code to give the volunteer once claimed, or why it was declined.");
        group.MapPost("/{code}/confirm", Confirm).AllowAnonymous().RequireRateLimiting(DispatchRateLimits.ResidentReadsPerAddress)
            .WithSummary("The resident answers \"is it done?\" once their request is completed or verified (anonymous, with the tracking code), once; \"not done\" sends it back to staff for review.");
        group.MapPost("/{code}/rating", Rate).AllowAnonymous().RequireRateLimiting(DispatchRateLimits.ResidentReadsPerAddress)
            .WithSummary("The resident rates the work after confirming (anonymous, with the tracking code), once: satisfied, basicallySatisfied or unsatisfied, with a comment; unsatisfied sends it back to staff for review.");
        return app;
    }

    private static async Task<Results<Ok<TrackingView>, ProblemHttpResult>> Track(string code, [AsParameters] CallContext call)
    {
        // What a code shows is for its holder only: no cache keeps it.
        call.Http.Response.Headers.CacheControl = "no-store";
        var view = await ViewOf(code, call.Grains);
        return view is null ? Problems.NotFound("Tracking code", "…") : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<TrackingView>, ValidationProblem, ProblemHttpResult>> Confirm(string code, ConfirmDoneBody body, [AsParameters] CallContext call)
    {
        if (body.Done is not { } done)
        {
            return Problems.Invalid("done", "'done' is required: true when the work is done, false when it is not.");
        }

        return await Answer(code, call, request => request.ConfirmByResident(done));
    }

    private static async Task<Results<Ok<TrackingView>, ValidationProblem, ProblemHttpResult>> Rate(string code, ResidentRatingBody body, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors()
            .Require(body.Rating is { } given && Enum.IsDefined(given), "rating", "'rating' must be satisfied, basicallySatisfied or unsatisfied.")
            .RequireText(body.Comment, "comment", ResidentFeedbackLimits.MaxComment, required: false);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        return await Answer(code, call, request => request.RateByResident(body.Rating!.Value, body.Comment));
    }

    /// <summary>Passes the resident's answer to the request their code leads to, and answers with what the code shows now.</summary>
    private static async Task<Results<Ok<TrackingView>, ValidationProblem, ProblemHttpResult>> Answer(
        string code, CallContext call, Func<IRequestGrain, Task<Outcome<RequestView>>> answer)
    {
        call.Http.Response.Headers.CacheControl = "no-store";
        var target = await OwnRequest(code, call.Grains);
        if (target is null)
        {
            return Problems.NotFound("Tracking code", "…");
        }

        if (target.Value is not { } requestId)
        {
            return Problems.From(Failure.Conflict("notCompleted", "There is nothing to confirm yet: staff have not taken this up as a request of your own."));
        }

        var outcome = await answer(call.Grains.GetGrain<IRequestGrain>(requestId));
        if (outcome.Failure is { } failure)
        {
            return Problems.From(failure);
        }

        return await ViewOf(code, call.Grains) is { } view ? TypedResults.Ok(view) : Problems.NotFound("Tracking code", "…");
    }

    /// <summary>
    /// The request a code's holder may answer for: the one their filing was accepted as, or the one
    /// it names directly (Open311). Null for no such code; a target without a request when the code
    /// leads to no request of their own (waiting, declined, or merged into someone else's).
    /// </summary>
    private static async Task<AnswerTarget?> OwnRequest(string code, IGrainFactory grains)
    {
        if (!TrackingCodes.IsWellFormed(code) || await grains.GetGrain<ITrackingGrain>(IntakeKeys.Tracking(code)).Get() is not { } link)
        {
            return null;
        }

        if (link.IntakeId is not { } intakeId)
        {
            return new AnswerTarget(link.RequestId);
        }

        return await grains.GetGrain<IIntakeGrain>(IntakeKeys.Intake(intakeId)).Get() is { } item
            ? new AnswerTarget(item.Status == IntakeStatus.Accepted ? item.RequestId : null)
            : null;
    }

    private sealed record AnswerTarget(Guid? Value);

    /// <summary>The view a code leads to, or null for no such code (a malformed one is not even looked up).</summary>
    internal static async Task<TrackingView?> ViewOf(string code, IGrainFactory grains)
    {
        if (!TrackingCodes.IsWellFormed(code) || await grains.GetGrain<ITrackingGrain>(IntakeKeys.Tracking(code)).Get() is not { } link)
        {
            return null;
        }

        if (link.IntakeId is { } intakeId)
        {
            if (await grains.GetGrain<IIntakeGrain>(IntakeKeys.Intake(intakeId)).Get() is not { } item)
            {
                return null;
            }

            var request = item.RequestId is { } id ? await grains.GetGrain<IRequestGrain>(id).Get() : null;
            return TrackingRules.Of(item, request, await OwnerName(request, grains));
        }

        return link.RequestId is { } requestId && await grains.GetGrain<IRequestGrain>(requestId).Get() is { } direct
            ? TrackingRules.OfRequest(direct, await OwnerName(direct, grains), ownDoor: true)
            : null;
    }

    private static async Task<string?> OwnerName(RequestView? request, IGrainFactory grains) =>
        request?.Owner is { } owner && await grains.GetGrain<IAccountGrain>(GrainKeys.Account(owner)).Get() is { } account
            ? account.DisplayName
            : null;
}
