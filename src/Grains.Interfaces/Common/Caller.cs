namespace Dispatch.Common;

/// <summary>
/// Who is calling, as the verified token says: built once per request by the web host and handed
/// to <see cref="Places.Scope"/> (and to grains) instead of the raw claims.
/// </summary>
/// <param name="PlaceId">The caller's place: a staff member's node, a volunteer's community (for a unit's contact, its organisation).</param>
[GenerateSerializer, Immutable, Alias("Dispatch.Caller")]
public sealed record Caller(string Username, AccountRole Role, string PlaceId)
{
    public bool IsAdmin => Role == AccountRole.Admin;

    public bool IsVolunteer => Role == AccountRole.Volunteer;

    /// <summary>A unit's contact: <see cref="PlaceId"/> is then its organisation's id, never a place.</summary>
    public bool IsUnit => Role == AccountRole.Unit;

    public Actor Actor => new(Username, Role, PlaceId);
}
