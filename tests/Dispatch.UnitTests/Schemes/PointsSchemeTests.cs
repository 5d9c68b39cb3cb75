using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.Schemes;

namespace Dispatch.UnitTests.Schemes;

/// <summary>Points schemes: set at a county or town, inherited below, overridden by a community within the limits set above, versioned.</summary>
public sealed class PointsSchemeTests
{
    private static readonly DateOnly December = new(2026, 12, 1);
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void A_county_scheme_applies_in_its_communities_naming_the_county_and_its_version()
    {
        var county = Version("c1", 1, December, new PointsRule(PointsRuleNames.ActivityAttendance, 10, Cap: 40));

        var rule = Assert.Single(Resolve(December, county: [county]));

        Assert.Equal((PointsRuleNames.ActivityAttendance, 10, (int?)40, CapPeriod.Month, "c1", 1), (rule.Rule, rule.Points, rule.Cap, rule.Period, rule.SchemePlaceId, rule.SchemeVersion));
    }

    [Fact]
    public void Nothing_is_in_force_before_a_versions_date_and_a_newer_version_replaces_the_older_from_its_own_date()
    {
        var first = Version("c1", 1, December, new PointsRule(PointsRuleNames.ActivityAttendance, 10));
        var second = Version("c1", 2, new DateOnly(2027, 1, 1), new PointsRule(PointsRuleNames.ActivityAttendance, 15));

        Assert.Empty(Resolve(new DateOnly(2026, 11, 30), county: [first, second]));
        Assert.Equal((10, 1), Single(Resolve(new DateOnly(2026, 12, 31), county: [first, second])));
        Assert.Equal((15, 2), Single(Resolve(new DateOnly(2027, 1, 1), county: [first, second])));
    }

    [Fact]
    public void A_rule_with_its_own_later_date_waits_for_it()
    {
        var county = Version("c1", 1, December,
            new PointsRule(PointsRuleNames.ActivityAttendance, 10),
            new PointsRule(PointsRuleNames.HighRating, 5, EffectiveFrom: new DateOnly(2026, 12, 15)));

        Assert.Equal([PointsRuleNames.ActivityAttendance], Resolve(new DateOnly(2026, 12, 14), county: [county]).Select(r => r.Rule));
        Assert.Equal(2, Resolve(new DateOnly(2026, 12, 15), county: [county]).Length);
    }

    [Fact]
    public void A_town_replaces_a_county_rule_and_adds_its_own_and_a_community_overrides_within_the_limit()
    {
        var county = Version("c1", 1, December,
            new PointsRule(PointsRuleNames.ActivityAttendance, 10, MaxPoints: 20),
            new PointsRule(PointsRuleNames.Role("楼栋长"), 30));
        var town = Version("t1", 3, December, new PointsRule(PointsRuleNames.ActivityAttendance, 12), new PointsRule(PointsRuleNames.HighRating, 5));
        var community = Version("m1", 1, December, new PointsRule(PointsRuleNames.ActivityAttendance, 18, Cap: 50));

        var rules = Resolve(December, [county], [town], [community]).ToDictionary(r => r.Rule);

        Assert.Equal((18, (int?)50, (int?)20, "m1", 1), (rules["activity.attend"].Points, rules["activity.attend"].Cap, rules["activity.attend"].Ceiling, rules["activity.attend"].SchemePlaceId, rules["activity.attend"].SchemeVersion));
        Assert.Equal(("t1", 3), (rules["rating.high"].SchemePlaceId, rules["rating.high"].SchemeVersion));
        Assert.Equal(("c1", 30), (rules["role.楼栋长"].SchemePlaceId, rules["role.楼栋长"].Points));
    }

