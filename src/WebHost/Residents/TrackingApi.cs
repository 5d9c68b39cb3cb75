using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Intake;
using Dispatch.Requests;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Residents;

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
        return app;
    }

    private static async Task<Results<Ok<TrackingView>, ProblemHttpResult>> Track(string code, [AsParameters] CallContext call)
    {
        // What a code shows is for its holder only: no cache keeps it.
        call.Http.Response.Headers.CacheControl = "no-store";
        var view = await ViewOf(code, call.Grains);
        return view is null ? Problems.NotFound("Tracking code", "…") : TypedResults.Ok(view);
    }

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
