using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.UnitTests.Support;
using Dispatch.Suggestions;

namespace Dispatch.UnitTests.Suggestions;

public sealed class SuggestionLifecycleTests
{
    private static readonly DateTimeOffset Filed = Given.Morning;
    private static readonly DateTimeOffset Deadline = Filed.AddDays(10);
    private static readonly TimeSpan Every = TimeSpan.FromDays(1);
    private static readonly SuggestionHandover ToHousing = new("housing-centre", Deadline, Every);

    private static SuggestionView NewOne(string author = "rep.zhang") => SuggestionLifecycle.File(
        "0123456789abcdef0123456789abcdef",
        new NewSuggestion(SuggestionKind.Proposal, "  Lift for building 3 ", "Elderly residents cannot climb six floors.", "m"),
        Given.PlacePath, author, RepresentativeTitle.PeoplesCongress, Filed);

    private static SuggestionView HandedOver() => SuggestionLifecycle.HandOver(NewOne(), ToHousing, "town.zhao", Filed.AddHours(1)).Value!.View;

    [Fact]
    public void A_filed_suggestion_keeps_its_author_title_and_the_place_path_and_waits_for_staff()
    {
        var filed = NewOne();

        Assert.Equal(SuggestionStatus.Filed, filed.Status);
        Assert.Equal("Lift for building 3", filed.Title);
        Assert.Equal(RepresentativeTitle.PeoplesCongress, filed.AuthorTitle);
        Assert.Equal(Given.PlacePath, filed.PlacePath);
        Assert.Null(SuggestionLifecycle.NextDeadline(filed));
    }

    [Fact]
    public void Handing_over_sets_the_department_and_deadline_once_and_a_retry_changes_nothing()
    {
        var handed = SuggestionLifecycle.HandOver(NewOne(), ToHousing, "town.zhao", Filed.AddHours(1)).Value!;

        Assert.Equal(SuggestionStatus.HandedOver, handed.View.Status);
        Assert.Equal("housing-centre", handed.View.DepartmentId);
        Assert.Equal(Deadline, SuggestionLifecycle.NextDeadline(handed.View));
        Assert.Equal(SuggestionAction.HandedOver, Assert.Single(handed.Events).Action);

        var retry = SuggestionLifecycle.HandOver(handed.View, ToHousing, "town.zhao", Filed.AddHours(2)).Value!;
        Assert.False(retry.Changed);

        var elsewhere = SuggestionLifecycle.HandOver(handed.View, ToHousing with { DepartmentId = "hospital" }, "town.zhao", Filed.AddHours(2));
        Assert.Equal("alreadyHandedOver", elsewhere.Failure?.Code);
    }

    [Fact]
    public void A_deadline_in_the_past_is_refused()
    {
        var outcome = SuggestionLifecycle.HandOver(NewOne(), ToHousing with { Deadline = Filed }, "town.zhao", Filed.AddHours(1));

        Assert.Equal(FailureKind.Invalid, outcome.Failure?.Kind);
        Assert.Equal("deadline", outcome.Failure?.Field);
    }

    [Fact]
    public void Unanswered_past_its_deadline_it_climbs_the_place_path_one_level_then_one_per_period_up_to_the_top()
    {
        var handed = HandedOver();

        Assert.False(SuggestionLifecycle.Advance(handed, Deadline.AddSeconds(-1)).Changed);

        // Woken late (five days after the deadline), it ends as if woken at each due time.
        var advanced = SuggestionLifecycle.Advance(handed, Deadline.AddDays(5));

        Assert.Equal(3, advanced.View.Level);
        Assert.True(advanced.View.Overdue);
        Assert.Equal(["t", "c", "r"], advanced.Events.Select(e => e.PlaceId));
        Assert.Equal([Deadline, Deadline + Every, Deadline + (2 * Every)], advanced.Events.Select(e => e.At));
        Assert.Null(SuggestionLifecycle.NextDeadline(advanced.View));
    }

    [Fact]
    public void An_answer_in_time_is_on_time_and_stops_any_climb()
    {
        var answered = SuggestionLifecycle.Answer(HandedOver(), "Funded in next year's budget.", "housing.li", Deadline.AddSeconds(-1)).Value!;

        Assert.Equal(SuggestionStatus.Answered, answered.View.Status);
        Assert.True(answered.View.AnsweredOnTime);
        Assert.Equal(0, answered.View.Level);
        Assert.Null(SuggestionLifecycle.NextDeadline(answered.View));
        Assert.Equal("on time", Assert.Single(answered.Events).Note);
    }

