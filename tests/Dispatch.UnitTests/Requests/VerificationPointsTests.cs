using Dispatch.Common;
using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Requests;

/// <summary>Verification credits the claimants once, through the request's outbox of postings.</summary>
public sealed class VerificationPointsTests
{
    private static ServiceRequest CompletedActivity(int award = 20)
    {
        // Three doctors on their own and an organisation with two places.
        var request = Create(Given.Activity(5), award: award);
        request.ApplyClaim("a", Min(1));
        request.ApplyClaim("b", Min(2));
        request.ApplyClaim("member.zhang", Min(3), Organisation, places: 2);
        request.ApplyClaim("c", Min(4));
        Assert.Null(request.Start(Given.Volunteer("a"), Min(5)));
        Assert.Null(request.Complete(Given.Volunteer("a"), "Clinic held", Min(60)));
        request.TakeNotices();
        return request;
    }

    [Fact]
    public void An_approved_verification_posts_one_earning_per_claimant_and_an_unnamed_organisation_its_claimant_once()
    {
        var request = CompletedActivity(award: 20);

        Assert.Null(request.Verify(Staff, approved: true, rating: 5, "Well done", Min(90)));

        var verifiedSeq = request.History[^1].Seq;
        Assert.Equal(RequestAction.Verified, request.History[^1].Action);
        Assert.Equal(verifiedSeq, request.EarnedAtSeq);
        Assert.Equal(
            [("a", 20), ("b", 20), ("c", 20), ("member.zhang", 20)],
            request.PendingPostings.Select(p => (p.Volunteer, p.Posting.Amount)));
        Assert.All(request.PendingPostings, p =>
        {
            Assert.Equal($"request:{request.Id}:earn:{verifiedSeq}:{p.Volunteer}", p.Posting.Key);
            Assert.Equal(PostingKind.Earning, p.Posting.Kind);
            Assert.Equal(Given.CommunityId, p.Posting.PoolCommunityId);
            Assert.Equal(request.Id.ToString(), p.Posting.Reference);
            Assert.Equal(Staff.Username, p.Posting.By);
            Assert.False(p.Posting.AllowPartialDebit);
        });
        Assert.Equal(80, request.PointsAwarded);
        Assert.Equal<VolunteerNotice>(
            Notices(("a", VolunteerAction.Completed), ("b", VolunteerAction.Completed), ("member.zhang", VolunteerAction.Completed), ("c", VolunteerAction.Completed)),
            request.TakeNotices());
        Assert.All(request.Claimants, c => Assert.False(request.HasActiveClaim(c)));
    }

    [Fact]
    public void A_retried_verification_credits_once_nothing_changes_on_a_verified_request()
    {
        var request = Given.CompletedWish();
        Assert.Null(request.Verify(Staff, approved: true, rating: 5, "Thank you", Min(10)));
        request.TakeNotices();
        var before = Given.Snapshot(request);
        var postings = request.PendingPostings;
        var version = request.Version;

        Assert.Null(request.Verify(Staff, approved: true, rating: 3, "again", Min(20)));
        Assert.Null(request.Verify(Given.Admin, approved: true, rating: null, null, Min(30)));

        Assert.Equal(version, request.Version);
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal<PendingPosting>(postings, request.PendingPostings);
        Assert.Equal(5, request.Verification?.Rating);
        Assert.Empty(request.TakeNotices());
    }

    [Fact]
    public void A_retried_verification_after_the_earnings_were_posted_posts_nothing_new()
    {
        var request = Given.CompletedWish();
        Assert.Null(request.Verify(Staff, approved: true, rating: 5, null, Min(10)));
        Assert.True(request.MarkPosted(request.PendingPostings.Select(p => p.Posting.Key)));

        Assert.Null(request.Verify(Staff, approved: true, rating: 5, null, Min(11)));

        Assert.Empty(request.PendingPostings);
        Assert.Equal(10, request.PointsAwarded);
    }

    [Fact]
    public void A_volunteer_cannot_verify_staffOnly()
    {
        var request = Given.CompletedWish();
        var before = Given.Snapshot(request);

        var refused = request.Verify(Given.Volunteer("li.na"), approved: true, rating: 5, null, Min(10));

        Assert.Equal((FailureKind.Forbidden, "staffOnly"), (refused?.Kind, refused?.Code));
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Empty(request.PendingPostings);
    }

