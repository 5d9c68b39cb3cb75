using Dispatch.Requests;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Requests;

/// <summary>The answers to lost claims: 409 with a <c>reason</c> member, or 403/404 when the claim could never have won.</summary>
public static class ClaimProblems
{
    public static ProblemHttpResult For(ClaimLoss loss, Guid requestId)
    {
        var (status, reason, detail) = loss switch
        {
            ClaimLoss.Full => (StatusCodes.Status409Conflict, "full", "Every place of this request is taken."),
            ClaimLoss.NotOpen => (StatusCodes.Status409Conflict, "notOpen", "This request is not taking claims."),
            ClaimLoss.AlreadyClaimed => (StatusCodes.Status409Conflict, "alreadyClaimed", "You already hold a claim on this request."),
            ClaimLoss.ClaimLimit => (StatusCodes.Status409Conflict, "claimLimit", "You hold as many active claims as allowed."),
            ClaimLoss.OutsideCommunity => (StatusCodes.Status403Forbidden, "outsideCommunity", "This request belongs to another community."),
            ClaimLoss.Reserved => (StatusCodes.Status409Conflict, "reserved", "The last free place is reserved for a volunteer it was offered to."),
            ClaimLoss.NotEnoughPlaces => (StatusCodes.Status409Conflict, "notEnoughPlaces", "Fewer places are free than were asked for; nothing was claimed."),
            ClaimLoss.CoolingDown => (StatusCodes.Status409Conflict, "coolingDown", "You released this request a moment ago; you may claim it again after the cool-down."),
            _ => (StatusCodes.Status404NotFound, "notFound", $"Request '{requestId}' does not exist."),
        };

        return status == StatusCodes.Status409Conflict
            ? TypedResults.Problem(detail, statusCode: status, title: "Claim lost.", extensions: new Dictionary<string, object?> { ["reason"] = reason })
            : Problems.Refusal(status, reason, detail);
    }
}
