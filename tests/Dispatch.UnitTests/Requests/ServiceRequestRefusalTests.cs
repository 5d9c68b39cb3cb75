using Dispatch.Common;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Requests;

/// <summary>Release, start and the staff-only operations: who may do what, and what a refusal leaves behind.</summary>
public sealed class ServiceRequestRefusalTests
{
    private static readonly Actor LiNa = Given.Volunteer("li.na");
    private static readonly Actor ZhaoLei = Given.Volunteer("zhao.lei");

    [Fact]
    public void Release_by_the_claimant_of_a_claimed_wish_opens_it_again()
    {
        var request = Given.ClaimedBy(Given.Wish(), "li.na");

        Assert.Null(request.Release(LiNa, Given.Morning.AddMinutes(3)));

        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Empty(request.Claimants);
        Assert.Equal(3, request.Version);
        Assert.Equal(
            new HistoryEntry(3, Given.Morning.AddMinutes(3), "li.na", RequestAction.Released, RequestStatus.Claimed, RequestStatus.Open, null),
            request.History[^1]);
        Assert.Null(request.CheckClaim("zhao.lei", Given.CommunityId));
    }

    [Fact]
    public void Release_of_one_place_of_a_full_activity_opens_it_for_another_claimant()
    {
        var request = Given.ClaimedBy(Given.Activity(3), "a", "b", "c");

        Assert.Null(request.Release(Given.Volunteer("b"), Given.Morning));

        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal<string>(["a", "c"], request.Claimants);
        Assert.Null(request.CheckClaim("d", Given.CommunityId));
    }

    [Fact]
    public void Release_from_in_progress_with_other_claimants_stays_in_progress()
    {
        var request = Given.ClaimedBy(Given.Activity(3), "a", "b");
        Assert.Null(request.Start(Given.Volunteer("a"), Given.Morning));

        Assert.Null(request.Release(Given.Volunteer("a"), Given.Morning));

        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.Equal<string>(["b"], request.Claimants);
        Assert.Equal(
            (RequestAction.Released, RequestStatus.InProgress, RequestStatus.InProgress),
            (request.History[^1].Action, request.History[^1].From!.Value, request.History[^1].To));
    }

    [Fact]
    public void Release_from_in_progress_by_the_last_claimant_opens_the_request_again()
    {
        var request = Given.InProgressWish("li.na");

        Assert.Null(request.Release(LiNa, Given.Morning));

        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Empty(request.Claimants);
        Assert.Equal(
            (RequestAction.Released, RequestStatus.InProgress, RequestStatus.Open),
            (request.History[^1].Action, request.History[^1].From!.Value, request.History[^1].To));
        Assert.Null(request.CheckClaim("zhao.lei", Given.CommunityId));
    }

