using Dispatch.Activities;
using Dispatch.Common;
using Dispatch.UnitTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.UnitTests.Activities;

/// <summary>An activity as an event: places and the waiting list, the check-in window and code, attendance, no-shows and service time.</summary>
public sealed class ActivityEventTests
{
    // The free clinic runs 09:00 to 11:00 the morning after it is published.
    private static readonly DateTimeOffset Published = Given.Morning.AddDays(-1);
    private static readonly DateTimeOffset Start = Given.Morning;
    private static readonly DateTimeOffset End = Given.Morning.AddHours(2);

    private static readonly Actor Organiser = Given.Volunteer("dr.li");
    private static readonly Actor Wang = Given.Volunteer("wang.fang");
    private static readonly Actor Zhao = Given.Volunteer("zhao.lei");
    private static readonly Actor Sun = Given.Volunteer("sun.yue");
    private static readonly Actor OtherStaff = new("staff.far", AccountRole.Staff, Given.OtherCommunityId);

    private readonly FakeTimeProvider clock = new(Published);

    private DateTimeOffset Now => clock.GetUtcNow();

    [Fact]
    public void Signing_up_takes_the_free_places_in_order_and_then_joins_the_waiting_list()
    {
        var clinic = Clinic(places: 2);

        var first = clinic.SignUp(Wang, Now).Value!;
        var second = clinic.SignUp(Zhao, Now).Value!;
        var third = clinic.SignUp(Sun, Now).Value!;

        Assert.Equal((AttendanceStatus.SignedUp, AttendanceStatus.SignedUp, AttendanceStatus.Waiting), (first.Status, second.Status, third.Status));
        Assert.Equal((2, 1), (clinic.PlacesTaken, clinic.WaitingList.Length));
        Assert.Equal(1, clinic.ToView("sun.yue", Now).Mine!.WaitingPosition);
        Assert.Null(clinic.ToView("wang.fang", Now).Mine!.WaitingPosition);
    }

    [Fact]
    public void Signing_up_twice_is_refused_and_changes_nothing()
    {
        var clinic = Clinic(places: 2);
        clinic.SignUp(Wang, Now);
        var version = clinic.Version;

        var again = clinic.SignUp(Wang, Now);

        Assert.Equal(("alreadySignedUp", FailureKind.Conflict), (again.Failure?.Code, again.Failure?.Kind));
        Assert.Equal((version, 1), (clinic.Version, clinic.Roster.Length));
    }

    [Fact]
    public void A_withdrawal_gives_the_place_to_the_first_who_waits_and_keeps_the_rest_in_line()
    {
        var clinic = Clinic(places: 1);
        clinic.SignUp(Wang, Now);
        clinic.SignUp(Zhao, Now);
        clinic.SignUp(Sun, Now);
        clock.Advance(TimeSpan.FromHours(1));

        var promoted = clinic.Withdraw(Wang, Now);

        Assert.Equal("zhao.lei", promoted.Value!.Volunteer);
        Assert.Equal((AttendanceStatus.SignedUp, Now), (clinic.Find("zhao.lei")!.Status, clinic.Find("zhao.lei")!.PlacedAt));
        Assert.Equal((AttendanceStatus.Waiting, 1), (clinic.Find("sun.yue")!.Status, clinic.ToView("sun.yue", Now).Mine!.WaitingPosition));
        Assert.Null(clinic.Find("wang.fang"));
        Assert.Equal(ActivityAction.PromotedFromWaitingList, clinic.History[^1].Action);
    }

    [Fact]
    public void Leaving_the_waiting_list_promotes_no_one()
    {
        var clinic = Clinic(places: 1);
        clinic.SignUp(Wang, Now);
        clinic.SignUp(Zhao, Now);

        var left = clinic.Withdraw(Zhao, Now);

        Assert.Null(left.Value!.Volunteer);
        Assert.Equal((1, 0), (clinic.PlacesTaken, clinic.WaitingList.Length));
    }

    [Fact]
    public void The_code_is_shown_only_to_the_organiser_or_staff_in_scope_and_only_during_the_event()
    {
        var clinic = Clinic(places: 2);

        Assert.Equal("activityNotStarted", clinic.CurrentCode(Organiser, staffInScope: false, Now).Failure?.Code);
        clock.SetUtcNow(Start);
        var code = clinic.CurrentCode(Organiser, staffInScope: false, Now).Value!;
        Assert.Matches("^[0-9]{6}$", code.Code);
        Assert.Equal(Start + ActivityLimits.CodeSpan, code.ValidUntil);
        Assert.Equal(code, clinic.CurrentCode(Given.GridWorker, staffInScope: true, Now).Value);
        Assert.Equal(code, clinic.CurrentCode(Given.Admin, staffInScope: false, Now).Value);
        Assert.Equal("notOrganiser", clinic.CurrentCode(Wang, staffInScope: false, Now).Failure?.Code);
        Assert.Equal("notOrganiser", clinic.CurrentCode(OtherStaff, staffInScope: false, Now).Failure?.Code);
        clock.SetUtcNow(End);
        Assert.Equal("activityEnded", clinic.CurrentCode(Organiser, staffInScope: false, Now).Failure?.Code);
    }

