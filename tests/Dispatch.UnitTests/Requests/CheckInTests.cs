using Dispatch.Common;
using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Requests;

/// <summary>The beneficiary's check-in code: the right one completes and verifies at once.</summary>
public sealed class CheckInTests
{
    private static readonly Actor LiNa = Given.Volunteer("li.na");

    [Fact]
    public void Create_keeps_the_code_and_the_award_and_the_view_shows_the_code()
    {
        var request = Create(Given.Wish(), checkInCode: Code, award: 15);

        Assert.Equal(Code, request.CheckInCode);
        Assert.Equal(15, request.Award);
        Assert.Equal(0, request.FailedCheckIns);
        Assert.Equal(Code, request.ToView().CheckInCode);
        Assert.Equal(15, request.ToView().Award);
    }

    [Fact]
    public void Without_an_explicit_award_a_request_awards_its_points_and_without_a_code_the_view_shows_none()
    {
        var request = Create(Given.Wish(), checkInCode: null);

        Assert.Equal(Given.Wish().Points, request.Award);
        Assert.Equal("", request.CheckInCode);
        Assert.Null(request.ToView().CheckInCode);
    }

    [Fact]
    public void The_right_code_completes_and_verifies_at_once()
    {
        var request = InProgress(Given.Wish(), award: 12);

        Assert.Null(request.Complete(LiNa, " Delivered ", Min(30), " 123456 "));

        Assert.Equal(RequestStatus.Verified, request.Status);
        Assert.Equal("Delivered", request.CompletionNote);
        Assert.Equal(Min(30), request.CompletedAt);
        Assert.Equal(new Verification(true, null, "checked in with the beneficiary's code", "li.na", Min(30), ByCheckInCode: true), request.Verification);
        Assert.Equal(
            [(RequestAction.Completed, RequestStatus.InProgress, RequestStatus.Completed), (RequestAction.Verified, RequestStatus.Completed, RequestStatus.Verified)],
            request.History.TakeLast(2).Select(h => (h.Action, h.From!.Value, h.To)));
        Assert.All(request.History.TakeLast(2), h => Assert.Equal("li.na", h.Actor));
        Assert.False(request.HasActiveClaim("li.na"));
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.Completed)), request.TakeNotices());
        var posting = Assert.Single(request.PendingPostings);
        Assert.Equal(("li.na", 12, PostingKind.Earning), (posting.Volunteer, posting.Posting.Amount, posting.Posting.Kind));
        Assert.Equal(12, request.PointsAwarded);
        Assert.Equal(0, request.FailedCheckIns);
    }

    [Fact]
    public void The_right_code_on_an_activity_ends_every_claim_and_credits_every_claimant()
    {
        var request = Create(Given.Activity(3), award: 30);
        foreach (var doctor in new[] { "a", "b", "c" })
        {
            request.ApplyClaim(doctor, Given.Morning);
        }

        Assert.Null(request.Start(Given.Volunteer("a"), Min(1)));
        request.TakeNotices();

        Assert.Null(request.Complete(Given.Volunteer("b"), null, Min(60), Code));

        Assert.Equal(RequestStatus.Verified, request.Status);
        Assert.Equal<VolunteerNotice>(
            Notices(("a", VolunteerAction.Completed), ("b", VolunteerAction.Completed), ("c", VolunteerAction.Completed)),
            request.TakeNotices());
        Assert.Equal(["a", "b", "c"], request.PendingPostings.Select(p => p.Volunteer));
        Assert.All(request.PendingPostings, p => Assert.Equal(30, p.Posting.Amount));
    }

    [Fact]
    public void Staff_completing_with_the_code_verify_as_well()
    {
        var request = InProgress(Given.Wish());

        Assert.Null(request.Complete(Staff, null, Min(30), Code));

        Assert.Equal(RequestStatus.Verified, request.Status);
        Assert.True(request.Verification?.ByCheckInCode);
        Assert.Equal(Staff.Username, request.Verification?.By);
    }

    [Fact]
    public void Completing_without_a_code_leaves_verification_to_staff()
    {
        var request = InProgress(Given.Wish());

        Assert.Null(request.Complete(LiNa, "Done", Min(30)));

        Assert.Equal(RequestStatus.Completed, request.Status);
        Assert.Null(request.Verification);
        Assert.Empty(request.PendingPostings);
        Assert.Empty(request.TakeNotices());
        Assert.True(request.HasActiveClaim("li.na"));
    }

    [Fact]
    public void A_wrong_code_is_refused_as_invalid_input_counts_and_is_recorded_but_changes_nothing_else()
    {
        var request = InProgress(Given.Wish());
        var versionBefore = request.Version;

        var refused = request.Complete(LiNa, "Done", Min(30), "654321");

        Assert.NotNull(refused);
        Assert.Equal((FailureKind.Invalid, "wrongCheckInCode", "checkInCode"), (refused.Kind, refused.Code, refused.Field));
        Assert.Contains("4 attempts left", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.Equal(1, request.FailedCheckIns);
        Assert.Null(request.CompletionNote);
        Assert.Null(request.CompletedAt);
        Assert.Null(request.Verification);
        Assert.Equal(versionBefore + 1, request.Version);
        Assert.Equal(
            new HistoryEntry(versionBefore + 1, Min(30), "li.na", RequestAction.CheckInRejected, RequestStatus.InProgress, RequestStatus.InProgress, "wrong code (1 of 5)"),
            request.History[^1]);
        Assert.Empty(request.PendingPostings);
        Assert.Empty(request.TakeNotices());
    }

    [Fact]
    public void The_code_is_compared_exactly_apart_from_surrounding_spaces()
    {
        var request = InProgress(Given.Wish(), checkInCode: "A1b2C3");

        Assert.Equal("wrongCheckInCode", request.Complete(LiNa, null, Min(1), "a1b2c3")?.Code);
        Assert.Equal("wrongCheckInCode", request.Complete(LiNa, null, Min(2), "A1b2C")?.Code);
        Assert.Equal("wrongCheckInCode", request.Complete(LiNa, null, Min(3), "A1b2C34")?.Code);
        Assert.Null(request.Complete(LiNa, null, Min(4), "\tA1b2C3 "));

        Assert.Equal(RequestStatus.Verified, request.Status);
        Assert.Equal(3, request.FailedCheckIns);
    }

    [Fact]
    public void After_the_allowed_wrong_codes_even_the_right_one_is_refused_with_checkInLocked()
    {
        var request = InProgress(Given.Wish());
        for (var attempt = 1; attempt <= ServiceRequest.MaxCheckInAttempts; attempt++)
        {
            var refused = request.Complete(LiNa, null, Min(attempt), $"00000{attempt}");
            Assert.Equal("wrongCheckInCode", refused?.Code);
            Assert.Equal(attempt, request.FailedCheckIns);
        }

        var versionBefore = request.Version;

        var locked = request.Complete(LiNa, null, Min(10), Code);

        Assert.Equal((FailureKind.Conflict, "checkInLocked"), (locked?.Kind, locked?.Code));
        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.Equal(versionBefore, request.Version);
        Assert.Equal(ServiceRequest.MaxCheckInAttempts, request.FailedCheckIns);
        Assert.Equal(ServiceRequest.MaxCheckInAttempts, EntriesOf(request, RequestAction.CheckInRejected).Length);

        // Further wrong codes are not counted either.
        Assert.Equal("checkInLocked", request.Complete(LiNa, null, Min(11), "999999")?.Code);
        Assert.Equal(ServiceRequest.MaxCheckInAttempts, request.FailedCheckIns);
    }

    [Fact]
    public void A_locked_request_can_still_be_completed_without_a_code_and_verified_by_staff()
    {
        var request = InProgress(Given.Wish(), award: 10);
        for (var attempt = 0; attempt < ServiceRequest.MaxCheckInAttempts; attempt++)
        {
            request.Complete(LiNa, null, Min(attempt), "000000");
        }

        Assert.Null(request.Complete(LiNa, "Done", Min(10)));
        Assert.Null(request.Verify(Staff, approved: true, rating: 4, "checked by phone", Min(20)));

        Assert.Equal(RequestStatus.Verified, request.Status);
        Assert.False(request.Verification?.ByCheckInCode);
        Assert.Single(request.PendingPostings);
    }

    [Fact]
    public void Four_wrong_codes_then_the_right_one_still_completes()
    {
        var request = InProgress(Given.Wish());
        for (var attempt = 0; attempt < ServiceRequest.MaxCheckInAttempts - 1; attempt++)
        {
            Assert.Equal("wrongCheckInCode", request.Complete(LiNa, null, Min(attempt), "000000")?.Code);
        }

        Assert.Null(request.Complete(LiNa, null, Min(10), Code));

        Assert.Equal(RequestStatus.Verified, request.Status);
    }

    [Fact]
    public void A_request_created_without_a_code_refuses_a_code_with_noCheckInCode_and_changes_nothing()
    {
        var request = InProgress(Given.Wish(), checkInCode: null);
        var before = Given.Snapshot(request);

        var refused = request.Complete(LiNa, null, Min(1), Code);

        Assert.Equal((FailureKind.Conflict, "noCheckInCode"), (refused?.Kind, refused?.Code));
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal(0, request.FailedCheckIns);
    }

    [Fact]
    public void A_code_from_someone_without_a_claim_is_refused_with_notClaimant_and_not_counted()
    {
        var request = InProgress(Given.Wish());
        var before = Given.Snapshot(request);

        var refused = request.Complete(Given.Volunteer("stranger"), null, Min(1), "000000");

        Assert.Equal("notClaimant", refused?.Code);
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal(0, request.FailedCheckIns);
    }

    [Fact]
    public void A_code_on_a_request_not_in_progress_is_refused_with_invalidTransition_and_not_counted()
    {
        var request = Create(Given.Wish());
        request.ApplyClaim("li.na", Given.Morning);
        var before = Given.Snapshot(request);

        var refused = request.Complete(LiNa, null, Min(1), "000000");

        Assert.Equal("invalidTransition", refused?.Code);
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal(0, request.FailedCheckIns);
    }

    [Fact]
    public void The_check_in_verification_feeds_the_summary()
    {
        var request = InProgress(Given.Wish(), award: 10);

        Assert.Null(request.Complete(LiNa, null, Min(30), Code));
        var summary = request.ToSummary();

        Assert.Equal((RequestStatus.Verified, (DateTimeOffset?)Min(30), (DateTimeOffset?)Min(30), (int?)null, 10),
            (summary.Status, summary.CompletedAt, summary.VerifiedAt, summary.Rating, summary.PointsAwarded));
    }
}
