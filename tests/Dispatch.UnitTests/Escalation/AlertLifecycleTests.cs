using Dispatch.Escalation;
using Dispatch.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Escalation;

/// <summary>
/// Rule 4: moving on to a later stage ends the alert (the level stays); falling back restarts the
/// stage clock but keeps the alert and its climb; a missed deadline in a later stage escalates again.
/// </summary>
public sealed class AlertLifecycleTests
{
    private static void AssertNoAlert(ServiceRequest request)
    {
        Assert.False(request.Overdue);
        Assert.Null(request.OverdueStage);
        Assert.Null(request.NextClimbAt);
        Assert.DoesNotContain(request.Deadlines(), d => d.Kind == DeadlineKind.Escalation);
    }

    [Fact]
    public void Claiming_an_overdue_open_wish_ends_the_alert_but_keeps_the_level()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.Advance(At(2));
        Assert.Equal(1, request.EscalationLevel);

        request.ApplyClaim("li.na", At(3));

        AssertNoAlert(request);
        Assert.Equal(1, request.EscalationLevel);
        Assert.Equal("t", request.EscalationPlaceId);
        Assert.Equal(At(3), request.StageSince);
        Assert.Equal<Deadline>(
            [
                new Deadline(DeadlineKind.Stage, Stage.Start, At(5)),
                new Deadline(DeadlineKind.ClaimExpiry, Stage.Start, At(5), "li.na"),
            ],
            request.Deadlines());

