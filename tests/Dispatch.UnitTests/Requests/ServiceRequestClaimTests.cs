using Dispatch.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Requests;

public sealed class ServiceRequestClaimTests
{
    [Fact]
    public void Claim_on_an_open_wish_wins_and_the_wish_is_claimed()
    {
        var request = Given.OpenWish();

        Assert.Null(request.CheckClaim("li.na", Given.CommunityId));
        request.ApplyClaim("li.na", Given.Morning.AddMinutes(1));

        Assert.Equal(RequestStatus.Claimed, request.Status);
        Assert.Equal<string>(["li.na"], request.Claimants);
        Assert.Equal(0, request.FreePlaces);
        Assert.Equal(2, request.Version);
        Assert.Equal(
            new HistoryEntry(2, Given.Morning.AddMinutes(1), "li.na", RequestAction.Claimed, RequestStatus.Open, RequestStatus.Claimed, null),
            request.History[^1]);
    }

    [Fact]
    public void Activity_with_N_places_stays_open_until_the_Nth_claim()
    {
        const int places = 4;
        var request = Given.Open(Given.Activity(places));
        var doctors = Given.Names("doctor", places);

        for (var i = 0; i < places - 1; i++)
        {
            Assert.Null(request.CheckClaim(doctors[i], Given.CommunityId));
            request.ApplyClaim(doctors[i], Given.Morning);
            Assert.Equal(RequestStatus.Open, request.Status);
            Assert.Equal(places - i - 1, request.FreePlaces);
            Assert.Equal(new HistoryEntry(i + 2, Given.Morning, doctors[i], RequestAction.Claimed, RequestStatus.Open, RequestStatus.Open, null), request.History[^1]);
        }

        request.ApplyClaim(doctors[^1], Given.Morning);

        Assert.Equal(RequestStatus.Claimed, request.Status);
        Assert.Equal<string>(doctors, request.Claimants);
        Assert.Equal(0, request.FreePlaces);
        Assert.Equal(RequestStatus.Claimed, request.History[^1].To);
        Assert.Equal(places + 1, request.Version);
    }

    [Fact]
    public void Claim_from_another_community_is_lost_with_outsideCommunity()
    {
        var request = Given.OpenWish();

        Assert.Equal(ClaimLoss.OutsideCommunity, request.CheckClaim("li.na", Given.OtherCommunityId));
    }

    [Fact]
    public void Community_ids_are_compared_exactly()
    {
        var request = Given.OpenWish();

        Assert.Equal(ClaimLoss.OutsideCommunity, request.CheckClaim("li.na", Given.CommunityId.ToUpperInvariant()));
    }

    [Fact]
    public void Second_claim_by_the_same_volunteer_is_lost_with_alreadyClaimed()
    {
        var request = Given.ClaimedBy(Given.Activity(3), "li.na");

        Assert.Equal(ClaimLoss.AlreadyClaimed, request.CheckClaim("li.na", Given.CommunityId));
    }

    [Fact]
    public void AlreadyClaimed_wins_over_full_for_the_holder_of_the_last_place()
    {
        var request = Given.ClaimedBy(Given.Wish(), "li.na");

        Assert.Equal(ClaimLoss.AlreadyClaimed, request.CheckClaim("li.na", Given.CommunityId));
        Assert.Equal(ClaimLoss.Full, request.CheckClaim("zhao.lei", Given.CommunityId));
    }

    [Fact]
    public void Claim_on_full_activity_is_lost_with_full()
    {
        var request = Given.ClaimedBy(Given.Activity(2), "a", "b");

        Assert.Equal(ClaimLoss.Full, request.CheckClaim("c", Given.CommunityId));
    }

