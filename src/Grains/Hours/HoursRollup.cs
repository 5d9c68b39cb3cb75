using System.Collections.Immutable;

namespace Dispatch.Hours;

/// <summary>
/// Sums volunteers' hours for a place and a period, as plain C#: only services done in the place's
/// communities count; person-times count attended activities; a breakdown by community, volunteer
/// or unit (an organisation's members; a member of two counts in both).
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
    /// The service done in the place's communities: minutes as <see cref="Sum"/> counts them, and
    /// person-times (人次) counting each volunteer once per activity attended (its check-in to
    /// check-out entry) and once per request whose service time the verifier confirmed. Hours
    /// added by hand are in the minutes but are no attendance of their own.
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

    private static CommunityService Community(string communityId, List<(string Username, HoursEntryView Entry)> served)
    {
        var minutes = served.Sum(s => s.Entry.Minutes);
        var personTimes = served
            .Where(s => s.Entry.Source is HoursSource.Activity or HoursSource.Request)
            .Select(s => (s.Username, s.Entry.Source, s.Entry.ReferenceId))
            .Distinct()
            .Count();
        return new CommunityService(communityId, minutes, HoursLimits.ToHours(minutes), personTimes);
    }

    private static HoursGroup Group(string key, List<(string Username, HoursEntryView Entry)> served)
    {
        var minutes = served.Sum(s => s.Entry.Minutes);
        var personTimes = served.Where(s => s.Entry.Source == HoursSource.Activity).Select(s => (s.Username, s.Entry.ReferenceId)).Distinct().Count();
        var volunteers = served.Where(s => s.Entry.Minutes > 0).Select(s => s.Username).Distinct().Count();
        return new HoursGroup(key, minutes, HoursLimits.ToHours(minutes), personTimes, volunteers);
    }
}