    [Fact]
    public void A_limit_lowered_above_after_a_community_override_cuts_the_override_down_to_it()
    {
        var before = Version("c1", 1, December, new PointsRule(PointsRuleNames.ActivityAttendance, 10, MaxPoints: 20));
        var lowered = Version("c1", 2, new DateOnly(2027, 1, 1), new PointsRule(PointsRuleNames.ActivityAttendance, 10, MaxPoints: 12));
        var community = Version("m1", 1, December, new PointsRule(PointsRuleNames.ActivityAttendance, 18));

        Assert.Equal(18, Assert.Single(Resolve(December, [before, lowered], [], [community])).Points);
        Assert.Equal(12, Assert.Single(Resolve(new DateOnly(2027, 1, 1), [before, lowered], [], [community])).Points);
    }

    [Fact]
    public void A_community_cannot_raise_a_cap_set_above_and_a_rule_not_set_above_is_ignored_there()
    {
        var county = Version("c1", 1, December, new PointsRule(PointsRuleNames.ActivityAttendance, 10, Cap: 30));
        var community = Version("m1", 1, December, new PointsRule(PointsRuleNames.ActivityAttendance, 10, Cap: 100), new PointsRule(PointsRuleNames.HighRating, 5));

        var rule = Assert.Single(Resolve(December, [county], [], [community]));

        Assert.Equal((PointsRuleNames.ActivityAttendance, (int?)30), (rule.Rule, rule.Cap));
    }

    [Fact]
    public void A_new_version_is_numbered_after_the_last_and_keeps_who_set_it()
    {
        var first = Version("c1", 1, December, new PointsRule(PointsRuleNames.ActivityAttendance, 10));

        var next = Next(PlaceKind.County, [first], new SchemeDraft(new DateOnly(2027, 1, 1), [new PointsRule(PointsRuleNames.ActivityAttendance, 15)]), []);

        Assert.Equal((2, new DateOnly(2027, 1, 1), "county.zhao", Now), (next.Value!.Version, next.Value.EffectiveFrom, next.Value.SetBy, next.Value.SetAt));
    }