    [Fact]
    public void A_volunteer_cannot_overturn_a_verification_staffOnly()
    {
        var request = Given.VerifiedWish();
        var before = Given.Snapshot(request);

        var refused = request.Verify(Given.Volunteer("li.na"), approved: false, rating: null, "I did not do it", Min(10));

        Assert.Equal("staffOnly", refused?.Code);
        Assert.Equal(before, Given.Snapshot(request));
    }

    [Fact]
    public void A_rejected_verification_sends_the_work_back_without_points_and_keeps_the_claims()
    {
        var request = CompletedActivity();

        Assert.Null(request.Verify(Staff, approved: false, rating: 4, "  Two patients were not seen  ", Min(90)));

        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.Equal(new Verification(false, null, "Two patients were not seen", Staff.Username, Min(90)), request.Verification);
        Assert.Equal(RequestAction.VerificationRejected, request.History[^1].Action);
        Assert.Empty(request.PendingPostings);
        Assert.Null(request.EarnedAtSeq);
        Assert.Equal(0, request.PointsAwarded);
        Assert.Empty(request.TakeNotices());
        Assert.All(request.Claimants, c => Assert.True(request.HasActiveClaim(c)));
    }

    [Fact]
    public void Overturning_a_verification_reverses_each_earning_and_reinstates_the_claims()
    {
        var request = CompletedActivity(award: 20);
        Assert.Null(request.Verify(Staff, approved: true, rating: 5, null, Min(90)));
        var earnedSeq = request.EarnedAtSeq!.Value;
        var earningKeys = request.PendingPostings.Select(p => p.Posting.Key).ToList();
        Assert.True(request.MarkPosted(earningKeys));
        request.TakeNotices();

        Assert.Null(request.Verify(TownStaff, approved: false, rating: null, " Forged photos ", Min(120)));

        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.Equal(
            new HistoryEntry(request.Version, Min(120), TownStaff.Username, RequestAction.VerificationOverturned, RequestStatus.Verified, RequestStatus.InProgress, "Forged photos"),
            request.History[^1]);
        Assert.Equal(new Verification(false, null, "Forged photos", TownStaff.Username, Min(120)), request.Verification);
        Assert.Equal(
            [("a", -20), ("b", -20), ("c", -20), ("member.zhang", -20)],
            request.PendingPostings.Select(p => (p.Volunteer, p.Posting.Amount)));
        Assert.All(request.PendingPostings, p =>
        {
            Assert.Equal(PostingKind.Reversal, p.Posting.Kind);
            Assert.True(p.Posting.AllowPartialDebit);
            Assert.Equal($"request:{request.Id}:reverse:{earnedSeq}:{p.Volunteer}", p.Posting.Key);
            Assert.DoesNotContain(p.Posting.Key, earningKeys);
            Assert.Equal(TownStaff.Username, p.Posting.By);
        });
        Assert.Null(request.EarnedAtSeq);
        Assert.Equal(0, request.PointsAwarded);
        Assert.Equal<VolunteerNotice>(
            Notices(("a", VolunteerAction.ClaimReinstated), ("b", VolunteerAction.ClaimReinstated), ("member.zhang", VolunteerAction.ClaimReinstated), ("c", VolunteerAction.ClaimReinstated)),
            request.TakeNotices());
        Assert.All(request.Claimants, c => Assert.True(request.HasActiveClaim(c)));
        Assert.Equal(5, request.PlacesTaken);
    }

    private static readonly Actor TownStaff = Given.TownStaff;

    [Fact]
    public void Overturning_before_the_earnings_were_posted_queues_the_reversal_after_the_earning()
    {
        var request = Given.CompletedWish();
        Assert.Null(request.Verify(Staff, approved: true, rating: 5, null, Min(10)));

        Assert.Null(request.Verify(Staff, approved: false, rating: null, "mistake", Min(11)));

        Assert.Equal(
            [(PostingKind.Earning, 10), (PostingKind.Reversal, -10)],
            request.PendingPostings.Select(p => (p.Posting.Kind, p.Posting.Amount)));
    }

