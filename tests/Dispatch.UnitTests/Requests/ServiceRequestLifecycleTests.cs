using Dispatch.Common;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.UnitTests.Requests;

public sealed class ServiceRequestLifecycleTests
{
    private readonly FakeTimeProvider time = new(Given.Morning);

    [Fact]
    public void Create_opens_the_request_with_one_created_entry_and_version_1()
    {
        var id = Guid.NewGuid();

        var request = ServiceRequest.Create(id, Given.Wish(), Given.GridWorker, time.GetUtcNow());

        Assert.Equal(id, request.Id);
        Assert.Equal(RequestStatus.Open, request.Status);
        Assert.Equal(1, request.Version);
        Assert.Empty(request.Claimants);
        Assert.Equal(1, request.FreePlaces);
        Assert.Equal(Given.GridWorker.Username, request.CreatedBy);
        Assert.Equal(time.GetUtcNow(), request.CreatedAt);
        Assert.Equal(time.GetUtcNow(), request.UpdatedAt);
        var created = Assert.Single(request.History);
        Assert.Equal(new HistoryEntry(1, time.GetUtcNow(), "grid.wang", RequestAction.Created, null, RequestStatus.Open, null), created);
    }

    [Fact]
    public void Create_trims_text_drops_a_blank_description_and_duplicate_categories()
    {
        var spec = Given.Wish() with
        {
            Title = "  Thermos cup  ",
            Description = "   ",
            Categories = [" children ", "Children", "winter"],
        };

        var request = Given.Open(spec);

        Assert.Equal("Thermos cup", request.Title);
        Assert.Null(request.Description);
        Assert.Equal<string>(["children", "winter"], request.Categories);
    }

    [Fact]
    public void Create_accepts_default_categories_as_none()
    {
        var request = Given.Open(Given.Wish() with { Categories = default });

        Assert.False(request.Categories.IsDefault);
        Assert.Empty(request.Categories);
    }

    [Fact]
    public void Full_lifecycle_records_who_did_what_from_which_status_to_which_with_the_note()
    {
        var volunteer = Given.Volunteer("li.na");
        var request = ServiceRequest.Create(Guid.NewGuid(), Given.Wish(), Given.GridWorker, time.GetUtcNow());
        var versions = new List<int> { request.Version };

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(request.CheckClaim("li.na", Given.CommunityId));
        request.ApplyClaim("li.na", time.GetUtcNow());
        Assert.Equal(RequestStatus.Claimed, request.Status);
        versions.Add(request.Version);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(request.Start(volunteer, time.GetUtcNow()));
        Assert.Equal(RequestStatus.InProgress, request.Status);
        versions.Add(request.Version);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(request.Complete(volunteer, "  Delivered to the school gate  ", time.GetUtcNow()));
        Assert.Equal(RequestStatus.Completed, request.Status);
        Assert.Equal("Delivered to the school gate", request.CompletionNote);
        versions.Add(request.Version);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(request.Verify(Given.GridWorker, approved: true, rating: 5, "Well done", time.GetUtcNow()));
        Assert.Equal(RequestStatus.Verified, request.Status);
        Assert.True(request.IsFinal);
        versions.Add(request.Version);

        Assert.Equal([1, 2, 3, 4, 5], versions);
        Assert.Equal(time.GetUtcNow(), request.UpdatedAt);
        Assert.Equal(new Verification(true, 5, "Well done", "grid.wang", time.GetUtcNow()), request.Verification);

        var t = Given.Morning;
        Assert.Equal<HistoryEntry>(
            [
                new HistoryEntry(1, t, "grid.wang", RequestAction.Created, null, RequestStatus.Open, null),
                new HistoryEntry(2, t.AddMinutes(1), "li.na", RequestAction.Claimed, RequestStatus.Open, RequestStatus.Claimed, null),
                new HistoryEntry(3, t.AddMinutes(2), "li.na", RequestAction.Started, RequestStatus.Claimed, RequestStatus.InProgress, null),
                new HistoryEntry(4, t.AddMinutes(3), "li.na", RequestAction.Completed, RequestStatus.InProgress, RequestStatus.Completed, "Delivered to the school gate"),
                new HistoryEntry(5, t.AddMinutes(4), "grid.wang", RequestAction.Verified, RequestStatus.Completed, RequestStatus.Verified, "Well done"),
            ],
            request.History);
    }

    [Fact]
    public void Version_is_the_length_of_the_history_and_history_seq_counts_from_one()
    {
        var request = Given.VerifiedWish();

        Assert.Equal(request.History.Length, request.Version);
        Assert.Equal(Enumerable.Range(1, request.Version), request.History.Select(h => h.Seq));
    }

    [Fact]
    public void Rejected_verification_goes_back_to_in_progress_with_an_entry_and_no_rating()
    {
        var request = Given.CompletedWish();
        var before = request.Version;
        time.Advance(TimeSpan.FromHours(1));

        var failure = request.Verify(Given.GridWorker, approved: false, rating: 4, "  Cup was the wrong size  ", time.GetUtcNow());

        Assert.Null(failure);
        Assert.Equal(RequestStatus.InProgress, request.Status);
        Assert.Equal(before + 1, request.Version);
        Assert.Equal(
            new HistoryEntry(before + 1, time.GetUtcNow(), "grid.wang", RequestAction.VerificationRejected, RequestStatus.Completed, RequestStatus.InProgress, "Cup was the wrong size"),
            request.History[^1]);
        Assert.NotNull(request.Verification);
        Assert.False(request.Verification.Approved);
        Assert.Null(request.Verification.Rating);
        Assert.Equal("Cup was the wrong size", request.Verification.Comment);
        Assert.Equal<string>(["li.na"], request.Claimants);
    }

