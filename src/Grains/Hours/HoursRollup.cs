using System.Collections.Immutable;

namespace Dispatch.Hours;

/// <summary>
/// Sums volunteers' hours for a place and a period, as plain C#: only services done in the place's
/// communities count; person-times (人次) as <see cref="PersonTimes"/> counts them, everywhere; a
/// breakdown by community, volunteer or unit (an organisation's members; a member of two counts in both).
/// </summary>
public static class HoursRollup
{
    public static PlaceHoursView Sum(
        string placeId,
        IReadOnlySet<string> communities,
        IEnumerable<VolunteerHoursView> volunteers,
        IReadOnlyDictionary<string, ImmutableArray<string>> unitMembers,
        DateTimeOffset? from,
        DateTimeOffset? to,
        HoursGrouping? groupBy)
    {
        // Each volunteer's entries in the place's communities: (volunteer, entry).
        var served = volunteers
            .SelectMany(v => v.Entries.Where(e => communities.Contains(e.CommunityId)).Select(e => (v.Username, Entry: e)))
            .ToList();
        var total = Group("", served);
        var groups = groupBy switch
        {
            HoursGrouping.Community => served.GroupBy(s => s.Entry.CommunityId).Select(g => Group(g.Key, [.. g])),
            HoursGrouping.Volunteer => served.GroupBy(s => s.Username).Select(g => Group(g.Key, [.. g])),
            HoursGrouping.Unit => unitMembers.Select(unit => Group(unit.Key, [.. served.Where(s => unit.Value.Contains(s.Username))])),
            _ => [],
        };
        return new PlaceHoursView(placeId, from, to, groupBy, total.Minutes, total.Hours, total.PersonTimes, total.Volunteers,
            [.. groups.OrderByDescending(g => g.Minutes).ThenBy(g => g.Key, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The service done in the place's communities: minutes and person-times as <see cref="Sum"/>
    /// counts them, in all and per community.
    /// </summary>
    public static PlaceService Service(string placeId, IReadOnlySet<string> communities, IEnumerable<VolunteerHoursView> volunteers)
    {
        var served = volunteers
            .SelectMany(v => v.Entries.Where(e => communities.Contains(e.CommunityId)).Select(e => (v.Username, Entry: e)))
            .ToList();
        var perCommunity = served
            .GroupBy(s => s.Entry.CommunityId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Community(g.Key, [.. g]))
            .ToImmutableArray();
        var minutes = perCommunity.Sum(c => c.Minutes);
        return new PlaceService(placeId, minutes, HoursLimits.ToHours(minutes), perCommunity.Sum(c => c.PersonTimes), perCommunity);
    }

    /// <summary>
    /// Person-times (人次): one person serving once, as the seed counts "2,100 person-times of free
    /// clinics". Each volunteer counts once per activity attended (its check-in to check-out entry)
    /// and once per request whose service time the verifier confirmed, however many entries or
    /// corrections that service has; hours added by hand are in the minutes but are no service of
    /// their own, and a service whose minutes were all corrected away is none.
    /// </summary>
    public static int PersonTimes(IEnumerable<(string Username, HoursEntryView Entry)> served) => Services(served).Count();

    /// <summary>The activities attended among <see cref="PersonTimes"/>: each volunteer once per activity.</summary>
    public static int ActivitiesAttended(IEnumerable<(string Username, HoursEntryView Entry)> served) =>
        Services(served).Count(s => s.Source == HoursSource.Activity);

    /// <summary>The one rule: the distinct services (volunteer, activity or request) with any minutes left.</summary>
    private static IEnumerable<(string Username, HoursSource Source, Guid ReferenceId)> Services(IEnumerable<(string Username, HoursEntryView Entry)> served) =>
        served
            .Where(s => s.Entry.Source is HoursSource.Activity or HoursSource.Request)
            .GroupBy(s => (s.Username, s.Entry.Source, s.Entry.ReferenceId))
            .Where(g => g.Sum(s => s.Entry.Minutes) > 0)
            .Select(g => g.Key);

    private static CommunityService Community(string communityId, List<(string Username, HoursEntryView Entry)> served)
    {
        var minutes = served.Sum(s => s.Entry.Minutes);
        return new CommunityService(communityId, minutes, HoursLimits.ToHours(minutes), PersonTimes(served));
    }

    private static HoursGroup Group(string key, List<(string Username, HoursEntryView Entry)> served)
    {
        var minutes = served.Sum(s => s.Entry.Minutes);
        var volunteers = served.Where(s => s.Entry.Minutes > 0).Select(s => s.Username).Distinct().Count();
        return new HoursGroup(key, minutes, HoursLimits.ToHours(minutes), PersonTimes(served), volunteers);
    }
}
