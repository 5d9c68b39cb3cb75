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

    /// <summary>May see everything, the beneficiary's contact included.</summary>
    Full,
}

public static class RequestAccessRules
{
    /// <summary>The request as a reader sees it: without the beneficiary's contact unless they may see it.</summary>
    public static RequestView Present(this RequestView request, bool withBeneficiary) =>
        withBeneficiary ? request : request with { Beneficiary = null };

    /// <summary>
    /// Staff see requests inside their scope; volunteers see their own community's requests; the
    /// beneficiary's contact is shown to staff in scope and to current claimants only.
    /// </summary>
    public static async ValueTask<RequestAccess> AccessTo(this PlaceDirectory places, ClaimsPrincipal user, RequestView request)
    {
        switch (user.Role())
        {
            case AccountRole.Admin:
                return RequestAccess.Full;
            case AccountRole.Staff:
                return await places.InScope(user, request.CommunityId) ? RequestAccess.Full : RequestAccess.None;
            default:
                // Claimants stay on record once the work is verified or cancelled, but no longer hold a claim.
                if (!request.Status.IsFinal()
                    && request.Claimants.Contains(user.Username(), StringComparer.Ordinal))
                {
                    return RequestAccess.Full;
                }

                return request.CommunityId == user.PlaceId() ? RequestAccess.Public : RequestAccess.None;
        }
    }
}
