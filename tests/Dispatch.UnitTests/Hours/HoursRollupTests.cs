using System.Collections.Immutable;
using Dispatch.Hours;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Hours;

/// <summary>A place's hours: only services in its communities, person-times per activity attended or request served (one rule everywhere), breakdowns.</summary>
public sealed class HoursRollupTests
{
    private static readonly Guid Clinic = Guid.NewGuid();
    private static readonly Guid Haircuts = Guid.NewGuid();

    [Fact]
    public void Only_services_done_in_the_places_communities_count_and_each_activity_attended_or_request_served_is_one_person_time()
    {
        var wang = Volunteer("wang", Entry(Clinic, "m1", 60, HoursSource.Activity), Entry(Clinic, "m1", 20, HoursSource.Manual), Entry(Haircuts, "m9", 90, HoursSource.Activity));
        var zhao = Volunteer("zhao", Entry(Clinic, "m1", 45, HoursSource.Activity), Entry(Guid.NewGuid(), "m2", 30, HoursSource.Request));

        var town = HoursRollup.Sum("t1", new HashSet<string> { "m1", "m2" }, [wang, zhao], new Dictionary<string, ImmutableArray<string>>(), null, null, HoursGrouping.Community);

        Assert.Equal((155, 2.58m, 3, 2), (town.Minutes, town.Hours, town.PersonTimes, town.Volunteers));
        Assert.Equal([("m1", 125, 2), ("m2", 30, 1)], town.Groups.Select(g => (g.Key, g.Minutes, g.PersonTimes)));
    }

    [Fact]
    public void The_hours_route_and_the_statistics_count_the_same_person_times_in_all_and_per_community()
    {
        var errand = Guid.NewGuid();
        var wang = Volunteer("wang", Entry(Clinic, "m1", 60, HoursSource.Activity), Entry(Clinic, "m1", 20, HoursSource.Manual), Entry(errand, "m2", 30, HoursSource.Request));
        var zhao = Volunteer("zhao", Entry(Clinic, "m1", 120, HoursSource.Activity), Entry(errand, "m2", 30, HoursSource.Request), Entry(Haircuts, "m2", 90, HoursSource.Activity));
        var communities = new HashSet<string> { "m1", "m2" };

        var hours = HoursRollup.Sum("t1", communities, [wang, zhao], new Dictionary<string, ImmutableArray<string>>(), null, null, HoursGrouping.Community);
        var service = HoursRollup.Service("t1", communities, [wang, zhao]);

        Assert.Equal((5, 5), (hours.PersonTimes, service.PersonTimes));
        Assert.Equal(
            service.Communities.Select(c => (c.CommunityId, c.Minutes, c.PersonTimes)),
            hours.Groups.Select(g => (g.Key, g.Minutes, g.PersonTimes)).OrderBy(g => g.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void A_service_counts_once_however_many_entries_it_has_and_not_at_all_when_corrected_to_nothing()
    {
        var talk = Guid.NewGuid();
        var wang = Volunteer(
            "wang",
            Entry(Clinic, "m1", 30, HoursSource.Activity), Entry(Clinic, "m1", 0, HoursSource.Activity), // checked in twice: one person-time
            Entry(talk, "m1", 0, HoursSource.Activity), // corrected to 0 minutes: no service
            Entry(Haircuts, "m1", 40, HoursSource.Manual)); // added by hand: no service of its own

        Assert.Equal(1, HoursRollup.Service("m1", new HashSet<string> { "m1" }, [wang]).PersonTimes);
        Assert.Equal(
            (1, 1),
            (HoursRollup.PersonTimes(wang.Entries.Select(e => ("wang", e))), HoursRollup.ActivitiesAttended(wang.Entries.Select(e => ("wang", e)))));
    }

    [Fact]
    public void A_unit_counts_its_members_and_a_member_of_two_units_counts_in_both()
    {
        var wang = Volunteer("wang", Entry(Clinic, "m1", 60, HoursSource.Activity));
        var zhao = Volunteer("zhao", Entry(Clinic, "m1", 30, HoursSource.Activity));
        var units = new Dictionary<string, ImmutableArray<string>> { ["hospital"] = ["wang", "zhao"], ["school"] = ["wang"], ["idle"] = ["sun"] };

        var m1 = HoursRollup.Sum("m1", new HashSet<string> { "m1" }, [wang, zhao], units, null, null, HoursGrouping.Unit);

        Assert.Equal([("hospital", 90, 2), ("school", 60, 1), ("idle", 0, 0)], m1.Groups.Select(g => (g.Key, g.Minutes, g.Volunteers)));
        Assert.Equal(90, m1.Minutes);
    }

    [Fact]
    public void Person_times_count_each_activity_attended_and_each_confirmed_request_once_per_volunteer_per_community()
    {
        var errand = Guid.NewGuid();
        var wang = Volunteer("wang", Entry(Clinic, "m1", 60, HoursSource.Activity), Entry(Clinic, "m1", 20, HoursSource.Manual), Entry(errand, "m2", 30, HoursSource.Request));
        var zhao = Volunteer("zhao", Entry(Clinic, "m1", 120, HoursSource.Activity), Entry(errand, "m2", 30, HoursSource.Request), Entry(Haircuts, "m9", 90, HoursSource.Activity));

        var town = HoursRollup.Service("t1", new HashSet<string> { "m1", "m2" }, [wang, zhao]);

        Assert.Equal((260, 4.33m, 4), (town.Minutes, town.Hours, town.PersonTimes));
        Assert.Equal([("m1", 200, 3.33m, 2), ("m2", 60, 1m, 2)], town.Communities.Select(c => (c.CommunityId, c.Minutes, c.Hours, c.PersonTimes)));
        Assert.Equal((0, 0), (HoursRollup.Service("m3", new HashSet<string> { "m3" }, [wang, zhao]).Minutes, HoursRollup.Service("m3", new HashSet<string> { "m3" }, [wang]).PersonTimes));
    }

    private static VolunteerHoursView Volunteer(string username, params HoursEntryView[] entries) =>
        new(username, null, null, entries.Sum(e => e.Minutes), 0, 0, 0, 0, 0, 100, [.. entries]);

    private static HoursEntryView Entry(Guid reference, string community, int minutes, HoursSource source) =>
        new(Guid.NewGuid(), source, reference, "Service", community, Given.Morning, minutes, source == HoursSource.Manual, "grid.wang", Given.Morning, null, []);
}
