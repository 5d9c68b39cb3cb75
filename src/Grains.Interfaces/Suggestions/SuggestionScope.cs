using Dispatch.Common;

namespace Dispatch.Suggestions;

/// <summary>How a caller stands to a suggestion.</summary>
public enum SuggestionAccess
{
    None,

    /// <summary>The representative who filed it: reads it, rates the answer.</summary>
    Author,

    /// <summary>Staff of the department it was handed to: read it, answer it.</summary>
    Department,

    /// <summary>Admins, and staff whose scope holds the place concerned: read it, hand it over.</summary>
    Staff,
}

/// <summary>
/// Who may do what with a suggestion, stated once (the web host's <c>ScopeGuard</c> asks it):
/// admins everything; staff the suggestions about a place at or below theirs; a department
/// account (role <see cref="AccountRole.Department"/>) only its own department's queue; a
/// representative only their own suggestions.
/// </summary>
public static class SuggestionScope
{
    /// <param name="callerDepartmentId">The department a department account belongs to (null for anyone else).</param>
    public static SuggestionAccess Of(Caller caller, SuggestionView suggestion, string? callerDepartmentId)
    {
        if (caller.IsAdmin || (caller.Role == AccountRole.Staff && suggestion.PlacePath.Contains(caller.PlaceId, StringComparer.Ordinal)))
        {
            return SuggestionAccess.Staff;
        }

        if (caller.Role == AccountRole.Department)
        {
            return callerDepartmentId is not null && string.Equals(suggestion.DepartmentId, callerDepartmentId, StringComparison.Ordinal)
                ? SuggestionAccess.Department
                : SuggestionAccess.None;
        }

        return string.Equals(suggestion.Author, caller.Username, StringComparison.Ordinal) ? SuggestionAccess.Author : SuggestionAccess.None;
    }

    /// <summary>
    /// True when the caller may read a department's queue: admins, the department's own accounts,
    /// and staff (the web host also asks that their scope hold one of its communities, and cuts the
    /// list to their scope).
    /// </summary>
    public static bool ReadsQueueOf(Caller caller, string departmentId, string? callerDepartmentId) =>
        caller.IsAdmin
        || caller.Role == AccountRole.Staff
        || (caller.Role == AccountRole.Department && string.Equals(callerDepartmentId, departmentId, StringComparison.Ordinal));
}
