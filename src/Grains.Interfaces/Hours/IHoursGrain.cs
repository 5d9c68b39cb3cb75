using Dispatch.Common;

namespace Dispatch.Hours;

/// <summary>One volunteer's service hours (<c>hours:{username}</c>); every answer about a change is given after it is stored.</summary>
public interface IHoursGrain : IGrainWithStringKey
{
    /// <summary>Records service time once under its key (a retry answers the entry recorded).</summary>
    Task<Outcome<HoursEntryView>> Credit(HoursCredit credit);

    /// <summary>
    /// Staff add time by hand for an activity that has ended (the web host read it and checked
    /// their scope; the grain does not call the activity, which credits this grain at its end):
    /// marked manual, with who and why, never beyond the activity's own length.
    /// </summary>
    Task<Outcome<HoursEntryView>> AddForActivity(Activities.ActivityView activity, int minutes, string reason, Actor actor);

    /// <summary>Staff correct an entry (on the volunteer's request); the old value stays in its history.</summary>
    Task<Outcome<HoursEntryView>> Correct(Guid entryId, int minutes, string reason, Actor actor);

    Task<VolunteerHoursView> Get(DateTimeOffset? from, DateTimeOffset? to);
}

/// <summary>Sums the hours done in a place's communities for a period: a stateless use case over the volunteers' hours.</summary>
public interface IHoursTotalsGrain : IGrainWithIntegerKey
{
    Task<PlaceHoursView> Totals(Places.PlaceInfo place, DateTimeOffset? from, DateTimeOffset? to, HoursGrouping? groupBy);

    /// <summary>The hours and person-times (人次) of a place's communities for a period, per community: what the statistics show.</summary>
    Task<PlaceService> Service(Places.PlaceInfo place, DateTimeOffset? from, DateTimeOffset? to);
}

public static class HoursKeys
{
    public const string Prefix = "hours:";

    public static string For(string username) => Prefix + username;
}
