using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Places;
using Orleans.Concurrency;

namespace Dispatch.Schemes;

/// <summary>The points scheme a place sets (<c>scheme:{placeId}</c>): its versions, oldest first, never changed once stored.</summary>
public interface IPointsSchemeGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<ImmutableArray<PointsSchemeVersion>> GetVersions();

    /// <summary>
    /// Adds a version (<paramref name="place"/> is this grain's place, read by the caller, who
    /// checked the actor's scope): checked against the rules in force from above on its date.
    /// </summary>
    Task<Outcome<PointsSchemeVersion>> Set(PlaceInfo place, SchemeDraft draft, Actor actor);

    /// <summary>The rules in force at <paramref name="place"/> (this grain's place) on <paramref name="on"/>, inherited ones included.</summary>
    [ReadOnly]
    Task<ImmutableArray<EffectiveRule>> Effective(PlaceInfo place, DateOnly on);
}

public static class SchemeKeys
{
    public const string Prefix = "scheme:";
    public const string StandingRolesPrefix = "roles:";

    public static string For(string placeId) => Prefix + placeId;

    public static string StandingRoles(string communityId) => StandingRolesPrefix + communityId;

    /// <summary>The rules in force at <paramref name="place"/> on the day of <paramref name="at"/> (China time).</summary>
    public static Task<ImmutableArray<EffectiveRule>> PointsRulesAt(this IGrainFactory grains, PlaceInfo place, DateTimeOffset at) =>
        grains.GetGrain<IPointsSchemeGrain>(For(place.Id)).Effective(place, PointsCalendar.DayOf(at));
}
