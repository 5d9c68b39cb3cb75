using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Escalation;

/// <summary>Rule 5: first-responder ownership, and an acknowledged alert stops climbing.</summary>
public sealed class AcknowledgeTests
{
    [Fact]
    public void The_first_staff_member_to_acknowledge_becomes_the_owner()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        Assert.Null(request.Acknowledge(GridWorker, At(1)));

        Assert.Equal(GridWorker.Username, request.Owner);
        Assert.Empty(request.Supervisors);
        var entry = request.History[^1];
        Assert.Equal(
            (GridWorker.Username, RequestAction.Acknowledged, (RequestStatus?)RequestStatus.Open, RequestStatus.Open, At(1)),
            (entry.Actor, entry.Action, entry.From, entry.To, entry.At));
        Assert.Equal(2, request.Version);
    }

    [Fact]
    public void Later_staff_become_supervisors_once_each()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        Assert.Null(request.Acknowledge(GridWorker, At(1)));

        Assert.Null(request.Acknowledge(TownStaff, At(2)));
        Assert.Null(request.Acknowledge(CountyStaff, At(3)));
        Assert.Null(request.Acknowledge(TownStaff, At(4)));

        Assert.Equal(GridWorker.Username, request.Owner);
        Assert.Equal<string>([TownStaff.Username, CountyStaff.Username], request.Supervisors);
    }

    [Fact]
    public void The_owner_acknowledging_again_stays_the_owner_and_is_not_a_supervisor()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        Assert.Null(request.Acknowledge(GridWorker, At(1)));

        Assert.Null(request.Acknowledge(GridWorker, At(2)));

        Assert.Equal(GridWorker.Username, request.Owner);
        Assert.Empty(request.Supervisors);
    }

    [Fact]
    public void An_admin_counts_as_staff()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        Assert.Null(request.Acknowledge(Admin, At(1)));

        Assert.Equal(Admin.Username, request.Owner);
    }

    [Fact]
    public void A_volunteer_may_not_acknowledge_and_nothing_changes()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.Advance(At(2));
        var before = Snapshot(request);

        var failure = request.Acknowledge(Volunteer("li.na"), At(3));

        Assert.NotNull(failure);
        Assert.Equal(FailureKind.Forbidden, failure.Kind);
        Assert.Equal("staffOnly", failure.Code);
        Assert.Equal(before, Snapshot(request));
        Assert.Null(request.Owner);
        Assert.False(request.Acknowledged);
        Assert.Contains(request.Deadlines(), d => d.Kind == DeadlineKind.Escalation);
    }

    public static TheoryData<string> FinalRequests => new() { "verified", "cancelled" };

    [Theory]
    [MemberData(nameof(FinalRequests))]
    public void A_final_request_cannot_be_acknowledged(string which)
    {
        var request = which == "verified" ? VerifiedWish() : CancelledWish();
        var before = Snapshot(request);

        var failure = request.Acknowledge(GridWorker, Morning.AddMinutes(1));

        Assert.NotNull(failure);
        Assert.Equal(FailureKind.Conflict, failure.Kind);
        Assert.Equal("invalidTransition", failure.Code);
        Assert.Equal(before, Snapshot(request));
        Assert.Null(request.Owner);
    }

    [Fact]
    public void Acknowledging_an_overdue_request_stops_the_climb()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.Advance(At(2));
        Assert.Equal(At(4), request.NextDue);

        Assert.Null(request.Acknowledge(TownStaff, At(3)));

        Assert.True(request.Acknowledged);
        Assert.True(request.Overdue);
        Assert.DoesNotContain(request.Deadlines(), d => d.Kind == DeadlineKind.Escalation);
        Assert.Empty(request.Deadlines());
        Assert.Null(request.NextDue);

        Assert.Empty(request.Advance(At(4)));
        Assert.Empty(request.Advance(Morning.AddDays(365)));
        Assert.Equal(1, request.EscalationLevel);
        Assert.Equal("t", request.EscalationPlaceId);
    }

    [Fact]
    public void A_supervisor_acknowledging_also_stops_the_climb()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        Assert.Null(request.Acknowledge(GridWorker, At(1)));
        request.Advance(At(4));
        Assert.Equal(2, request.EscalationLevel);

        Assert.Null(request.Acknowledge(CountyStaff, At(5)));

        Assert.Equal(GridWorker.Username, request.Owner);
        Assert.Equal<string>([CountyStaff.Username], request.Supervisors);
        Assert.Empty(request.Advance(Morning.AddDays(1)));
        Assert.Equal(2, request.EscalationLevel);
    }

    [Fact]
    public void After_an_acknowledged_alert_a_missed_later_stage_escalates_and_climbs_again()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.Advance(At(2));
        Assert.Null(request.Acknowledge(TownStaff, At(3)));
        Assert.Empty(request.Advance(At(10)));

        request.ApplyClaim("li.na", At(10));
        Assert.False(request.Acknowledged);
        Assert.False(request.Overdue);

        var events = request.Advance(At(12));

        Assert.Equal(new ClockEvent(DeadlineKind.Stage, 2, "c", null), events[0]);
        Assert.Equal(2, request.EscalationLevel);
        Assert.False(request.Acknowledged);
        Assert.Equal(At(14), request.NextClimbAt);
        Assert.Contains(request.Deadlines(), d => d.Kind == DeadlineKind.Escalation && d.Due == At(14) && d.Level == 3);

        request.Advance(At(14));
        Assert.Equal(3, request.EscalationLevel);
        Assert.Equal(TownStaff.Username, request.Owner);
        Assert.Contains("owner 'town.zhao'", request.History[^1].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void After_falling_back_an_acknowledged_alert_stays_quiet_until_the_restarted_stage_clock_runs_out()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.ApplyClaim("li.na", At(0));
        Assert.Null(request.Start(Volunteer("li.na"), At(0)));
        request.Advance(At(2));
        Assert.Null(request.Acknowledge(TownStaff, At(3)));
        Assert.Null(request.Release(Volunteer("li.na"), At(3)));

        Assert.True(request.Acknowledged);
        Assert.Equal<Deadline>([new Deadline(DeadlineKind.Stage, Stage.Claim, At(5))], request.Deadlines());
        Assert.Empty(request.Advance(At(4.9)));
        Assert.Equal(1, request.EscalationLevel);

        Assert.Equal<ClockEvent>([new ClockEvent(DeadlineKind.Stage, 2, "c", null)], request.Advance(At(5)));
        Assert.False(request.Acknowledged);
        Assert.Equal(At(7), request.NextClimbAt);
        request.Advance(At(7));
        Assert.Equal(3, request.EscalationLevel);
    }

    [Fact]
    public void Acknowledging_before_the_deadline_does_not_hold_back_the_escalation()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        Assert.Null(request.Acknowledge(GridWorker, At(1)));
        Assert.False(request.Acknowledged);

        request.Advance(At(4));

        Assert.Equal(2, request.EscalationLevel);
        Assert.Equal(GridWorker.Username, request.Owner);
    }
}
