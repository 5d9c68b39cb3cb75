using Dispatch.Common;
using Dispatch.Places;

namespace Dispatch.UnitTests.Places;

/// <summary>The scope rule every door uses: r1 > t1 > m1 (community) > g1 (grid), and r1 > t2 > m3.</summary>
public sealed class ScopeTests
{
    private static readonly PlaceInfo R1 = Place("r1", PlaceKind.Region, "r1");
    private static readonly PlaceInfo T1 = Place("t1", PlaceKind.Town, "r1", "t1");
    private static readonly PlaceInfo M1 = Place("m1", PlaceKind.Community, "r1", "t1", "m1");
    private static readonly PlaceInfo G1 = Place("g1", PlaceKind.Grid, "r1", "t1", "m1", "g1");
    private static readonly PlaceInfo M3 = Place("m3", PlaceKind.Community, "r1", "t2", "m3");

    private static readonly Caller Admin = new("admin", AccountRole.Admin, "r1");
    private static readonly Caller StaffT1 = new("staff-t1", AccountRole.Staff, "t1");
    private static readonly Caller StaffM3 = new("staff-m3", AccountRole.Staff, "m3");
    private static readonly Caller VolunteerM1 = new("vol-m1-1", AccountRole.Volunteer, "m1");

    [Fact]
    public void Staff_cover_their_place_and_below_it_and_admins_everything()
    {
        Assert.True(Scope.Covers(StaffT1, T1));
        Assert.True(Scope.Covers(StaffT1, M1));
        Assert.True(Scope.Covers(StaffT1, G1));
        Assert.False(Scope.Covers(StaffT1, R1));
        Assert.False(Scope.Covers(StaffT1, M3));
        Assert.False(Scope.Covers(StaffM3, M1));
        Assert.True(Scope.Covers(Admin, M3));
    }

    [Fact]
    public void A_units_contact_covers_watches_and_browses_no_place_even_one_named_like_its_organisation()
    {
        // Its place id is its organisation's: here an organisation that happens to be called "t1".
        var unit = new Caller("bank-contact", AccountRole.Unit, "t1");

        Assert.True(unit.IsUnit);
        Assert.All([R1, T1, M1, G1, M3], place =>
        {
            Assert.False(Scope.Covers(unit, place));
            Assert.False(Scope.Watches(unit, place));
            Assert.False(Scope.Browses(unit, place, home: M1));
        });
    }

    [Fact]
    public void Volunteers_browse_their_community_and_the_places_above_it_only()
    {
        Assert.True(Scope.Browses(VolunteerM1, M1, home: M1));
        Assert.True(Scope.Browses(VolunteerM1, T1, home: M1));
        Assert.False(Scope.Browses(VolunteerM1, G1, home: M1));
        Assert.False(Scope.Browses(VolunteerM1, M3, home: M1));
        Assert.False(Scope.Browses(VolunteerM1, M1, home: null));
        Assert.False(Scope.Browses(StaffM3, T1, home: null));
    }

    [Fact]
    public void Volunteers_watch_their_own_community_and_nothing_else()
    {
        Assert.True(Scope.Watches(VolunteerM1, M1));
        Assert.False(Scope.Watches(VolunteerM1, G1));
        Assert.False(Scope.Watches(VolunteerM1, T1));
        Assert.True(Scope.Watches(StaffT1, G1));
        Assert.False(Scope.Watches(StaffM3, T1));
    }

    [Fact]
    public void A_refusal_is_403_outOfScope_with_the_detail_the_routes_have_always_given()
    {
        var refusal = Scope.Outside("Request", "42");
        Assert.Equal(new Failure(FailureKind.Forbidden, "outOfScope", "Request '42' is outside your scope."), refusal);
    }

    [Fact]
    public void Check_is_null_inside_the_scope_and_the_refusal_outside_it()
    {
        Assert.Null(Scope.Check(StaffT1, M1, "Community"));
        Assert.Equal(Scope.Outside("Community", "m3"), Scope.Check(StaffT1, M3, "Community"));
    }

    private static PlaceInfo Place(string id, PlaceKind kind, params string[] path) =>
        new(id, id, kind, path.Length > 1 ? path[^2] : null, [.. path], [], DateTimeOffset.UnixEpoch);
}
