using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Requests;

/// <summary>Issue #16, item 12: a volunteer whose account was disabled or moved leaves the requests they were part of.</summary>
public sealed class WithdrawVolunteerTests
{
    [Fact]
    public void Their_claim_is_released_with_an_entry_by_whoever_changed_the_account()
    {
        var request = Given.InProgressWish("li.na");
        request.TakeNotices();

        Assert.True(request.WithdrawVolunteer("li.na", "grid.wang", "the account was disabled", Min(30)));

        Assert.Empty(request.Claimants);
        Assert.Equal(RequestStatus.Open, request.Status);
        var entry = request.History[^1];
        Assert.Equal((RequestAction.Released, "grid.wang", RequestStatus.InProgress, RequestStatus.Open), (entry.Action, entry.Actor, entry.From, entry.To));
        Assert.Equal("'li.na' released: the account was disabled", entry.Note);
        Assert.Contains(new VolunteerNotice("li.na", VolunteerAction.Released), request.TakeNotices());
    }

    [Fact]
    public void The_offer_waiting_for_them_is_withdrawn_and_an_automatic_line_moves_on_without_them()
    {
        var request = Offered(Given.Wish(), auto: true, "li.na", "wang.fang", "zhao.lei");
        Assert.True(request.WithdrawVolunteer("wang.fang", "grid.wang", "moved", Min(1)));
        Assert.Equal("li.na", request.Offer!.Volunteer);
        Assert.DoesNotContain("wang.fang", request.OfferQueue);

        Assert.True(request.WithdrawVolunteer("li.na", "grid.wang", "the account was disabled", Min(2)));

        Assert.Equal("zhao.lei", request.Offer!.Volunteer);
        var withdrawn = request.History[^2];
        Assert.Equal((RequestAction.OfferWithdrawn, "grid.wang"), (withdrawn.Action, withdrawn.Actor));
        Assert.Contains("li.na", withdrawn.Note, StringComparison.Ordinal);
        Assert.Equal(RequestAction.Offered, request.History[^1].Action);
    }

    [Fact]
    public void A_volunteer_with_no_part_in_the_request_or_a_finished_one_changes_nothing()
    {
        var open = Given.OpenWish();
        var before = Given.Snapshot(open);
        Assert.False(open.WithdrawVolunteer("li.na", "grid.wang", "disabled", Min(1)));
        Assert.Equal(before, Given.Snapshot(open));

        var verified = Given.VerifiedWish("li.na");
        var done = Given.Snapshot(verified);
        Assert.False(verified.WithdrawVolunteer("li.na", "grid.wang", "disabled", Min(1)));
        Assert.Equal(done, Given.Snapshot(verified));
    }
}