    [Fact]
    public void A_late_answer_applies_the_climbs_due_before_it_and_keeps_the_level()
    {
        // At the deadline itself it has climbed: the deadline is the first moment it is late.
        var answered = SuggestionLifecycle.Answer(HandedOver(), "Done.", "housing.li", Deadline).Value!;

        Assert.False(answered.View.AnsweredOnTime);
        Assert.Equal(1, answered.View.Level);
        Assert.Equal([SuggestionAction.Escalated, SuggestionAction.Answered], answered.Events.Select(e => e.Action));
        Assert.Equal("late", answered.Events[^1].Note);
    }

    [Fact]
    public void Answering_needs_a_hand_over_and_happens_once()
    {
        Assert.Equal("notHandedOver", SuggestionLifecycle.Answer(NewOne(), "Done.", "housing.li", Filed).Failure?.Code);

        var answered = SuggestionLifecycle.Answer(HandedOver(), "Done.", "housing.li", Filed.AddDays(1)).Value!.View;
        Assert.False(SuggestionLifecycle.Answer(answered, "Done.", "housing.li", Filed.AddDays(2)).Value!.Changed);
        Assert.Equal("alreadyAnswered", SuggestionLifecycle.Answer(answered, "Something else.", "housing.li", Filed.AddDays(2)).Failure?.Code);
    }

    [Fact]
    public void Only_the_author_rates_and_only_an_answer_once()
    {
        var handed = HandedOver();
        Assert.Equal("notAnswered", SuggestionLifecycle.Rate(handed, SuggestionRating.Satisfied, "rep.zhang", Filed).Failure?.Code);

        var answered = SuggestionLifecycle.Answer(handed, "Done.", "housing.li", Filed.AddDays(1)).Value!.View;
        Assert.Equal("notAuthor", SuggestionLifecycle.Rate(answered, SuggestionRating.Satisfied, "someone.else", Filed).Failure?.Code);

        var rated = SuggestionLifecycle.Rate(answered, SuggestionRating.BasicallySatisfied, "rep.zhang", Filed.AddDays(2)).Value!.View;
        Assert.Equal(SuggestionRating.BasicallySatisfied, rated.Rating);
        Assert.False(SuggestionLifecycle.Rate(rated, SuggestionRating.BasicallySatisfied, "rep.zhang", Filed.AddDays(3)).Value!.Changed);
        Assert.Equal("alreadyRated", SuggestionLifecycle.Rate(rated, SuggestionRating.Dissatisfied, "rep.zhang", Filed.AddDays(3)).Failure?.Code);
    }

    [Fact]
    public void Bad_fields_are_named_by_their_json_names()
    {
        var errors = SuggestionRules.Check(new NewSuggestion(SuggestionKind.Suggestion, "", new string('x', SuggestionRules.MaxContent + 1), "not a place")).ToDictionary();

        Assert.Equal(["content", "placeId", "title"], errors.Keys.Order(StringComparer.Ordinal));
        var handover = SuggestionRules.CheckHandover(["a", "a"], Filed, Filed).ToDictionary();
        Assert.Contains("suggestionIds", handover.Keys);
        Assert.Contains("deadline", handover.Keys);
    }
}

public sealed class SuggestionScopeTests
{
    private static readonly SuggestionView Handed = new(
        "0123456789abcdef0123456789abcdef", SuggestionKind.Suggestion, "Lift", "Content", "m", ["r", "c", "t", "m"],
        "rep.zhang", RepresentativeTitle.Cppcc, Given.Morning, SuggestionStatus.HandedOver, DepartmentId: "housing-centre");

    [Theory]
    [InlineData("admin", AccountRole.Admin, "r", null, SuggestionAccess.Staff)]
    [InlineData("town.zhao", AccountRole.Staff, "t", null, SuggestionAccess.Staff)]
    [InlineData("other.town", AccountRole.Staff, "t2", null, SuggestionAccess.None)]
    [InlineData("housing.li", AccountRole.Department, "c", "housing-centre", SuggestionAccess.Department)]
    [InlineData("hospital.wu", AccountRole.Department, "c", "hospital", SuggestionAccess.None)]
    [InlineData("rep.zhang", AccountRole.Volunteer, "m", null, SuggestionAccess.Author)]
    [InlineData("rep.wang", AccountRole.Volunteer, "m", null, SuggestionAccess.None)]
    public void Each_caller_stands_to_a_suggestion_by_one_rule(string username, AccountRole role, string placeId, string? department, SuggestionAccess expected) =>
        Assert.Equal(expected, SuggestionScope.Of(new Caller(username, role, placeId), Handed, department));