    [Fact]
    public void The_code_changes_every_span_and_the_one_just_before_is_still_accepted()
    {
        var clinic = Clinic(places: 3);
        clinic.SignUp(Wang, Now);
        clinic.SignUp(Zhao, Now);
        clock.SetUtcNow(Start.AddMinutes(5));
        var first = clinic.CurrentCode(Organiser, false, Now).Value!.Code;
        clock.SetUtcNow(Start.AddMinutes(15));
        var second = clinic.CurrentCode(Organiser, false, Now).Value!.Code;
        Assert.NotEqual(first, second);

        Assert.Null(clinic.CheckIn(Wang, first, Now));
        clock.SetUtcNow(Start.AddMinutes(25));
        var stale = clinic.CheckIn(Zhao, first, Now);

        Assert.Equal(("wrongCheckInCode", "code"), (stale?.Code, stale?.Field));
        Assert.Equal(AttendanceStatus.CheckedIn, clinic.Find("wang.fang")!.Status);
    }

    [Fact]
    public void Check_in_is_open_only_during_the_event_to_volunteers_holding_a_place()
    {
        var clinic = Clinic(places: 1);
        clinic.SignUp(Wang, Now);
        clinic.SignUp(Zhao, Now);
        clock.SetUtcNow(Start.AddMinutes(-1));
        var early = clinic.CheckIn(Wang, "000000", Now);
        clock.SetUtcNow(Start.AddMinutes(3));
        var code = CodeNow(clinic);

        Assert.Equal("activityNotStarted", early?.Code);
        Assert.Equal("onWaitingList", clinic.CheckIn(Zhao, code, Now)?.Code);
        Assert.Equal("notSignedUp", clinic.CheckIn(Sun, code, Now)?.Code);
        Assert.Null(clinic.CheckIn(Wang, code, Now));
        var version = clinic.Version;
        Assert.Null(clinic.CheckIn(Wang, code, Now));
        Assert.Equal(version, clinic.Version);
        Assert.Equal(Now, clinic.Find("wang.fang")!.CheckedInAt);
    }

    [Fact]
    public void Wrong_codes_are_counted_and_the_fifth_locks_the_volunteer_out()
    {
        var clinic = Clinic(places: 1);
        clinic.SignUp(Wang, Now);
        clock.SetUtcNow(Start);
        var right = CodeNow(clinic);
        var wrong = right == "123456" ? "654321" : "123456";

        for (var i = 0; i < ActivityLimits.MaxWrongCodes; i++)
        {
            Assert.Equal("wrongCheckInCode", clinic.CheckIn(Wang, wrong, Now)?.Code);
        }

        Assert.Equal("checkInLocked", clinic.CheckIn(Wang, right, Now)?.Code);
        Assert.Equal((ActivityLimits.MaxWrongCodes, AttendanceStatus.SignedUp), (clinic.Find("wang.fang")!.WrongCodes, clinic.Find("wang.fang")!.Status));
    }

    [Fact]
    public void Service_time_runs_from_check_in_to_check_out_and_a_person_time_counts_each_volunteer_who_came()
    {
        var clinic = Clinic(places: 3);
        clinic.SignUp(Wang, Now);
        clinic.SignUp(Zhao, Now);
        clock.SetUtcNow(Start.AddMinutes(10));
        Assert.Null(clinic.CheckIn(Wang, CodeNow(clinic), Now));
        clock.SetUtcNow(Start.AddMinutes(20));
        Assert.Null(clinic.CheckIn(Zhao, CodeNow(clinic), Now));
        clock.SetUtcNow(Start.AddMinutes(100));

        Assert.Null(clinic.CheckOut(Wang, Now));
        var list = clinic.AttendanceFor(Organiser, false, Now).Value!;

        Assert.Equal(90, list.Attendance.Single(a => a.Volunteer == "wang.fang").Minutes);
        Assert.Equal(80, list.Attendance.Single(a => a.Volunteer == "zhao.lei").Minutes);
        Assert.Equal((2, 0, 170), (list.PersonTimes, list.NoShows, list.ServiceMinutes));
        Assert.Equal("notSignedUp", clinic.CheckOut(Sun, Now)?.Code);
        clinic.SignUp(Sun, Now);
        Assert.Equal("notCheckedIn", clinic.CheckOut(Sun, Now)?.Code);
    }