    [Fact]
    public void An_overturned_request_cannot_be_overturned_again()
    {
        var request = Given.VerifiedWish();
        Assert.Null(request.Verify(Staff, approved: false, rating: null, null, Min(10)));
        var before = Given.Snapshot(request);
        var postings = request.PendingPostings.Length;

        var refused = request.Verify(Staff, approved: false, rating: null, null, Min(11));

        Assert.Equal("invalidTransition", refused?.Code);
        Assert.Equal(before, Given.Snapshot(request));
        Assert.Equal(postings, request.PendingPostings.Length);
    }

    [Fact]
    public void Verifying_again_after_an_overturn_credits_anew_with_new_keys()
    {
        var request = Given.CompletedWish();
        Assert.Null(request.Verify(Staff, approved: true, rating: 5, null, Min(10)));
        var firstKeys = request.PendingPostings.Select(p => p.Posting.Key).ToList();
        Assert.Null(request.Verify(Staff, approved: false, rating: null, "wrong house", Min(11)));
        var allKeys = request.PendingPostings.Select(p => p.Posting.Key).ToList();
        Assert.True(request.MarkPosted(allKeys));

        Assert.Null(request.Complete(Given.Volunteer("li.na"), "Delivered to the right house", Min(20)));
        Assert.Null(request.Verify(Staff, approved: true, rating: 4, null, Min(30)));

        var earning = Assert.Single(request.PendingPostings);
        Assert.Equal((PostingKind.Earning, 10), (earning.Posting.Kind, earning.Posting.Amount));
        Assert.Equal($"request:{request.Id}:earn:{request.Version}:li.na", earning.Posting.Key);
        Assert.DoesNotContain(earning.Posting.Key, allKeys);
        Assert.Equal(10, request.PointsAwarded);
        Assert.Equal(request.Version, request.EarnedAtSeq);
        Assert.Equal(2, firstKeys.Concat([earning.Posting.Key]).Distinct().Count());
    }

