using Dispatch.Common;

namespace Dispatch.Places;

/// <summary>
/// The scope rule, stated once for every door (REST, the console hub, Open311): admins act
/// everywhere, staff at their place and below it, volunteers in their own community, a unit's contact
/// at no place (only its own organisation, see ScopeGuard.Organisation). A place's
/// path never changes, so each rule is a lookup in a path.
/// </summary>
public static class Scope
{
    /// <summary>The <c>reason</c> of every refusal for being outside one's scope.</summary>
    public const string OutOfScopeReason = "outOfScope";

    /// <summary>
    /// True when the caller may act on <paramref name="place"/>: admins anywhere, others at their
    /// place or below; a unit's contact nowhere (its place id names an organisation, not a place).
    /// </summary>
    public static bool Covers(Caller caller, PlaceInfo place) => caller.IsAdmin || (!caller.IsUnit && place.IsWithin(caller.PlaceId));

    /// <summary>
    /// True when the caller may look at what is offered at <paramref name="place"/> (a shop, a
    /// leaderboard): volunteers whose community (<paramref name="home"/>) is that place or lies
    /// below it; others as <see cref="Covers"/>.
    /// </summary>
    public static bool Browses(Caller caller, PlaceInfo place, PlaceInfo? home) =>
        caller.IsVolunteer ? home?.IsWithin(place.Id) == true : Covers(caller, place);

    /// <summary>True when the caller may watch <paramref name="place"/> (its board, its live feed): volunteers their own community only.</summary>
    public static bool Watches(Caller caller, PlaceInfo place) =>
        caller.IsVolunteer ? place.Kind == PlaceKind.Community && place.Id == caller.PlaceId : Covers(caller, place);

    /// <summary>True when an Open311 key for <paramref name="keyJurisdictionId"/> may file at <paramref name="place"/>: its jurisdiction and the places below it, as staff in their scope.</summary>
    public static bool KeyCovers(string keyJurisdictionId, PlaceInfo place) => place.IsWithin(keyJurisdictionId);

    /// <summary>Null when the caller covers <paramref name="place"/>, else "<paramref name="what"/> '…' is outside your scope."</summary>
    public static Failure? Check(Caller caller, PlaceInfo place, string what) =>
        Covers(caller, place) ? null : Outside(what, place.Id);

    /// <summary>The refusal for a resource outside the caller's scope (403 <c>outOfScope</c>).</summary>
    public static Failure Refuse(string detail) => Failure.Forbidden(OutOfScopeReason, detail);

    /// <summary>"<paramref name="what"/> '<paramref name="id"/>' is outside your scope." (403 <c>outOfScope</c>).</summary>
    public static Failure Outside(string what, string id) => Refuse($"{what} '{id}' is outside your scope.");
}
