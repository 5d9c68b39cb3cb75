using System.Collections.Immutable;
using Dispatch.Honours;
using Dispatch.Hours;
using Dispatch.Points;
using Dispatch.Volunteers;

namespace Dispatch.UnitTests.Honours;

/// <summary>Honour lists and certificates: periods in China time, rankings with shared ranks, units over their members, certificates as issued.</summary>
public sealed class HonoursTests
{
    private static readonly Dictionary<string, (string Name, ImmutableArray<string> Members)> NoUnits = [];
    private static readonly Dictionary<string, string> Names = new() { ["li"] = "李娜", ["wang"] = "王芳", ["zhao"] = "赵强" };

    [Theory]
    [InlineData("2026-11", "2026-10-31T16:00:00+00:00", "2026-11-30T16:00:00+00:00")]
    [InlineData("2026-Q4", "2026-09-30T16:00:00+00:00", "2026-12-31T16:00:00+00:00")]
    [InlineData("2026", "2025-12-31T16:00:00+00:00", "2026-12-31T16:00:00+00:00")]
    public void A_period_is_a_month_quarter_or_year_in_China_time(string key, string from, string to)
    {
        var period = HonoursPeriod.Parse(key).Value!;

        Assert.Equal((DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture)), (period.From, period.To));
        Assert.True(period.Contains(period.From));
        Assert.False(period.Contains(period.To));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-13")]
    [InlineData("2026-Q5")]
    [InlineData("2026-11-01")]
    [InlineData("November")]
    [InlineData("1999")]
    public void A_bad_period_is_refused_naming_it(string? key) =>
        Assert.Equal("period", HonoursPeriod.Parse(key).Failure?.Field);

    [Fact]
    public void People_are_ranked_highest_first_with_equal_figures_sharing_a_rank_and_nobody_with_nothing_listed()
    {
        HonoursFigures[] people = [Figures("li", 120, 30), Figures("wang", 120, 10), Figures("zhao", 60, 50), Figures("zhou", 0, 0)];

        var byHours = HonoursRanking.Rank(people, HonoursBy.Hours, HonoursOf.People, NoUnits, Names);
        var byPoints = HonoursRanking.Rank(people, HonoursBy.Points, HonoursOf.People, NoUnits, Names);

        Assert.Equal([(1, "李娜", 2m), (1, "王芳", 2m), (3, "赵强", 1m)], byHours.Select(l => (l.Rank, l.Name, l.Hours)));
        Assert.Equal(["zhao", "li", "wang"], byPoints.Select(l => l.Key));
    }

    [Fact]
    public void By_rating_only_the_rated_are_listed_by_their_average_then_by_how_many_ratings()
    {
        HonoursFigures[] people = [Figures("li", 60, 0, ratings: 2, sum: 9), Figures("wang", 60, 0, ratings: 4, sum: 18), Figures("zhao", 600, 0)];

        var lines = HonoursRanking.Rank(people, HonoursBy.Rating, HonoursOf.People, NoUnits, Names);

        Assert.Equal([("wang", 4.5m, 4), ("li", 4.5m, 2)], lines.Select(l => (l.Key, l.Rating!.Value, l.Ratings)));
        Assert.Equal([1, 1], lines.Select(l => l.Rank));
    }

    [Fact]
    public void A_unit_sums_its_members_figures_and_averages_all_their_ratings()
    {
        HonoursFigures[] people = [Figures("li", 60, 10, 1, 5), Figures("wang", 30, 5, 1, 3), Figures("zhao", 600, 100)];
        var units = new Dictionary<string, (string, ImmutableArray<string>)>
        {
            ["bank"] = ("县农商银行", ["li", "wang", "nobody"]),
            ["school"] = ("实验小学", ["zhao"]),
            ["idle"] = ("税务局", []),
        };

        var lines = HonoursRanking.Rank(people, HonoursBy.Hours, HonoursOf.Units, units, Names);

        Assert.Equal([("school", 10m, 100, 1), ("bank", 1.5m, 15, 2)], lines.Select(l => (l.Key, l.Hours, l.Points, l.Members)));
        Assert.Equal(4m, lines[1].Rating);
    }

