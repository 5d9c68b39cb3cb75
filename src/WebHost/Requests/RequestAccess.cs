using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Requests;

namespace Dispatch.WebHost.Requests;

public enum RequestAccess
{
    /// <summary>May not see the request.</summary>
    None,

    /// <summary>May see its public fields: no beneficiary's contact, no staff notes (<see cref="RequestPrivacy"/>).</summary>
    Public,

    /// <summary>
    /// A claimant on record of a finished request: no longer shown the contact, but still the notes
    /// about the work they did (their completion note, staff's verification comment).
    /// </summary>
    PastClaimant,

    /// <summary>A current claimant: sees the beneficiary's contact, never the check-in code.</summary>
    Claimant,

    /// <summary>Staff in scope (and admins): see everything, the check-in code included.</summary>
    Staff,
}

public static class RequestAccessRules
{
    /// <summary>
    /// The request as a reader sees it: the beneficiary's contact and staff notes only for staff
    /// and claimants (the contact only while the claim stands), the check-in code (which verifies the work) only for staff.
    /// </summary>
    public static RequestView Present(this RequestView request, RequestAccess access) => access switch
    {
        RequestAccess.Staff => request,
        RequestAccess.Claimant => request with { CheckInCode = null },
        RequestAccess.PastClaimant => request with { Beneficiary = null, CheckInCode = null },
        _ => request.WithoutNotes() with { Beneficiary = null, CheckInCode = null },
    };

    /// <summary>The history as a reader sees it: its notes only for staff and its claimants.</summary>
    public static ImmutableArray<HistoryEntry> Present(this ImmutableArray<HistoryEntry> history, RequestAccess access) =>
        access is RequestAccess.Staff or RequestAccess.Claimant or RequestAccess.PastClaimant ? history : history.WithoutNotes();
}
