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
/// Who may do what with a suggestion, stated once: admins everything; staff the suggestions about
/// a place at or below theirs; a department account (role <see cref="AccountRole.Department"/>)
/// only its own department's queue; a representative only their own suggestions. Who may see one
/// is asked by the web host's <c>ScopeGuard</c>; who may file (<see cref="CheckAuthor"/>) and who
/// may answer (<see cref="CheckAnswerer"/>) by the suggestion grain, which reads the account.
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
    /// Null when <paramref name="author"/> may file suggestions, with the title it files under: only
    /// an account an admin gave a representative title (<paramref name="author"/> null when there is
    /// no such account). Everyone else is refused (403 <c>notRepresentative</c>).
    /// </summary>
    public static Failure? CheckAuthor(Accounts.AccountView? author, out RepresentativeTitle title)
    {
        if (author?.Representative is { } held)
        {
            title = held;
            return null;
        }

        title = default;
        return Failure.Forbidden("notRepresentative", "Only an account with a representative title (党代表, 人大代表, 政协委员) may file suggestions.");
    }

    /// <summary>
    /// Null when <paramref name="actor"/> may answer <paramref name="suggestion"/>: an account of the
    /// department it was handed to (<paramref name="actorDepartmentId"/>: the department a department
    /// account is bound to, null for anyone else). Everyone else, admins and staff in scope included,
    /// is refused (403 <c>notDepartment</c>): they read it, they do not answer for the department.
    /// </summary>
    public static Failure? CheckAnswerer(SuggestionView suggestion, Actor actor, string? actorDepartmentId) =>
        actor.Role == AccountRole.Department
        && actorDepartmentId is not null
        && string.Equals(suggestion.DepartmentId, actorDepartmentId, StringComparison.Ordinal)
            ? null
            : Failure.Forbidden("notDepartment", $"Only the department suggestion '{suggestion.Id}' was handed to may answer it.");

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