    [Fact]
    public void A_verification_by_check_in_code_can_be_overturned_too()
    {
        var request = InProgress(Given.Wish(), award: 8);
        Assert.Null(request.Complete(Given.Volunteer("li.na"), null, Min(10), Code));
        request.TakeNotices();

        Assert.Null(request.Verify(Staff, approved: false, rating: null, "beneficiary says no", Min(20)));

        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.Equal([8, -8], request.PendingPostings.Select(p => p.Posting.Amount));
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.ClaimReinstated)), request.TakeNotices());
    }

    [Fact]
    public void MarkPosted_removes_the_confirmed_postings_only()
    {
        var request = CompletedActivity();
        Assert.Null(request.Verify(Staff, approved: true, rating: null, null, Min(90)));
        var keys = request.PendingPostings.Select(p => p.Posting.Key).ToList();

        Assert.True(request.MarkPosted([keys[0], keys[2], "request:unknown"]));

        Assert.Equal([keys[1], keys[3]], request.PendingPostings.Select(p => p.Posting.Key));
        Assert.False(request.MarkPosted([keys[0]]));
        Assert.False(request.MarkPosted([]));
        Assert.True(request.MarkPosted(keys));
        Assert.Empty(request.PendingPostings);
    }

    [Fact]
    public void MarkPosted_does_not_change_the_version()
    {
        var request = Given.VerifiedWish();
        var version = request.Version;

        request.MarkPosted(request.PendingPostings.Select(p => p.Posting.Key));

        Assert.Equal(version, request.Version);
    }

    [Fact]
    public void A_request_awarding_no_points_posts_nothing_on_verification_or_overturn()
    {
        var request = Completed(Given.Wish(), award: 0, checkInCode: Code, "li.na");

        Assert.Null(request.Verify(Staff, approved: true, rating: 5, null, Min(10)));
        Assert.Empty(request.PendingPostings);
        Assert.Equal(0, request.PointsAwarded);
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.Completed)), request.TakeNotices());

        Assert.Null(request.Verify(Staff, approved: false, rating: null, null, Min(20)));
        Assert.Empty(request.PendingPostings);
        Assert.Equal<VolunteerNotice>(Notices(("li.na", VolunteerAction.ClaimReinstated)), request.TakeNotices());
    }

    [Fact]
    public void The_award_not_the_points_is_what_each_claimant_earns()
    {
        var request = Completed(Given.Wish() with { Points = 10 }, award: 15, checkInCode: null, "li.na");

        Assert.Null(request.Verify(Staff, approved: true, rating: 5, null, Min(10)));

        Assert.Equal(15, Assert.Single(request.PendingPostings).Posting.Amount);
        Assert.Equal(15, request.PointsAwarded);
    }

    [Fact]
    public void The_urgency_multipliers_weight_the_award_rounding_half_away_from_zero()
    {
        var options = new PointsOptions();

        Assert.Equal(10, options.Award(10, Urgency.Normal));
        Assert.Equal(15, options.Award(10, Urgency.Urgent));
        Assert.Equal(20, options.Award(10, Urgency.Critical));
        Assert.Equal(2, options.Award(1, Urgency.Urgent));
        Assert.Equal(0, options.Award(0, Urgency.Critical));
        Assert.True(options.IsValid());
        Assert.False(new PointsOptions { UrgentMultiplier = -1 }.IsValid());
        Assert.False(new PointsOptions { CriticalMultiplier = PointsOptions.MaxMultiplier + 1 }.IsValid());
    }

    // ---- what the summary carries ----

    [Fact]
    public void The_summary_of_a_verified_request_carries_times_rating_points_and_places()
    {
        var request = Create(Given.Activity(3), award: 20, at: Given.Morning);
        request.ApplyClaim("member.zhang", Min(7), Organisation, places: 2);
        request.ApplyClaim("a", Min(9));
        Assert.Null(request.Start(Given.Volunteer("a"), Min(10)));
        Assert.Null(request.Complete(Given.Volunteer("a"), null, Min(50)));
        Assert.Null(request.Verify(Staff, approved: true, rating: 4, null, Min(70)));

        var summary = request.ToSummary();

        Assert.Equal(Min(7), summary.FirstClaimedAt);
        Assert.Equal(Min(50), summary.CompletedAt);
        Assert.Equal(Min(70), summary.VerifiedAt);
        Assert.Equal(4, summary.Rating);
        Assert.Equal(40, summary.PointsAwarded);
        Assert.Equal(3, summary.PlacesTaken);
        Assert.Equal(2, summary.ClaimantCount);
        Assert.Null(summary.OfferTo);
        Assert.Equal(DispatchCounts.None, summary.Dispatches);
        Assert.Equal(RequestAction.Verified, summary.LastAction);
    }

    [Fact]
    public void The_summary_of_an_overturned_request_has_no_verification_time_rating_or_points()
    {
        var request = Given.VerifiedWish();
        Assert.Null(request.Verify(Staff, approved: false, rating: null, null, Min(10)));

        var summary = request.ToSummary();

        Assert.Equal(RequestStatus.InProgress, summary.Status);
        Assert.Null(summary.VerifiedAt);
        Assert.Null(summary.Rating);
        Assert.Equal(0, summary.PointsAwarded);
        Assert.Null(summary.CompletedAt);
        Assert.NotNull(summary.FirstClaimedAt);
    }

    [Fact]
    public void The_summary_of_a_rejected_completion_carries_no_rating()
    {
        var request = Given.CompletedWish();
        Assert.Null(request.Verify(Staff, approved: false, rating: 2, "not done", Min(10)));

        Assert.Null(request.ToSummary().Rating);
        Assert.Null(request.ToSummary().VerifiedAt);
    }

    [Fact]
    public void The_first_claim_time_stays_after_the_claim_is_released()
    {
        var request = Create(Given.Wish());
        request.ApplyClaim("li.na", Min(3));
        Assert.Null(request.Release(Given.Volunteer("li.na"), Min(4)));
        request.ApplyClaim("zhao.lei", Min(8));

        Assert.Equal(Min(3), request.FirstClaimedAt);
        Assert.Equal(Min(3), request.ToSummary().FirstClaimedAt);
    }
}
