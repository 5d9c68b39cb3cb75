using System.Collections.Immutable;

namespace Dispatch.Hours;

/// <summary>Where a volunteer's service time comes from.</summary>
public enum HoursSource
{
    /// <summary>An activity's check-in to check-out, recorded when the event ends.</summary>
    Activity,

    /// <summary>A request's work, as its verifier confirmed it.</summary>
    Request,

    /// <summary>Added by hand afterwards, by staff, with a reason.</summary>
    Manual,
}

/// <summary>Service time to record once under <paramref name="Key"/> (a retry records nothing more).</summary>
/// <param name="ReferenceId">The activity or request served.</param>
/// <param name="CommunityId">Where the service was done: place totals count it there.</param>
/// <param name="ServedAt">When the service began: periods count it by this.</param>
/// <param name="MaxMinutes">The most this service may count for this volunteer (an activity's own length).</param>
[GenerateSerializer, Immutable, Alias("Dispatch.HoursCredit")]
public sealed record HoursCredit(
    string Key,
    HoursSource Source,
    Guid ReferenceId,
    string Title,
    string CommunityId,
    DateTimeOffset ServedAt,
    int Minutes,
    int MaxMinutes,
    string RecordedBy,
    string? Reason = null);

/// <summary>One change of an entry's minutes: who, when, from what to what, and why.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.HoursCorrection")]
public sealed record HoursCorrection(DateTimeOffset At, string By, int FromMinutes, int ToMinutes, string Reason);

/// <param name="Manual">Added by hand afterwards (<see cref="HoursSource.Manual"/>): <see cref="RecordedBy"/> added it for <see cref="Reason"/>.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.HoursEntryView")]
public sealed record HoursEntryView(
    Guid Id,
    HoursSource Source,
    Guid ReferenceId,
    string Title,
    string CommunityId,
    DateTimeOffset ServedAt,
    int Minutes,
    bool Manual,
    string RecordedBy,
    DateTimeOffset RecordedAt,
    string? Reason,
    ImmutableArray<HoursCorrection> Corrections);

/// <summary>A volunteer's service hours: the period asked for, and the all-time total their star level counts.</summary>
/// <param name="Hours">Hours in the period (all time without one), to the minute.</param>
/// <param name="PersonTimes">Person-times (人次) in the period: activities attended and requests whose service time was confirmed, once each (HoursRollup.PersonTimes).</param>
/// <param name="Stars">The star level of all their hours: 1 at 100 hours, 2 at 300, 3 at 600, 4 at 1,000, 5 at 1,500.</param>
/// <param name="NextStarAt">The hours of the next star level; null at five stars.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.VolunteerHoursView")]
public sealed record VolunteerHoursView(
    string Username,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Minutes,
    decimal Hours,
    int PersonTimes,
    int TotalMinutes,
    decimal TotalHours,
    int Stars,
    int? NextStarAt,
    ImmutableArray<HoursEntryView> Entries);

/// <summary>How a place's hours are broken down.</summary>
public enum HoursGrouping
{
    Community,
    Volunteer,

    /// <summary>Per organisation (unit) reporting in to the place's communities, over its members; a member of two counts in both.</summary>
    Unit,
}

/// <summary>One group of a place's hours: a community, a volunteer or a unit.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.HoursGroup")]
public sealed record HoursGroup(string Key, int Minutes, decimal Hours, int PersonTimes, int Volunteers);

/// <summary>The service hours done in a place's communities in a period, with a breakdown when asked.</summary>
/// <param name="PersonTimes">Person-times (人次): each volunteer once per activity attended and per request whose service time was confirmed.</param>
/// <param name="Volunteers">Volunteers with any hours in the period.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.PlaceHoursView")]
public sealed record PlaceHoursView(
    string PlaceId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    HoursGrouping? GroupBy,
    int Minutes,
    decimal Hours,
    int PersonTimes,
    int Volunteers,
    ImmutableArray<HoursGroup> Groups);

/// <summary>
/// A community's service in a period as the statistics count it: its hours (as
/// <see cref="PlaceHoursView"/> sums them) and its person-times (人次), counted as there: each
/// activity attended (check-in to check-out) and each claimant's service of a request whose time
/// was confirmed.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.CommunityService")]
public sealed record CommunityService(string CommunityId, int Minutes, decimal Hours, int PersonTimes);

/// <summary>A place's service in a period (<see cref="CommunityService"/>), in all and per community with any.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PlaceService")]
public sealed record PlaceService(string PlaceId, int Minutes, decimal Hours, int PersonTimes, ImmutableArray<CommunityService> Communities);

/// <summary>The entries a confirmation of a request's hours recorded, one per claimant.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.HoursEntries")]
public sealed record HoursEntries([property: Id(0)] ImmutableArray<HoursEntryView> Entries);
