using Dispatch.Escalation;
using Dispatch.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Escalation;

/// <summary>Rule 10: the view and the summary carry the escalation state.</summary>
public sealed class EscalationViewTests
{
    [Fact]
    public void A_fresh_request_shows_no_alert_its_claim_deadline_and_its_policy()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);

        var view = request.ToView();
        var summary = request.ToSummary();

        Assert.False(view.Overdue);
        Assert.Null(view.OverdueStage);
        Assert.Equal(0, view.EscalationLevel);
        Assert.Equal("m", view.EscalationPlaceId);
        Assert.Null(view.Owner);
        Assert.Empty(view.Supervisors);
        Assert.Null(view.HandoverTo);
        Assert.Equal<Deadline>([new Deadline(DeadlineKind.Stage, Stage.Claim, At(2))], view.Deadlines);
        Assert.Equal(TwoSeconds, view.Policy);

        Assert.False(summary.Overdue);
        Assert.Equal(0, summary.EscalationLevel);
        Assert.Null(summary.Owner);
        Assert.Equal("m", summary.EscalationPlaceId);
    }

    [Fact]
    public void An_escalated_owned_request_shows_its_alert_level_owner_and_deadlines()
    {
        var request = UnderPolicy(UrgentWish(), TwoSeconds);
        Assert.Null(request.Acknowledge(GridWorker, At(1)));
        Assert.Null(request.Acknowledge(TownStaff, At(1)));
        request.Advance(At(4));
        Assert.Null(request.Handover(GridWorker, CountyStaff.Username, At(4.5)));
        request.ApplyClaim("li.na", At(5));
        request.Advance(At(7));

        var view = request.ToView();
        var summary = request.ToSummary();

        Assert.True(view.Overdue);
        Assert.Equal(Stage.Start, view.OverdueStage);
        Assert.Equal(3, view.EscalationLevel);
        Assert.Equal("r", view.EscalationPlaceId);
        Assert.Equal(GridWorker.Username, view.Owner);
        Assert.Equal<string>([TownStaff.Username], view.Supervisors);
        Assert.Equal(CountyStaff.Username, view.HandoverTo);
        Assert.Equal<Deadline>(request.Deadlines(), view.Deadlines);
        Assert.NotEmpty(view.Deadlines);
        Assert.Equal(TwoSeconds, view.Policy);
        Assert.Equal(request.Version, view.Version);

        Assert.True(summary.Overdue);
        Assert.Equal(3, summary.EscalationLevel);
        Assert.Equal(GridWorker.Username, summary.Owner);
        Assert.Equal("r", summary.EscalationPlaceId);
        Assert.Equal(RequestAction.ClaimExpired, summary.LastAction);
        Assert.Equal(request.Version, summary.Version);
    }

    [Fact]
    public void The_view_of_an_overdue_acknowledged_request_lists_no_climb()
    {
        var request = UnderPolicy(Activity(3), TwoSeconds with { StartWithin = TimeSpan.FromMinutes(10) });
        request.ApplyClaim("a", At(1));
        request.Advance(At(2));
        Assert.Null(request.Acknowledge(TownStaff, At(3)));

        var view = request.ToView();

        Assert.True(view.Overdue);
        Assert.Equal(1, view.EscalationLevel);
        Assert.Equal<Deadline>(
            [new Deadline(DeadlineKind.ClaimExpiry, Stage.Start, At(1) + TimeSpan.FromMinutes(10), "a")],
            view.Deadlines);
    }
}