    [Theory]
    [InlineData(RequestStatus.InProgress)]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Verified)]
    [InlineData(RequestStatus.Cancelled)]
    public void Claim_on_a_request_not_taking_claims_is_lost_with_notOpen(RequestStatus status)
    {
        var request = ServiceRequestLifecycleTests.RequestIn(status);

        Assert.Equal(ClaimLoss.NotOpen, request.CheckClaim("newcomer", Given.CommunityId));
    }

    [Fact]
    public void Claim_on_a_started_activity_with_free_places_is_lost_with_notOpen()
    {
        var request = Given.ClaimedBy(Given.Activity(6), "doctor1", "doctor2");
        Assert.Null(request.Start(Given.Volunteer("doctor1"), Given.Morning));

        Assert.Equal(4, request.FreePlaces);
        Assert.Equal(ClaimLoss.NotOpen, request.CheckClaim("doctor3", Given.CommunityId));
    }

    [Fact]
    public void CheckClaim_changes_nothing()
    {
        var request = Given.ClaimedBy(Given.Wish(), "li.na");
        var before = Given.Snapshot(request);

        _ = request.CheckClaim("zhao.lei", Given.CommunityId);
        _ = request.CheckClaim("li.na", Given.CommunityId);
        _ = request.CheckClaim("li.na", Given.OtherCommunityId);

        Assert.Equal(before, Given.Snapshot(request));
    }

    [Fact]
    public void ApplyClaim_throws_and_changes_nothing_when_the_request_is_full()
    {
        var request = Given.ClaimedBy(Given.Wish(), "li.na");
        var before = Given.Snapshot(request);

        var error = Assert.Throws<InvalidOperationException>(() => request.ApplyClaim("zhao.lei", Given.Morning));

        Assert.Contains("Full", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Given.Snapshot(request));
    }

    [Fact]
    public void ApplyClaim_throws_for_a_second_claim_by_the_same_volunteer()
    {
        var request = Given.ClaimedBy(Given.Activity(3), "li.na");
        var before = Given.Snapshot(request);

        Assert.Throws<InvalidOperationException>(() => request.ApplyClaim("li.na", Given.Morning));

        Assert.Equal(before, Given.Snapshot(request));
        Assert.Single(request.Claimants);
    }

    [Theory]
    [InlineData(RequestStatus.InProgress)]
    [InlineData(RequestStatus.Completed)]
    [InlineData(RequestStatus.Verified)]
    [InlineData(RequestStatus.Cancelled)]
    public void ApplyClaim_throws_when_the_request_is_not_open(RequestStatus status)
    {
        var request = ServiceRequestLifecycleTests.RequestIn(status);
        var before = Given.Snapshot(request);

        Assert.Throws<InvalidOperationException>(() => request.ApplyClaim("newcomer", Given.Morning));

        Assert.Equal(before, Given.Snapshot(request));
    }

    [Fact]
    public void HasActiveClaim_is_true_only_for_claimants_until_the_work_is_accepted()
    {
        var activity = Given.ClaimedBy(Given.Activity(3), "li.na");
        Assert.Equal(RequestStatus.Open, activity.Status);
        Assert.True(activity.HasActiveClaim("li.na"));
        Assert.False(activity.HasActiveClaim("zhao.lei"));

        var claimed = Given.ClaimedBy(Given.Wish(), "li.na");
        Assert.True(claimed.HasActiveClaim("li.na"));
        Assert.False(claimed.HasActiveClaim("zhao.lei"));

        var inProgress = Given.InProgressWish("li.na");
        Assert.True(inProgress.HasActiveClaim("li.na"));
        Assert.False(inProgress.HasActiveClaim("zhao.lei"));

        // Completed but not yet verified: a rejection would send the work back to the same claimant.
        var completed = Given.CompletedWish("li.na");
        Assert.True(completed.HasActiveClaim("li.na"));
        Assert.False(completed.HasActiveClaim("zhao.lei"));
    }

    [Fact]
    public void HasActiveClaim_is_false_once_the_work_is_verified_or_cancelled()
    {
        var verified = Given.VerifiedWish("li.na");
        var cancelled = Given.ClaimedBy(Given.Wish(), "li.na");
        Assert.Null(cancelled.Cancel(Given.GridWorker, "Withdrawn", Given.Morning));

        Assert.False(verified.HasActiveClaim("li.na"));
        Assert.False(cancelled.HasActiveClaim("li.na"));
        Assert.Equal<string>(["li.na"], cancelled.Claimants);
    }

    [Fact]
    public void HasActiveClaim_is_false_after_release()
    {
        var request = Given.ClaimedBy(Given.Wish(), "li.na");
        Assert.Null(request.Release(Given.Volunteer("li.na"), Given.Morning));

        Assert.False(request.HasActiveClaim("li.na"));
    }

    [Fact]
    public void Usernames_are_compared_exactly_when_claiming()
    {
        var request = Given.ClaimedBy(Given.Activity(3), "li.na");

        Assert.Null(request.CheckClaim("LI.NA", Given.CommunityId));
        Assert.False(request.HasActiveClaim("LI.NA"));
    }
}
