using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Notifications;
using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Requests;

/// <summary>The resident's answers through their tracking code (群众评议): confirm once, rate once, a dispute goes back to staff.</summary>
public sealed class ResidentFeedbackTests
{
    [Fact]
    public void A_resident_confirms_a_verified_request_then_rates_it_without_changing_its_status()
    {
        var request = Given.VerifiedWish();
        Assert.True(request.AwaitsResidentConfirmation);

        Assert.Null(request.ConfirmByResident(done: true, Min(10)));
        Assert.Null(request.RateByResident(ResidentRating.BasicallySatisfied, "  Quick, but late by a day ", Min(11)));

        Assert.Equal(RequestStatus.Verified, request.Status);
        Assert.False(request.AwaitsResidentConfirmation);
        Assert.Equal(new ResidentFeedback(true, Min(10), ResidentRating.BasicallySatisfied, "Quick, but late by a day", Min(11)), request.ResidentFeedback);
        Assert.Equal(
            [(RequestAction.ResidentConfirmed, null), (RequestAction.ResidentRated, "basically satisfied: Quick, but late by a day")],
            request.History.TakeLast(2).Select(h => (h.Action, h.Note)));
        Assert.All(request.History.TakeLast(2), h => Assert.Equal(ServiceRequest.ResidentActor, h.Actor));

        // Staff's rating stays apart from the resident's.
        Assert.Equal(5, request.Verification?.Rating);
        Assert.Equal(ResidentRating.BasicallySatisfied, request.ToSummary().ResidentRating);
        Assert.Equal(5, request.ToSummary().Rating);
        Assert.Equal(request.ResidentFeedback, request.ToView().ResidentFeedback);
        Assert.Empty(request.PendingNotices.Where(n => n.Notice.Kind == NoticeKind.ResidentUnsatisfied));
    }

    [Fact]
    public void Each_answer_is_given_once_the_same_answer_again_is_a_retry_that_changes_nothing()
    {
        var request = Given.VerifiedWish();
        Assert.Null(request.ConfirmByResident(done: true, Min(10)));
        var version = request.Version;

        Assert.Null(request.ConfirmByResident(done: true, Min(12)));
        Assert.Equal("alreadyConfirmed", request.ConfirmByResident(done: false, Min(12))?.Code);
        Assert.Equal(version, request.Version);

        Assert.Null(request.RateByResident(ResidentRating.Satisfied, "Thank you", Min(13)));
        version = request.Version;
        var before = Given.Snapshot(request);

        Assert.Null(request.RateByResident(ResidentRating.Satisfied, " Thank you ", Min(14)));
        Assert.Equal("alreadyRated", request.RateByResident(ResidentRating.Unsatisfied, "Changed my mind", Min(14))?.Code);
        Assert.Equal(version, request.Version);
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal(RequestStatus.Verified, request.Status);
    }

    [Fact]
    public void Nothing_is_confirmed_before_the_work_is_reported_done_nor_rated_before_it_is_confirmed()
    {
        foreach (var request in new[] { Given.OpenWish(), Given.InProgressWish(), Given.CancelledWish() })
        {
            var before = Given.Snapshot(request);
            Assert.Equal(FailureKind.Conflict, request.ConfirmByResident(done: true, Min(1))?.Kind);
            Assert.Equal("notCompleted", request.ConfirmByResident(done: false, Min(1))?.Code);
            Assert.Equal("notConfirmed", request.RateByResident(ResidentRating.Satisfied, null, Min(1))?.Code);
            Assert.Equal(before, Given.Snapshot(request));
            Assert.False(request.AwaitsResidentConfirmation);
        }
    }

    [Fact]
    public void A_rating_names_the_field_at_fault_and_changes_nothing()
    {
        var request = Given.VerifiedWish();
        Assert.Null(request.ConfirmByResident(done: true, Min(1)));
        var before = Given.Snapshot(request);

        var tooLong = request.RateByResident(ResidentRating.Satisfied, new string('好', ResidentFeedbackLimits.MaxComment + 1), Min(2));
        var unknown = request.RateByResident((ResidentRating)7, null, Min(2));

        Assert.Equal((FailureKind.Invalid, "comment"), (tooLong?.Kind, tooLong?.Field));
        Assert.Equal((FailureKind.Invalid, "rating"), (unknown?.Kind, unknown?.Field));
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Null(request.RateByResident(ResidentRating.Satisfied, new string('好', ResidentFeedbackLimits.MaxComment), Min(3)));
    }

