using Dispatch.Common;
using Dispatch.Intake;
using Dispatch.Requests;
using Dispatch.UnitTests.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Intake;

public sealed class TrackingRulesTests
{
    private static readonly DateTimeOffset Filed = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private static readonly Actor Staff = new("staff-t1", AccountRole.Staff, "t1");

    private static readonly IntakeItem Filing = IntakeRules.Create(
        "0123456789abcdef0123456789abcdef",
        new NewIntake("m1", IntakeKind.Wish, null, "一个保温杯", null, "王奶奶", "13800138000", "2号楼", ResidentLanguage.ZhCn),
        Filed);

    private static RequestView Request(RequestStatus status) =>
        ServiceRequestLifecycleTests.RequestIn(status).ToView() with { CheckInCode = "482913" };

    private static IntakeItem Accepted(RequestView request) => IntakeRules.Accept(Filing, Staff, request.Id, Filed).Value!;

    [Fact]
    public void A_waiting_filing_shows_its_title_and_nothing_private()
    {
        var view = TrackingRules.Of(Filing, null, null);
        Assert.Equal((TrackingStatus.Waiting, "一个保温杯", Filed), (view.Status, view.Title, view.FiledAt));
        Assert.Null(view.CheckInCode);
        Assert.DoesNotContain("13800138000", view.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_declined_filing_shows_why()
    {
        var declined = IntakeRules.Decline(Filing, Staff, "请拨打12345热线", Filed).Value!;
        Assert.Equal((TrackingStatus.Declined, "请拨打12345热线"), (TrackingRules.Of(declined, null, null).Status, TrackingRules.Of(declined, null, null).Reason));
    }

    [Theory]
    [InlineData(RequestStatus.Open, TrackingStatus.Open, false)]
    [InlineData(RequestStatus.Claimed, TrackingStatus.Claimed, true)]
    [InlineData(RequestStatus.InProgress, TrackingStatus.InProgress, true)]
    [InlineData(RequestStatus.Completed, TrackingStatus.Completed, false)]
    [InlineData(RequestStatus.Verified, TrackingStatus.Verified, false)]
    [InlineData(RequestStatus.Cancelled, TrackingStatus.Cancelled, false)]
    public void An_accepted_filing_follows_its_request_and_shows_the_check_in_code_only_while_claimed(RequestStatus status, TrackingStatus shown, bool code)
    {
        var request = Request(status);
        var view = TrackingRules.Of(Accepted(request), request, "王书记");
        Assert.Equal((shown, "一个保温杯", "王书记"), (view.Status, view.Title, view.Owner));
        Assert.Equal(code ? "482913" : null, view.CheckInCode);
        Assert.Equal(status.IsFinal(), view.Deadline is null);
    }

    [Fact]
    public void A_merged_filing_never_shows_the_check_in_code_of_someone_elses_door()
    {
        var request = Request(RequestStatus.Claimed);
        var merged = IntakeRules.Merge(Filing, Staff, request.Id, Filed).Value!;
        var view = TrackingRules.Of(merged, request, null);
        Assert.Equal((TrackingStatus.Claimed, true), (view.Status, view.Merged));
        Assert.Null(view.CheckInCode);
    }

    [Fact]
    public void A_cancelled_request_shows_its_reason_and_an_unfinished_one_its_stage_deadline()
    {
        var cancelled = Request(RequestStatus.Cancelled);
        Assert.Equal(cancelled.CancelReason, TrackingRules.OfRequest(cancelled, null, ownDoor: true).Reason);

        var open = Request(RequestStatus.Open);
        var due = open.Deadlines.Where(d => d.Kind == Dispatch.Escalation.DeadlineKind.Stage).Min(d => d.Due);
        Assert.Equal(due, TrackingRules.OfRequest(open, null, ownDoor: true).Deadline);
    }
}
