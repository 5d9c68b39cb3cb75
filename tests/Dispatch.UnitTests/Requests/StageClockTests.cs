using Dispatch.Escalation;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Requests;

/// <summary>The stage clock on its own: deadlines, missing one, climbing, moving between stages.</summary>
public sealed class StageClockTests
{
    private static readonly EscalationPolicy Policy = new(
        ClaimWithin: TimeSpan.FromMinutes(10), StartWithin: TimeSpan.FromMinutes(20), CompleteWithin: TimeSpan.FromMinutes(30),
        VerifyWithin: TimeSpan.FromMinutes(40), EscalateEvery: TimeSpan.FromMinutes(5), OfferWithin: TimeSpan.FromMinutes(3));

    private static readonly StageClock Fresh = new(Level: 0, Since: Given.Morning, OverdueStage: null, Acknowledged: false, NextClimbAt: null);

    [Theory]
    [InlineData(RequestStatus.Open, Stage.Claim)]
    [InlineData(RequestStatus.Claimed, Stage.Start)]
    [InlineData(RequestStatus.InProgress, Stage.Complete)]
    [InlineData(RequestStatus.Completed, Stage.Verify)]
    [InlineData(RequestStatus.Verified, null)]
    [InlineData(RequestStatus.Cancelled, null)]
    public void Each_unfinished_status_is_a_stage(RequestStatus status, Stage? stage) =>
        Assert.Equal(stage, StageClock.StageOf(status));

    [Fact]
    public void An_open_request_has_its_stage_deadline_its_offers_expiry_and_each_claims_start_deadline_soonest_first()
    {
        var offer = new DispatchOffer("b", "grid.wang", Given.Morning, Given.Morning + TimeSpan.FromMinutes(3), Auto: false);

        var deadlines = Fresh.Deadlines(RequestStatus.Open, Policy, offer, [new ClaimRecord("a", Given.Morning)]);

        Assert.Equal(
            [(DeadlineKind.OfferExpiry, 3.0), (DeadlineKind.Stage, 10.0), (DeadlineKind.ClaimExpiry, 20.0)],
            deadlines.Select(d => (d.Kind, (d.Due - Given.Morning).TotalMinutes)));
        Assert.Equal(("b", "a"), (deadlines[0].Volunteer, deadlines[2].Volunteer));
    }

    [Fact]
    public void A_finished_request_has_no_deadlines() =>
        Assert.Empty(Fresh.Deadlines(RequestStatus.Verified, Policy, offer: null, [new ClaimRecord("a", Given.Morning)]));

    [Fact]
    public void Work_in_progress_has_no_offer_or_claim_deadlines()
    {
        var offer = new DispatchOffer("b", "grid.wang", Given.Morning, Given.Morning, Auto: false);

        var deadline = Assert.Single(Fresh.Deadlines(RequestStatus.InProgress, Policy, offer, [new ClaimRecord("a", Given.Morning)]));

        Assert.Equal((DeadlineKind.Stage, Stage.Complete, Given.Morning + TimeSpan.FromMinutes(30)), (deadline.Kind, deadline.Stage, deadline.Due));
    }

    [Fact]
    public void A_missed_stage_climbs_and_keeps_climbing_until_acknowledged()
    {
        var due = Given.Morning + Policy.ClaimWithin;

        var overdue = Fresh.Missed(Stage.Claim).Climbed(due, Policy);

        Assert.Equal((1, Stage.Claim, due + Policy.EscalateEvery), (overdue.Level, overdue.OverdueStage, overdue.NextClimbAt));
        Assert.True(overdue.Alerting);
        var climb = Assert.Single(overdue.Deadlines(RequestStatus.Open, Policy, offer: null, []));
        Assert.Equal((DeadlineKind.Escalation, 2, due + Policy.EscalateEvery), (climb.Kind, climb.Level, climb.Due));

        var acknowledged = overdue.Acknowledge();

        Assert.False(acknowledged.Alerting);
        Assert.Empty(acknowledged.Deadlines(RequestStatus.Open, Policy, offer: null, []));
        Assert.False(acknowledged.Missed(Stage.Claim).Acknowledged); // A later miss quiets no more.
    }

    [Fact]
    public void The_climb_stops_at_the_top_level()
    {
        var clock = Fresh with { Level = EscalationLadder.MaxLevel - 1, OverdueStage = Stage.Claim };

        var top = clock.Climbed(Given.Morning, Policy);

        Assert.Equal((EscalationLadder.MaxLevel, (DateTimeOffset?)null), (top.Level, top.NextClimbAt));
        Assert.Equal(top, top.Climbed(Given.Morning, Policy));
        Assert.Empty(top.Deadlines(RequestStatus.Open, Policy, offer: null, []));
    }

    [Fact]
    public void Acknowledging_a_request_that_is_not_overdue_changes_nothing() =>
        Assert.Equal(Fresh, Fresh.Acknowledge());

    [Fact]
    public void Moving_forward_ends_the_alert_and_restarts_the_clock()
    {
        var overdue = Fresh.Missed(Stage.Claim).Climbed(Given.At(600), Policy).Acknowledge();

        var moved = overdue.Moved(Stage.Claim, Stage.Start, Given.At(900));

        Assert.Equal(new StageClock(1, Given.At(900), null, false, null), moved);
    }

    [Fact]
    public void Falling_back_restarts_the_clock_and_keeps_the_alert()
    {
        var overdue = Fresh.Missed(Stage.Start).Climbed(Given.At(600), Policy);

        var moved = overdue.Moved(Stage.Start, Stage.Claim, Given.At(900));

        Assert.Equal(overdue with { Since = Given.At(900) }, moved);
    }

    [Fact]
    public void Finishing_ends_the_alert_and_staying_in_a_stage_changes_nothing()
    {
        var overdue = Fresh.Missed(Stage.Verify).Climbed(Given.At(600), Policy);

        Assert.Equal(overdue, overdue.Moved(Stage.Verify, Stage.Verify, Given.At(900)));
        Assert.False(overdue.Moved(Stage.Verify, null, Given.At(900)).Overdue);
    }
}