    public static TheoryData<PlaceKind, PointsRule, string> BadRules => new()
    {
        { PlaceKind.County, new PointsRule("activity.sleep", 10), "rules[0].rule" },
        { PlaceKind.County, new PointsRule("request.wish.soon", 10), "rules[0].rule" },
        { PlaceKind.County, new PointsRule("role.", 10), "rules[0].rule" },
        { PlaceKind.County, new PointsRule("role." + new string('长', 41), 10), "rules[0].rule" },
        { PlaceKind.County, new PointsRule(PointsRuleNames.ActivityAttendance, -1), "rules[0].points" },
        { PlaceKind.County, new PointsRule(PointsRuleNames.ActivityAttendance, 10_001), "rules[0].points" },
        { PlaceKind.County, new PointsRule(PointsRuleNames.ActivityAttendance, 10, Cap: 0), "rules[0].cap" },
        { PlaceKind.County, new PointsRule(PointsRuleNames.ActivityAttendance, 10, Period: (CapPeriod)9), "rules[0].period" },
        { PlaceKind.County, new PointsRule(PointsRuleNames.ActivityAttendance, 10, MaxPoints: 5), "rules[0].maxPoints" },
        { PlaceKind.County, new PointsRule(PointsRuleNames.ActivityAttendance, 10, EffectiveFrom: new DateOnly(2026, 11, 30)), "rules[0].effectiveFrom" },
        { PlaceKind.Community, new PointsRule(PointsRuleNames.HighRating, 5), "rules[0].rule" },
        { PlaceKind.Community, new PointsRule(PointsRuleNames.ActivityAttendance, 21), "rules[0].points" },
        { PlaceKind.Community, new PointsRule(PointsRuleNames.ActivityAttendance, 15, MaxPoints: 15), "rules[0].maxPoints" },
        { PlaceKind.Town, new PointsRule(PointsRuleNames.ActivityAttendance, 25), "rules[0].points" },
        { PlaceKind.Town, new PointsRule(PointsRuleNames.ActivityAttendance, 15, MaxPoints: 30), "rules[0].maxPoints" },
        { PlaceKind.Region, new PointsRule(PointsRuleNames.ActivityAttendance, 10), "id" },
        { PlaceKind.Grid, new PointsRule(PointsRuleNames.ActivityAttendance, 10), "id" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public void A_bad_rule_is_refused_naming_the_field(PlaceKind kind, PointsRule rule, string field)
    {
        // Above: attendance at most 20 below the county.
        EffectiveRule[] inherited = [new(PointsRuleNames.ActivityAttendance, 10, null, CapPeriod.Month, 20, "c1", 1)];

        var outcome = Next(kind, [], new SchemeDraft(December, [rule]), kind == PlaceKind.County ? [] : inherited);

        Assert.Equal((FailureKind.Invalid, field), (outcome.Failure?.Kind, outcome.Failure?.Field));
    }

    [Fact]
    public void A_rule_twice_and_a_version_dated_before_the_last_are_refused()
    {
        var first = Version("c1", 1, December, new PointsRule(PointsRuleNames.ActivityAttendance, 10));

        var twice = Next(PlaceKind.County, [], new SchemeDraft(December, [new PointsRule(PointsRuleNames.HighRating, 1), new PointsRule(PointsRuleNames.HighRating, 2)]), []);
        var earlier = Next(PlaceKind.County, [first], new SchemeDraft(new DateOnly(2026, 11, 1), []), []);

        Assert.Equal("rules[1].rule", twice.Failure?.Field);
        Assert.Equal("effectiveFrom", earlier.Failure?.Field);
    }

    [Fact]
    public void Every_request_kind_and_urgency_has_a_rule_name()
    {
        Assert.Equal("request.wish.urgent", PointsRuleNames.Request(RequestKind.Wish, Urgency.Urgent));
        Assert.All(
            from kind in Enum.GetValues<RequestKind>() from urgency in Enum.GetValues<Urgency>() select PointsRuleNames.Request(kind, urgency),
            name => Assert.True(PointsRuleNames.IsKnown(name), name));
    }

    [Theory]
    [InlineData("2026-11-30T15:59:59+00:00", CapPeriod.Month, "2026-11")]
    [InlineData("2026-11-30T16:00:00+00:00", CapPeriod.Month, "2026-12")]
    [InlineData("2026-12-31T16:00:00+00:00", CapPeriod.Year, "2027")]
    [InlineData("2026-09-30T16:00:00+00:00", CapPeriod.Quarter, "2026-Q4")]
    [InlineData("2026-09-30T15:00:00+00:00", CapPeriod.Quarter, "2026-Q3")]
    public void Periods_are_counted_in_China_time(string at, CapPeriod period, string key) =>
        Assert.Equal(key, PointsCalendar.PeriodKey(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), period));

    private static PointsSchemeVersion Version(string placeId, int version, DateOnly from, params PointsRule[] rules) =>
        new(placeId, version, from, [.. rules], "county.zhao", Now);

    private static Outcome<PointsSchemeVersion> Next(PlaceKind kind, PointsSchemeVersion[] versions, SchemeDraft draft, EffectiveRule[] inherited) =>
        PointsScheme.Next("here", kind, versions, draft, inherited, "county.zhao", Now);

    private static ImmutableArray<EffectiveRule> Resolve(DateOnly on, PointsSchemeVersion[] county, PointsSchemeVersion[]? town = null, PointsSchemeVersion[]? community = null) =>
        PointsScheme.Resolve(
        [
            ("r1", PlaceKind.Region, []),
            ("c1", PlaceKind.County, county),
            ("t1", PlaceKind.Town, town ?? []),
            ("m1", PlaceKind.Community, community ?? []),
        ], on);

    private static (int Points, int Version) Single(ImmutableArray<EffectiveRule> rules)
    {
        var rule = Assert.Single(rules);
        return (rule.Points, rule.SchemeVersion);
    }
}