    [Fact]
    public void When_the_event_ends_places_never_used_are_no_shows_and_those_still_there_are_checked_out_at_the_end()
    {
        var clinic = Clinic(places: 3);
        clinic.SignUp(Wang, Now);
        clinic.SignUp(Zhao, Now);
        clinic.SignUp(Sun, Now);
        clock.SetUtcNow(Start.AddMinutes(30));
        clinic.CheckIn(Wang, CodeNow(clinic), Now);
        clinic.CheckIn(Zhao, CodeNow(clinic), Now);
        clock.SetUtcNow(Start.AddMinutes(60));
        clinic.CheckOut(Zhao, Now);

        Assert.False(clinic.Advance(End.AddTicks(-1)));
        Assert.True(clinic.Advance(End.AddMinutes(7)));
        Assert.False(clinic.Advance(End.AddMinutes(8)));

        Assert.Equal(AttendanceStatus.NoShow, clinic.Find("sun.yue")!.Status);
        Assert.Equal((AttendanceStatus.CheckedOut, End, true), (clinic.Find("wang.fang")!.Status, clinic.Find("wang.fang")!.CheckedOutAt, clinic.Find("wang.fang")!.AutoCheckOut));
        Assert.False(clinic.Find("zhao.lei")!.AutoCheckOut);
        var list = clinic.AttendanceFor(Given.GridWorker, staffInScope: true, End.AddHours(5)).Value!;
        Assert.Equal((ActivityPhase.Ended, 2, 1, 90 + 30), (list.Phase, list.PersonTimes, list.NoShows, list.ServiceMinutes));
        Assert.Equal(End, clinic.History.Single(e => e.Action == ActivityAction.NoShow).At);
    }

    [Fact]
    public void After_the_end_nobody_signs_up_withdraws_checks_in_or_out()
    {
        var clinic = Clinic(places: 2);
        clinic.SignUp(Wang, Now);
        clock.SetUtcNow(End);
        clinic.Advance(Now);
        var version = clinic.Version;

        Assert.Equal("activityEnded", clinic.SignUp(Zhao, Now).Failure?.Code);
        Assert.Equal("activityEnded", clinic.Withdraw(Wang, Now).Failure?.Code);
        Assert.Equal("activityEnded", clinic.CheckIn(Wang, "123456", Now)?.Code);
        Assert.Equal(version, clinic.Version);
    }

    [Fact]
    public void A_volunteer_who_checked_in_cannot_withdraw_and_the_attendance_list_is_for_the_organiser_and_staff_in_scope()
    {
        var clinic = Clinic(places: 2);
        clinic.SignUp(Wang, Now);
        clock.SetUtcNow(Start);
        clinic.CheckIn(Wang, CodeNow(clinic), Now);

        Assert.Equal("alreadyCheckedIn", clinic.Withdraw(Wang, Now).Failure?.Code);
        Assert.Equal("notOrganiser", clinic.AttendanceFor(Wang, false, Now).Failure?.Code);
        Assert.Equal("notOrganiser", clinic.AttendanceFor(OtherStaff, false, Now).Failure?.Code);
        Assert.True(clinic.AttendanceFor(Organiser, false, Now).Succeeded);
    }

    [Fact]
    public void Minutes_count_only_inside_the_event_window()
    {
        var line = new Attendance("wang.fang", AttendanceStatus.CheckedOut, Published, Published, Start.AddMinutes(-30), End.AddMinutes(45));

        Assert.Equal(120, line.MinutesWithin(Start, End, End.AddDays(1)));
        Assert.Equal(0, (line with { CheckedInAt = null }).MinutesWithin(Start, End, End));
    }

    [Fact]
    public void Codes_are_six_digits_fixed_for_a_key_and_slot_and_differ_between_keys()
    {
        var key = ActivityRules.NewCodeKey();

        Assert.Equal(ActivityRules.Code(key, 3), ActivityRules.Code(key, 3));
        Assert.Matches("^[0-9]{6}$", ActivityRules.Code(key, 0));
        var others = Enumerable.Range(0, 20).Select(_ => ActivityRules.Code(ActivityRules.NewCodeKey(), 3)).ToHashSet();
        Assert.True(others.Count > 15);
    }

    [Fact]
    public void The_event_window_must_be_a_real_span_with_a_venue_and_an_organiser()
    {
        var errors = ActivityLimits.Validate(new EventDetails(Start, Start.AddMinutes(5), " ", "not a user!")).ToDictionary();

        Assert.Equal(["endsAt", "organiser", "venue"], errors.Keys.Order());
        Assert.True(ActivityLimits.Validate(new EventDetails(Start, End, "Community hall", "dr.li")).IsEmpty);
        Assert.Contains("startsAt", ActivityLimits.Validate(new EventDetails(default, End, "Hall", "dr.li")).ToDictionary().Keys);
        Assert.Contains("endsAt", ActivityLimits.Validate(new EventDetails(Start, Start.AddDays(2), "Hall", "dr.li")).ToDictionary().Keys);
    }

    private ActivityEvent Clinic(int places) => ActivityEvent.Schedule(
        Guid.NewGuid(),
        new NewActivityEvent(Given.CommunityId, "Free clinic", places, new EventDetails(Start, End, "Community hall", "dr.li")),
        Given.GridWorker,
        ActivityRules.NewCodeKey(),
        Now);

    private string CodeNow(ActivityEvent clinic) => clinic.CurrentCode(Organiser, false, Now).Value!.Code;
}
