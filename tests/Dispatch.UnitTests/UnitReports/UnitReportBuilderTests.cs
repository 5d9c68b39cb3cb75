using System.Collections.Immutable;
using Dispatch.Honours;
using Dispatch.Hours;
using Dispatch.Organisations;
using Dispatch.UnitReports;
using Dispatch.Volunteers;

namespace Dispatch.UnitTests.UnitReports;

/// <summary>Unit reports (双报告): each member's figures for the period from their own records, the unit's totals as their sums.</summary>
public sealed class UnitReportBuilderTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly OrganisationView Bank = new("bank", "县农商银行", ["m1", "m2"], ["li", "wang"], "staff-t1", From.AddMonths(-6));

    [Fact]
    public void A_members_completions_commitments_and_figures_count_only_what_happened_in_the_period()
    {
        // Two person-times: an activity attended and the request she completed, which is one commitment kept, not two.
        var li = Records("li", "李娜", "m1", minutes: 150, personTimes: 2, attended: 1, points: 12, ratings: new RatingTally("li", 2, 9), history:
        [
            (From.AddDays(-1), VolunteerAction.Completed), // before the period
            (From, VolunteerAction.Claimed),
            (From.AddDays(2), VolunteerAction.Completed),
            (From.AddDays(3), VolunteerAction.Completed),
            (From.AddDays(4), VolunteerAction.ClaimReinstated), // one verification overturned
            (From.AddDays(5), VolunteerAction.Released),
            (From.AddDays(6), VolunteerAction.OfferDeclined),
            (To, VolunteerAction.Released), // after the period (To is exclusive)
        ]);

        var line = UnitReportBuilder.Line(li, From, To);

        Assert.Equal(("li", "李娜", "m1"), (line.Username, line.DisplayName, line.CommunityId));
        Assert.Equal(new UnitFigures(1, 2.5m, 2, 1, 4.5m, 2, 12, 2, 1), line.Figures);
    }

    [Fact]
    public void A_unit_lists_only_its_members_by_name_and_sums_their_figures_with_one_average_rating()
    {
        MemberRecords[] records =
        [
            Records("wang", "王芳", "m2", minutes: 20, personTimes: 1, points: 5, ratings: new RatingTally("wang", 1, 3), history: [(From.AddDays(1), VolunteerAction.Completed)]),
            Records("li", "李娜", "m1", minutes: 20, personTimes: 0, points: -2, ratings: new RatingTally("li", 2, 10), history: [(From.AddDays(1), VolunteerAction.Released)]),
            Records("zhao", "赵强", "m1", minutes: 600, personTimes: 4, points: 50, ratings: null, history: []), // not a member
        ];

        var report = UnitReportBuilder.Build(Bank, From, To, records);

        Assert.Equal(("bank", "县农商银行", From, To), (report.OrganisationId, report.Name, report.From, report.To));
        Assert.Equal(["李娜", "王芳"], report.Members.Select(m => m.DisplayName));
        Assert.Equal([0.33m, 0.33m], report.Members.Select(m => m.Figures.Hours));
        // Hours add up as shown on the sheet; the rating is (3 + 10) / 3 over all ratings, not the average of averages.
        Assert.Equal(new UnitFigures(2, 0.66m, 1, 1, 4.33m, 3, 3, 2, 1), report.Totals);
    }

    [Fact]
    public void A_unit_with_no_members_or_nothing_done_reports_zeros_and_no_rating()
    {
        var empty = UnitReportBuilder.Build(Bank with { Members = [] }, From, To, []);
        var idle = UnitReportBuilder.Build(Bank, From, To, [Records("li", "李娜", "m1", 0, 0, 0, null, [])]);

        Assert.Equal(new UnitFigures(0, 0m, 0, 0, null, 0, 0, 0, 0), empty.Totals);
        Assert.Empty(empty.Members);
        Assert.Equal(new UnitFigures(1, 0m, 0, 0, null, 0, 0, 0, 0), idle.Totals);
    }

    [Fact]
    public void A_member_whose_volunteer_record_is_gone_shows_their_username_and_hours()
    {
        var gone = new MemberRecords("wang", null, Hours("wang", 90, 1), 0, null);

        var line = Assert.Single(UnitReportBuilder.Build(Bank, From, To, [gone]).Members);

        Assert.Equal(("wang", "wang", "", 1.5m, 1), (line.Username, line.DisplayName, line.CommunityId, line.Figures.Hours, line.Figures.CommitmentsKept));
    }

    private static MemberRecords Records(
        string username, string name, string communityId, int minutes, int personTimes, int points, RatingTally? ratings,
        (DateTimeOffset At, VolunteerAction Action)[] history, int? attended = null)
    {
        var volunteer = new VolunteerView(
            username, name, communityId, [], [], 3, 0, From.AddYears(-1),
            [.. history.Select(h => new VolunteerHistoryEntry(h.At, h.Action, Guid.NewGuid()))], [], [], "县农商银行");
        return new MemberRecords(username, volunteer, Hours(username, minutes, personTimes, attended), points, ratings);
    }

    /// <summary>Hours with <paramref name="personTimes"/> services: <paramref name="attended"/> activities (all of them without it), the rest requests.</summary>
    private static VolunteerHoursView Hours(string username, int minutes, int personTimes, int? attended = null) =>
        new(username, From, To, minutes, HoursLimits.ToHours(minutes), personTimes, minutes, HoursLimits.ToHours(minutes), 0, 100,
            [.. Enumerable.Range(0, personTimes).Select(i => Service(i < (attended ?? personTimes) ? HoursSource.Activity : HoursSource.Request))]);

    private static HoursEntryView Service(HoursSource source) =>
        new(Guid.NewGuid(), source, Guid.NewGuid(), "Service", "m1", From.AddDays(1), 30, false, "staff-m1", From.AddDays(1), null, []);
}
