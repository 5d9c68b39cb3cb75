using System.Collections.Immutable;
using Dispatch.Requests;
using Dispatch.WebHost.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Requests;

/// <summary>Issue #16, item 9: staff free text is for staff and the current claimant only.</summary>
public sealed class RequestPrivacyTests
{
    private static ServiceRequest Rejected()
    {
        var request = CompletedWish();
        Assert.Null(request.Verify(GridWorker, approved: false, rating: null, "Ask her son first", Morning));
        Assert.Null(request.Cancel(GridWorker, "Family complained", Morning));
        return request;
    }

    [Fact]
    public void Other_volunteers_see_no_completion_note_verification_comment_or_cancel_reason()
    {
        var view = Rejected().ToView().Present(RequestAccess.Public);

        Assert.Null(view.CompletionNote);
        Assert.Null(view.CancelReason);
        Assert.NotNull(view.Verification);
        Assert.Null(view.Verification.Comment);
        Assert.False(view.Verification.Approved);
        Assert.Null(view.Beneficiary);
    }

    [Theory]
    [InlineData(RequestAccess.Staff)]
    [InlineData(RequestAccess.Claimant)]
    public void Staff_and_the_claimant_see_the_notes(RequestAccess access)
    {
        var view = Rejected().ToView().Present(access);

        Assert.Equal("Delivered", view.CompletionNote);
        Assert.Equal("Family complained", view.CancelReason);
        Assert.Equal("Ask her son first", view.Verification?.Comment);
    }

    [Fact]
    public void Other_volunteers_see_the_history_without_its_notes()
    {
        var request = Rejected();
        var declined = OpenWish();
        Assert.Null(declined.Dispatch(GridWorker, ["li.na"], auto: false, Morning));
        Assert.Null(declined.DeclineOffer(Volunteer("li.na"), "My mother is ill", Morning));

        foreach (var history in new[] { request.History, declined.History })
        {
            Assert.Contains(history, h => h.Note is not null);
            var shown = history.Present(RequestAccess.Public);
            Assert.Equal(history.Select(h => (h.Seq, h.Action, h.Actor)), shown.Select(h => (h.Seq, h.Action, h.Actor)));
            Assert.All(shown, h => Assert.Null(h.Note));
            Assert.Equal<HistoryEntry>(history, history.Present(RequestAccess.Claimant));
        }
    }

    [Fact]
    public void An_empty_history_stays_empty() =>
        Assert.Empty(default(ImmutableArray<HistoryEntry>).WithoutNotes());
}