    [Fact]
    public void Not_done_on_a_verified_request_withdraws_the_verification_reverses_its_points_and_tells_the_owner()
    {
        var request = Create(Given.Wish(), award: 10);
        Assert.Null(request.Acknowledge(Staff, Min(0)));
        request.ApplyClaim("li.na", Min(1));
        Assert.Null(request.Start(Given.Volunteer("li.na"), Min(2)));
        Assert.Null(request.Complete(Given.Volunteer("li.na"), null, Min(3)));
        Assert.Null(request.Verify(Staff, approved: true, rating: 4, null, Min(4)));
        Assert.True(request.MarkPosted(request.PendingPostings.Select(p => p.Posting.Key)));
        Assert.True(request.MarkNoticesDelivered(request.PendingNotices.Select(n => n.Key)));
        request.TakeNotices();

        Assert.Null(request.ConfirmByResident(done: false, Min(30)));

        Assert.Equal(RequestStatus.Completed, request.Status);
        Assert.Null(request.Verification);
        Assert.Equal(
            [
                (RequestAction.ResidentNotDone, RequestStatus.Verified, RequestStatus.Verified),
                (RequestAction.ResidentReopened, RequestStatus.Verified, RequestStatus.Completed),
            ],
            request.History.TakeLast(2).Select(h => (h.Action, h.From!.Value, h.To)));
        Assert.Equal(0, request.PointsAwarded);
        var reversal = Assert.Single(request.PendingPostings);
        Assert.Equal(("li.na", -10, PostingKind.Reversal), (reversal.Volunteer, reversal.Posting.Amount, reversal.Posting.Kind));
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.ClaimReinstated)), request.TakeNotices());
        Assert.True(request.HasActiveClaim("li.na"));
        Assert.Equal(Stage.Verify, request.CurrentStage);
        Assert.Equal(Min(30), request.StageSince);

        var notice = Assert.Single(request.PendingNotices);
        Assert.Equal(("grid.wang", (string?)null, NoticeKind.ResidentUnsatisfied), (notice.Username, notice.StaffOf, notice.Notice.Kind));
        Assert.Equal((request.Title, ServiceRequest.ResidentActor), (notice.Notice.Subject, notice.Notice.By));

        // Staff review it: verifying again credits anew.
        Assert.Null(request.Verify(Staff, approved: true, rating: 3, "Checked with the resident", Min(40)));
        Assert.Equal(RequestStatus.Verified, request.Status);
        Assert.Equal(10, request.PointsAwarded);
    }

    [Fact]
    public void An_unsatisfied_rating_after_done_reopens_once_and_tells_the_community_staff_when_nobody_owns_it()
    {
        var request = Given.VerifiedWish();
        Assert.Null(request.ConfirmByResident(done: true, Min(10)));
        Assert.Null(request.Owner);

        Assert.Null(request.RateByResident(ResidentRating.Unsatisfied, "Nobody came", Min(11)));

        Assert.Equal(RequestStatus.Completed, request.Status);
        Assert.Equal(
            [RequestAction.ResidentConfirmed, RequestAction.ResidentRated, RequestAction.ResidentReopened],
            request.History.TakeLast(3).Select(h => h.Action));
        var notice = Assert.Single(request.PendingNotices, n => n.Notice.Kind == NoticeKind.ResidentUnsatisfied);
        Assert.Equal(((string?)null, Given.CommunityId), (notice.Username, notice.StaffOf));
        Assert.DoesNotContain("Nobody came", notice.Notice.Subject);
    }

    [Fact]
    public void A_not_done_on_a_completed_request_stays_waiting_for_staff_and_its_rating_does_not_reopen_it_again()
    {
        var request = Given.CompletedWish();

        Assert.Null(request.ConfirmByResident(done: false, Min(10)));
        Assert.Equal(RequestStatus.Completed, request.Status);
        Assert.Equal(
            (RequestAction.ResidentReopened, RequestStatus.Completed, RequestStatus.Completed),
            (request.History[^1].Action, request.History[^1].From!.Value, request.History[^1].To));

        Assert.Null(request.RateByResident(ResidentRating.Unsatisfied, null, Min(11)));
        Assert.Equal(RequestAction.ResidentRated, request.History[^1].Action);
        Assert.Equal("unsatisfied", request.History[^1].Note);
        Assert.Single(request.PendingNotices, n => n.Notice.Kind == NoticeKind.ResidentUnsatisfied);
    }

    [Fact]
    public void The_residents_comment_is_free_text_kept_from_readers_who_see_no_notes()
    {
        var request = Given.VerifiedWish();
        Assert.Null(request.ConfirmByResident(done: true, Min(1)));
        Assert.Null(request.RateByResident(ResidentRating.Satisfied, "Call me on 13900001111 next time", Min(2)));

        var shown = request.ToView().WithoutNotes();

        Assert.Equal(new ResidentFeedback(true, Min(1), ResidentRating.Satisfied, null, Min(2)), shown.ResidentFeedback);
        Assert.Equal("Call me on 13900001111 next time", request.ToView().ResidentFeedback?.Comment);
    }
}
