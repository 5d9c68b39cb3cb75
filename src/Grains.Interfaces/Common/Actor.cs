namespace Dispatch.Common;

public enum AccountRole
{
    Admin,
    Staff,
    Volunteer,

    /// <summary>
    /// Someone who reported in (双报到) and waits for staff to decide: may sign in and read their
    /// application, nothing else. Approval makes the account a volunteer.
    /// </summary>
    Applicant,

    /// <summary>
    /// A work unit's contact person (双报告): the account is placed at its organisation (its place id is
    /// the organisation's id) and may only read that organisation and its members' report, nothing else.
    /// </summary>
    Unit,

    /// <summary>
    /// Staff of a department (an organisation of kind department, 住房保障中心, a hospital): reads
    /// and answers the suggestions handed to its department, nothing else (<c>SuggestionScope</c>).
    /// </summary>
    Department,
}

/// <summary>
/// Who performs an operation. The web host builds it from the verified token and has already
/// checked which roles may use the door and the place scope; grains record it and apply the role
/// and ownership rules about what they hold (such as whether the actor holds a claim, stands high
/// enough on an escalated request's ladder, is the volunteer whose profile it is, or answers for
/// the department a suggestion went to).
/// </summary>
/// <param name="PlaceId">
/// The actor's place (a staff member's node, a volunteer's community) as the token says, for the
/// rules that depend on where on the place tree the actor stands; null when the door that built
/// the actor does not know it, and then such rules refuse.
/// </param>
[GenerateSerializer, Immutable, Alias("Dispatch.Actor")]
public sealed record Actor(string Username, AccountRole Role, string? PlaceId = null)
{
    public bool IsAdmin => Role == AccountRole.Admin;

    public bool IsStaff => Role is AccountRole.Staff or AccountRole.Admin;
}