    [Fact]
    public void A_department_account_reads_only_its_own_queue()
    {
        var housing = new Caller("housing.li", AccountRole.Department, "c");

        Assert.True(SuggestionScope.ReadsQueueOf(housing, "housing-centre", "housing-centre"));
        Assert.False(SuggestionScope.ReadsQueueOf(housing, "hospital", "housing-centre"));
        Assert.False(SuggestionScope.ReadsQueueOf(new Caller("rep.zhang", AccountRole.Volunteer, "m"), "housing-centre", null));
    }
}

public sealed class SuggestionStatisticsTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddMonths(1);

    private static SuggestionView Line(string id, string department, DateTimeOffset handedAt, DateTimeOffset? answeredAt = null, SuggestionRating? rating = null, int level = 0) => new(
        id, SuggestionKind.Suggestion, "T", "C", "m", ["r", "c", "t", "m"], "rep", RepresentativeTitle.PartyCongress, handedAt.AddDays(-1),
        answeredAt is null ? SuggestionStatus.HandedOver : SuggestionStatus.Answered,
        DepartmentId: department, HandedOverAt: handedAt, Deadline: handedAt.AddDays(10), Level: level, AnsweredAt: answeredAt, Rating: rating);

    [Fact]
    public void Counts_per_department_the_suggestions_handed_over_in_the_period_and_what_became_of_them()
    {
        var handed = From.AddDays(2);
        ImmutableArray<SuggestionView> lines =
        [
            Line("a", "housing", handed, handed.AddDays(3), SuggestionRating.Satisfied),
            Line("b", "housing", handed, handed.AddDays(12), SuggestionRating.Dissatisfied, level: 1),
            Line("c", "housing", handed, handed.AddDays(4), SuggestionRating.BasicallySatisfied),
            Line("d", "housing", handed, level: 2),
            Line("e", "hospital", handed, handed.AddDays(1)),
            Line("f", "hospital", From.AddDays(-1), handed),
            Line("g", "hospital", To),
        ];

        var figures = SuggestionStatistics.ByDepartment(lines, From, To);

        Assert.Equal(["hospital", "housing"], figures.Select(f => f.DepartmentId));
        var housing = figures[1];
        Assert.Equal((4, 3, 2, 2, 3, 1, 1, 1), (housing.HandedOver, housing.Answered, housing.AnsweredOnTime, housing.Escalated, housing.Rated, housing.Satisfied, housing.BasicallySatisfied, housing.Dissatisfied));
        Assert.Equal(2.0 / 3, housing.Satisfaction!.Value, 6);
        var hospital = figures[0];
        Assert.Equal((1, 1, 1, 0), (hospital.HandedOver, hospital.Answered, hospital.AnsweredOnTime, hospital.Rated));
        Assert.Null(hospital.Satisfaction);
    }

    [Fact]
    public void A_places_totals_count_the_suggestions_about_it_or_below_handed_over_in_the_period_and_all_time_without_one()
    {
        var handed = From.AddDays(2);
        ImmutableArray<SuggestionView> lines =
        [
            Line("a", "housing", handed, handed.AddDays(3)),
            Line("b", "housing", handed, handed.AddDays(12), level: 1),
            Line("c", "hospital", handed),
            Line("d", "hospital", To, To.AddDays(1)),
            Line("e", "housing", handed) with { PlaceId = "t2", PlacePath = ["r", "c", "t2"] },
            Line("f", "housing", handed) with { DepartmentId = null, HandedOverAt = null, Status = SuggestionStatus.Filed },
        ];

        Assert.Equal(new SuggestionTotals(3, 2, 1), SuggestionStatistics.Totals(lines, "t", From, To));
        Assert.Equal(new SuggestionTotals(3, 2, 1), SuggestionStatistics.Totals(lines, "m", From, To));
        Assert.Equal(new SuggestionTotals(4, 3, 2), SuggestionStatistics.Totals(lines, "m", null, null));
        Assert.Equal(new SuggestionTotals(5, 3, 2), SuggestionStatistics.Totals(lines, "c", null, null));
        Assert.Equal(SuggestionTotals.None, SuggestionStatistics.Totals(lines, "t2", To, null));
    }
}