    [Fact]
    public void A_units_hours_are_its_members_hours_summed_as_shown_as_its_report_sums_them()
    {
        // 140 + 140 + 45 minutes: 2.33 + 2.33 + 0.75 = 5.41 on the members' lines (and in the unit's report), where
        // the minutes summed first would make 5.42, a figure no line adds up to.
        HonoursFigures[] people = [Figures("li", 140, 20), Figures("wang", 140, 45), Figures("zhao", 45, 12)];
        var units = new Dictionary<string, (string, ImmutableArray<string>)> { ["bank"] = ("县农商银行", ["li", "wang", "zhao"]) };

        var members = HonoursRanking.Rank(people, HonoursBy.Hours, HonoursOf.People, NoUnits, Names);
        var unit = Assert.Single(HonoursRanking.Rank(people, HonoursBy.Hours, HonoursOf.Units, units, Names));

        Assert.Equal([2.33m, 2.33m, 0.75m], members.Select(l => l.Hours));
        Assert.Equal(5.41m, unit.Hours);
        Assert.Equal(members.Sum(l => l.Hours), unit.Hours);
    }

    [Fact]
    public void A_certificate_holds_the_person_the_organiser_each_service_oldest_first_and_the_totals()
    {
        var period = HonoursPeriod.Parse("2026-11").Value!;
        var at = new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.FromHours(8));
        VolunteerHoursView hours = new("li", period.From, period.To, 150, 2.5m, 1, 900, 15m, 0, 100,
        [
            Entry("Helping at the clinic", at.AddDays(5), 90, HoursSource.Activity, manual: false),
            Entry("Winter clothes drive", at, 60, HoursSource.Manual, manual: true),
        ]);
        var volunteer = new VolunteerView("li", "李娜", "m1", [], [], 5, 0, at, [], [], [], null);

        var certificate = Dispatch.Honours.CertificateRules.Compose("c0ffee", volunteer, new Dictionary<string, string> { ["m1"] = "红旗社区" }, period, hours, 42, "staff-t1", at.AddDays(20));

        Assert.Equal(("李娜", "红旗社区", "2026-11", 2.5m, 1, 42, "staff-t1"), (certificate.PersonName, certificate.Organiser, certificate.Period, certificate.TotalHours, certificate.PersonTimes, certificate.Points, certificate.IssuedBy));
        Assert.Equal([("Winter clothes drive", 1m, true), ("Helping at the clinic", 1.5m, false)], certificate.Services.Select(s => (s.Title, s.Hours, s.Manual)));
        Assert.Equal("红旗社区", certificate.Services[0].Organiser);
    }

    [Fact]
    public void Points_of_a_period_are_counted_by_when_they_were_earned_and_spending_does_not_lower_them()
    {
        var ledger = new PointsLedger("li");
        var november = HonoursPeriod.Parse("2026-11").Value!;
        var inside = november.From.AddDays(3);
        ledger.Post(new PointsPosting("a", "m1", 30, PostingKind.Earning, "r", "x", "s"), inside);
        ledger.Post(new PointsPosting("b", "m1", 20, PostingKind.Earning, "r", "x", "s", EarnedAt: november.From.AddDays(-1)), inside);
        ledger.Post(new PointsPosting("c", "m1", -10, PostingKind.Redemption, "o", "x", "li"), inside);
        ledger.Post(new PointsPosting("d", "m1", -5, PostingKind.Adjustment, "j", "x", "s"), inside);

        Assert.Equal(25, ledger.EarnedBetween(november.From, november.To));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", false)]
    [InlineData("0123456789abcdef", false)]
    [InlineData("../../etc/passwd-0123456789abcdef", false)]
    public void Only_the_shape_of_a_certificate_id_is_looked_up(string id, bool shaped) =>
        Assert.Equal(shaped, CertificateKeys.IsId(id));

    private static HonoursFigures Figures(string username, int minutes, int points, int ratings = 0, int sum = 0) =>
        new(username, "m1", minutes, points, ratings, sum);

    private static HoursEntryView Entry(string title, DateTimeOffset at, int minutes, HoursSource source, bool manual) =>
        new(Guid.NewGuid(), source, Guid.NewGuid(), title, "m1", at, minutes, manual, "staff", at, null, []);
}
