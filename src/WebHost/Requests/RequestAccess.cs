using Dispatch.Common;
using Dispatch.Requests;

namespace Dispatch.WebHost.Requests;

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
}
