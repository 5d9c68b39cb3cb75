using Dispatch.Requests;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Requests;

/// <summary>The answers to lost claims: 409 with a <c>reason</c> member (<see cref="LostClaim"/>), or 403/404 when the claim could never have won.</summary>
public static class ClaimProblems
{
    public static Results<Ok<RequestView>, ValidationProblem, ProblemHttpResult, LostClaim> For(ClaimLoss loss, Guid requestId) => loss switch
    {
        ClaimLoss.OutsideCommunity => Problems.Refusal(StatusCodes.Status403Forbidden, DispatchMetrics.ReasonOf(loss), "This request belongs to another community."),
        _ when LostClaim.For(loss) is { } conflict => conflict,
        _ => Problems.Refusal(StatusCodes.Status404NotFound, DispatchMetrics.ReasonOf(ClaimLoss.NotFound), $"Request '{requestId}' does not exist."),
    };
}