        // The climb that was due at 4 s is gone.
        Assert.Empty(request.Advance(At(4)));
        Assert.Equal(1, request.EscalationLevel);
    }

    [Fact]
    public void Starting_an_overdue_open_activity_ends_the_alert()
    {
        var request = UnderPolicy(Activity(3), TwoSeconds);
        request.ApplyClaim("a", At(1));
        request.Advance(At(2));
        Assert.Equal(Stage.Claim, request.OverdueStage);

        Assert.Null(request.Start(Volunteer("a"), At(2.5)));

        Assert.Equal(RequestStatus.InProgress, request.Status);
        AssertNoAlert(request);
        Assert.Equal(1, request.EscalationLevel);
        Assert.Equal<Deadline>([new Deadline(DeadlineKind.Stage, Stage.Complete, At(4.5))], request.Deadlines());
        Assert.Empty(request.Advance(At(4)));
    }

    [Fact]
    public void Completing_an_overdue_request_ends_the_alert()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.ApplyClaim("li.na", At(0));
        Assert.Null(request.Start(Volunteer("li.na"), At(0)));
        request.Advance(At(2));
        Assert.Equal(Stage.Complete, request.OverdueStage);

        Assert.Null(request.Complete(Volunteer("li.na"), "Delivered", At(3)));

        AssertNoAlert(request);
        Assert.Equal(1, request.EscalationLevel);
        Assert.Equal<Deadline>([new Deadline(DeadlineKind.Stage, Stage.Verify, At(5))], request.Deadlines());
        Assert.Empty(request.Advance(At(4)));
        Assert.Equal(1, request.EscalationLevel);
    }

    [Fact]
    public void Approving_an_overdue_completion_ends_the_alert_and_every_deadline()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.ApplyClaim("li.na", At(0));
        Assert.Null(request.Start(Volunteer("li.na"), At(0)));
        Assert.Null(request.Complete(Volunteer("li.na"), null, At(0)));
        request.Advance(At(4));
        Assert.Equal(2, request.EscalationLevel);

        Assert.Null(request.Verify(GridWorker, approved: true, rating: 4, null, At(5)));

        AssertNoAlert(request);
        Assert.Equal(2, request.EscalationLevel);
        Assert.Empty(request.Deadlines());
        Assert.Null(request.NextDue);
        Assert.Empty(request.Advance(At(3600)));
    }

    [Fact]
    public void A_missed_deadline_in_a_later_stage_escalates_again_by_one()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.Advance(At(2));
        request.ApplyClaim("li.na", At(3));

        Assert.Empty(request.Advance(At(4.9)));
        var events = request.Advance(At(5));

        Assert.Equal(2, request.EscalationLevel);
        Assert.Equal("c", request.EscalationPlaceId);
        Assert.Equal(Stage.Start, request.OverdueStage);
        Assert.Equal(new ClockEvent(DeadlineKind.Stage, 2, "c", null), events[0]);
        Assert.Equal(At(7), request.NextClimbAt);
    }

    [Fact]
    public void Each_stage_missed_in_turn_raises_the_level_by_one()
    {
        var policy = PolicyOf(TimeSpan.FromSeconds(2)) with { EscalateEvery = TimeSpan.FromHours(1) };
        var request = UnderPolicy(UrgentWish(), policy);

        request.Advance(At(2));
        Assert.Equal((1, Stage.Claim), (request.EscalationLevel, request.OverdueStage!.Value));

        request.ApplyClaim("li.na", At(3));
        Assert.Null(request.Start(Volunteer("li.na"), At(4)));
        AssertNoAlert(request);
        request.Advance(At(6));
        Assert.Equal((2, Stage.Complete), (request.EscalationLevel, request.OverdueStage!.Value));

        Assert.Null(request.Complete(Volunteer("li.na"), null, At(7)));
        AssertNoAlert(request);
        request.Advance(At(9));
        Assert.Equal((3, Stage.Verify), (request.EscalationLevel, request.OverdueStage!.Value));
        Assert.Equal(3, request.History.Count(h => h.Action == RequestAction.Escalated));
    }

    [Fact]
    public void Releasing_an_overdue_in_progress_request_restarts_the_claim_clock_but_keeps_the_alert()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.ApplyClaim("li.na", At(0));
        Assert.Null(request.Start(Volunteer("li.na"), At(1)));
        request.Advance(At(3));
        Assert.Equal((1, Stage.Complete), (request.EscalationLevel, request.OverdueStage!.Value));

        Assert.Null(request.Release(Volunteer("li.na"), At(4)));

        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(At(4), request.StageSince);
        Assert.True(request.Overdue);
        Assert.Equal(1, request.EscalationLevel);
        Assert.Equal(At(5), request.NextClimbAt);
        Assert.Equal(
            [(DeadlineKind.Escalation, At(5), (int?)2), (DeadlineKind.Stage, At(6), null)],
            request.Deadlines().Select(d => (d.Kind, d.Due, d.Level)));
        Assert.Equal(Stage.Claim, request.Deadlines().Single(d => d.Kind == DeadlineKind.Stage).Stage);

        // The climb continues.
        Assert.Equal<ClockEvent>([new ClockEvent(DeadlineKind.Escalation, 2, "c", null)], request.Advance(At(5)));
        Assert.Equal(2, request.EscalationLevel);
    }

    [Fact]
    public void Rejecting_an_overdue_completion_restarts_the_complete_clock_but_keeps_the_alert()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.ApplyClaim("li.na", At(0));
        Assert.Null(request.Start(Volunteer("li.na"), At(0)));
        Assert.Null(request.Complete(Volunteer("li.na"), null, At(1)));
        request.Advance(At(3));
        Assert.Equal((1, Stage.Verify), (request.EscalationLevel, request.OverdueStage!.Value));

        Assert.Null(request.Verify(GridWorker, approved: false, rating: null, "Not delivered yet", At(4)));

        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.Equal(At(4), request.StageSince);
        Assert.True(request.Overdue);
        Assert.Equal(1, request.EscalationLevel);
        Assert.Equal(At(5), request.NextClimbAt);
        Assert.Equal(
            [(DeadlineKind.Escalation, At(5), (int?)2), (DeadlineKind.Stage, At(6), null)],
            request.Deadlines().Select(d => (d.Kind, d.Due, d.Level)));
        Assert.Equal(Stage.Complete, request.Deadlines().Single(d => d.Kind == DeadlineKind.Stage).Stage);

        request.Advance(At(5));
        Assert.Equal(2, request.EscalationLevel);
    }

    [Fact]
    public void A_missed_deadline_of_the_stage_fallen_back_to_escalates_again()
    {
        var request = UnderPolicy(UrgentWish(), PolicyOf(TimeSpan.FromSeconds(2)) with { EscalateEvery = TimeSpan.FromHours(1) });
        request.ApplyClaim("li.na", At(0));
        Assert.Null(request.Start(Volunteer("li.na"), At(0)));
        request.Advance(At(2));
        Assert.Null(request.Release(Volunteer("li.na"), At(3)));

        var events = request.Advance(At(5));

        Assert.Equal<ClockEvent>([new ClockEvent(DeadlineKind.Stage, 2, "c", null)], events);
        Assert.Equal(Stage.Claim, request.OverdueStage);
        Assert.Equal(At(5) + TimeSpan.FromHours(1), request.NextClimbAt);
    }

    [Fact]
    public void Cancelling_an_overdue_request_ends_the_alert()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        request.Advance(At(2));

        Assert.Null(request.Cancel(GridWorker, "Duplicate", At(3)));

        AssertNoAlert(request);
        Assert.Equal(1, request.EscalationLevel);
        Assert.Empty(request.Deadlines());
        Assert.Empty(request.Advance(At(3600)));
    }
}