    [Fact]
    public void Release_by_a_non_claimant_is_forbidden_with_notClaimant()
    {
        var request = Given.ClaimedBy(Given.Wish(), "li.na");

        var failure = request.Release(ZhaoLei, Given.Morning);

        AssertFailure(failure, FailureKind.Forbidden, "notClaimant");
        Assert.Contains("zhao.lei", failure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_by_staff_who_hold_no_claim_is_forbidden_with_notClaimant()
    {
        var request = Given.ClaimedBy(Given.Wish(), "li.na");

        AssertFailure(request.Release(Given.GridWorker, Given.Morning), FailureKind.Forbidden, "notClaimant");
    }

    [Fact]
    public void Release_after_completion_is_an_invalid_transition()
    {
        var request = Given.CompletedWish("li.na");

        AssertFailure(request.Release(LiNa, Given.Morning), FailureKind.Conflict, "invalidTransition");
    }

    [Fact]
    public void Start_by_a_non_claimant_is_forbidden_with_notClaimant()
    {
        var request = Given.ClaimedBy(Given.Wish(), "li.na");

        AssertFailure(request.Start(ZhaoLei, Given.Morning), FailureKind.Forbidden, "notClaimant");
    }

    [Fact]
    public void Start_by_one_claimant_of_a_partly_claimed_activity_starts_it()
    {
        var request = Given.ClaimedBy(Given.Activity(5), "a", "b");

        Assert.Null(request.Start(Given.Volunteer("b"), Given.Morning));

        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.Equal((RequestStatus.Open, "b"), (request.History[^1].From!.Value, request.History[^1].Actor));
    }

    [Fact]
    public void Start_twice_is_an_invalid_transition()
    {
        var request = Given.InProgressWish("li.na");

        var failure = request.Start(LiNa, Given.Morning);

        AssertFailure(failure, FailureKind.Conflict, "invalidTransition");
        Assert.Contains("inProgress", failure!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_by_a_volunteer_without_a_claim_is_forbidden_with_notClaimant()
    {
        var request = Given.InProgressWish("li.na");

        AssertFailure(request.Complete(ZhaoLei, "I did it", Given.Morning), FailureKind.Forbidden, "notClaimant");
    }

    [Fact]
    public void Complete_before_the_work_started_is_an_invalid_transition()
    {
        var request = Given.ClaimedBy(Given.Wish(), "li.na");

        AssertFailure(request.Complete(LiNa, null, Given.Morning), FailureKind.Conflict, "invalidTransition");
    }

    [Fact]
    public void Verify_by_a_volunteer_is_forbidden_with_staffOnly()
    {
        var request = Given.CompletedWish("li.na");

        AssertFailure(request.Verify(LiNa, approved: true, rating: 5, null, Given.Morning), FailureKind.Forbidden, "staffOnly");
    }

    [Fact]
    public void Verify_before_completion_is_an_invalid_transition()
    {
        var request = Given.InProgressWish("li.na");

        AssertFailure(request.Verify(Given.GridWorker, approved: true, rating: 5, null, Given.Morning), FailureKind.Conflict, "invalidTransition");
        Assert.Null(request.Verification);
    }

    [Fact]
    public void Cancel_by_a_volunteer_is_forbidden_with_staffOnly()
    {
        var request = Given.ClaimedBy(Given.Wish(), "li.na");

        AssertFailure(request.Cancel(LiNa, "Changed my mind", Given.Morning), FailureKind.Forbidden, "staffOnly");
    }

    [Theory]
    [InlineData(RequestStatus.Verified, "verified")]
    [InlineData(RequestStatus.Cancelled, "cancelled")]
    public void Cancel_of_a_final_request_is_refused_with_invalidTransition(RequestStatus status, string named)
    {
        var request = ServiceRequestLifecycleTests.RequestIn(status);

        var failure = request.Cancel(Given.GridWorker, "Too late", Given.Morning);

        AssertFailure(failure, FailureKind.Conflict, "invalidTransition");
        Assert.Contains(named, failure!.Detail, StringComparison.Ordinal);
    }

    public static TheoryData<string> RefusedOperations =>
    [
        "release by non-claimant",
        "start by non-claimant",
        "start twice",
        "complete by non-claimant",
        "complete before start",
        "verify by volunteer",
        "verify before completion",
        "cancel by volunteer",
        "cancel after verification",
        "release after completion",
    ];

    [Theory]
    [MemberData(nameof(RefusedOperations))]
    public void A_refused_operation_changes_nothing(string operation)
    {
        var (request, attempt) = operation switch
        {
            "release by non-claimant" => (Given.ClaimedBy(Given.Activity(3), "li.na"), (Func<ServiceRequest, Failure?>)(r => r.Release(ZhaoLei, Later))),
            "start by non-claimant" => (Given.ClaimedBy(Given.Wish(), "li.na"), r => r.Start(ZhaoLei, Later)),
            "start twice" => (Given.InProgressWish("li.na"), r => r.Start(LiNa, Later)),
            "complete by non-claimant" => (Given.InProgressWish("li.na"), r => r.Complete(ZhaoLei, "note", Later)),
            "complete before start" => (Given.ClaimedBy(Given.Wish(), "li.na"), r => r.Complete(LiNa, "note", Later)),
            "verify by volunteer" => (Given.CompletedWish("li.na"), r => r.Verify(LiNa, true, 5, "comment", Later)),
            "verify before completion" => (Given.InProgressWish("li.na"), r => r.Verify(Given.GridWorker, false, null, "comment", Later)),
            "cancel by volunteer" => (Given.ClaimedBy(Given.Wish(), "li.na"), r => r.Cancel(LiNa, "reason", Later)),
            "cancel after verification" => (Given.VerifiedWish("li.na"), r => r.Cancel(Given.GridWorker, "reason", Later)),
            "release after completion" => (Given.CompletedWish("li.na"), r => r.Release(LiNa, Later)),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
        var before = Given.Snapshot(request);
        var claimants = request.Claimants;
        var history = request.History;

        Assert.NotNull(attempt(request));

        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal<string>(claimants, request.Claimants);
        Assert.Equal(history.Length, request.History.Length);
    }

    private static DateTimeOffset Later => Given.Morning.AddHours(2);

    private static void AssertFailure(Failure? failure, FailureKind kind, string code)
    {
        Assert.NotNull(failure);
        Assert.Equal(kind, failure.Kind);
        Assert.Equal(code, failure.Code);
        Assert.False(string.IsNullOrWhiteSpace(failure.Detail));
    }
}
