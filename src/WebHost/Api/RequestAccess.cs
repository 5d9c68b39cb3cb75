using System.Security.Claims;
using Dispatch.Common;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;

namespace Dispatch.WebHost.Api;

public enum RequestAccess
{
    /// <summary>May not see the request.</summary>
    None,

    /// <summary>May see it without the beneficiary's contact.</summary>
    Public,

    /// <summary>A current claimant: sees the beneficiary's contact, never the check-in code.</summary>
    Claimant,

    /// <summary>Staff in scope (and admins): see everything, the check-in code included.</summary>
    Staff,
}

public static class RequestAccessRules
{
    /// <summary>
    /// The request as a reader sees it: the beneficiary's contact only for staff and current
    /// claimants, the check-in code (which verifies the work) only for staff.
    /// </summary>
    public static RequestView Present(this RequestView request, RequestAccess access) => access switch
    {
        RequestAccess.Staff => request,
        RequestAccess.Claimant => request with { CheckInCode = null },
        _ => request with { Beneficiary = null, CheckInCode = null },
    };

    /// <summary>
    /// Staff see requests inside their scope; volunteers see their own community's requests (and
    /// any request they hold a claim or an offer on); the beneficiary's contact is shown to staff
    /// in scope and to current claimants only.
    /// </summary>
    public static async ValueTask<RequestAccess> AccessTo(this PlaceDirectory places, ClaimsPrincipal user, RequestView request)
    {
        switch (user.Role())
        {
            case AccountRole.Admin:
                return RequestAccess.Staff;
            case AccountRole.Staff:
                return await places.InScope(user, request.CommunityId) ? RequestAccess.Staff : RequestAccess.None;
            default:
                // Claimants stay on record once the work is verified or cancelled, but no longer hold a claim.
                if (!request.Status.IsFinal()
                    && request.Claimants.Contains(user.Username(), StringComparer.Ordinal))
                {
                    return RequestAccess.Claimant;
                }

                // An offer may come from a town-wide dispatch, outside the volunteer's own community.
                return request.CommunityId == user.PlaceId() || request.Offer?.Volunteer == user.Username()
                    ? RequestAccess.Public
                    : RequestAccess.None;
        }
    }
}