    [Fact]
    public void After_a_rejected_verification_the_claimant_can_complete_again_and_staff_can_approve()
    {
        var request = Given.CompletedWish();
        Assert.Null(request.Verify(Given.GridWorker, approved: false, rating: null, "Not yet", Given.Morning));

        Assert.Null(request.Complete(Given.Volunteer("li.na"), "Exchanged the cup", Given.Morning));
        Assert.Null(request.Verify(Given.GridWorker, approved: true, rating: 4, null, Given.Morning));

        Assert.Equal(RequestStatus.Verified, request.Status);
        Assert.Equal(4, request.Verification?.Rating);
        Assert.Equal(
            [RequestAction.Created, RequestAction.Claimed, RequestAction.Started, RequestAction.Completed,
             RequestAction.VerificationRejected, RequestAction.Completed, RequestAction.Verified],
            request.History.Select(h => h.Action));
    }

    [Fact]
    public void Complete_by_staff_is_allowed_without_a_claim()
    {
        var request = Given.InProgressWish();

        Assert.Null(request.Complete(Given.GridWorker, null, Given.Morning));

        Assert.Equal(RequestStatus.Completed, request.Status);
        Assert.Null(request.CompletionNote);
        Assert.Equal("grid.wang", request.History[^1].Actor);
    }

    [Fact]
    public void Complete_by_admin_is_allowed_without_a_claim()
    {
        var request = Given.InProgressWish();

        Assert.Null(request.Complete(Given.Admin, "Done by the office", Given.Morning));

        Assert.Equal(RequestStatus.Completed, request.Status);
    }

    [Fact]
    public void Cancel_records_the_trimmed_reason_and_who_cancelled()
    {
        var request = Given.ClaimedBy(Given.Wish(), "li.na");
        time.Advance(TimeSpan.FromMinutes(5));

        var failure = request.Cancel(Given.GridWorker, "  Beneficiary moved away  ", time.GetUtcNow());

        Assert.Null(failure);
        Assert.Equal(RequestStatus.Cancelled, request.Status);
        Assert.True(request.IsFinal);
        Assert.Equal("Beneficiary moved away", request.CancelReason);
        Assert.Equal(
            new HistoryEntry(3, time.GetUtcNow(), "grid.wang", RequestAction.Cancelled, RequestStatus.Claimed, RequestStatus.Cancelled, "Beneficiary moved away"),
            request.History[^1]);
    }

    [Theory]
    [InlineData(RequestStatus.Open)]
    [InlineData(RequestStatus.Claimed)]
    [InlineData(RequestStatus.InProgress)]
    [InlineData(RequestStatus.Completed)]
    public void Cancel_is_allowed_on_every_request_that_is_not_final(RequestStatus status)
    {
        var request = RequestIn(status);

        Assert.Null(request.Cancel(Given.Admin, "Withdrawn", Given.Morning));

        Assert.Equal(RequestStatus.Cancelled, request.Status);
    }

    [Fact]
    public void ToSummary_and_ToView_carry_the_same_version_status_and_claimant_count()
    {
        var request = Given.ClaimedBy(Given.Activity(5), "a", "b", "c");

        var summary = request.ToSummary();
        var view = request.ToView();

        Assert.Equal(request.Version, summary.Version);
        Assert.Equal(request.Version, view.Version);
        Assert.Equal(request.Status, summary.Status);
        Assert.Equal(request.Status, view.Status);
        Assert.Equal(3, summary.ClaimantCount);
        Assert.Equal<string>(["a", "b", "c"], view.Claimants);
        Assert.Equal(2, summary.FreePlaces);
        Assert.Equal(2, view.FreePlaces);
        Assert.Equal(request.Id, summary.Id);
        Assert.Equal(request.Id, view.Id);
        Assert.Equal(request.CommunityId, summary.CommunityId);
        Assert.Equal(request.CreatedAt, summary.CreatedAt);
        Assert.Equal(request.UpdatedAt, view.UpdatedAt);
        Assert.Equal(request.Beneficiary, view.Beneficiary);
        Assert.Equal<string>(request.Categories, summary.Categories);
    }

    [Fact]
    public void ToSummary_and_ToView_follow_every_transition()
    {
        var request = Given.OpenWish();
        var volunteer = Given.Volunteer("li.na");
        var steps = new Func<Failure?>[]
        {
            () => { request.ApplyClaim("li.na", Given.Morning); return null; },
            () => request.Start(volunteer, Given.Morning),
            () => request.Complete(volunteer, null, Given.Morning),
            () => request.Verify(Given.GridWorker, true, 3, null, Given.Morning),
        };

        foreach (var step in steps)
        {
            Assert.Null(step());
            var summary = request.ToSummary();
            var view = request.ToView();
            Assert.Equal((request.Version, request.Status, request.Claimants.Length), (summary.Version, summary.Status, summary.ClaimantCount));
            Assert.Equal((request.Version, request.Status, request.Claimants.Length), (view.Version, view.Status, view.Claimants.Length));
        }
    }

    internal static ServiceRequest RequestIn(RequestStatus status) => status switch
    {
        RequestStatus.Open => Given.OpenWish(),
        RequestStatus.Claimed => Given.ClaimedBy(Given.Wish(), "li.na"),
        RequestStatus.InProgress => Given.InProgressWish(),
        RequestStatus.Completed => Given.CompletedWish(),
        RequestStatus.Verified => Given.VerifiedWish(),
        RequestStatus.Cancelled => Given.CancelledWish(),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
