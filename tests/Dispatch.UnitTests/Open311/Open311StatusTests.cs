using Dispatch.Escalation;
using Dispatch.Open311;
using Dispatch.WebHost.Open311;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Open311;

/// <summary>How a request reads to its submitter: GeoReport's two statuses, notes in plain terms, updates from the history.</summary>
public sealed class Open311StatusTests
{
    [Theory]
    [InlineData(RequestStatus.Open, "open")]
    [InlineData(RequestStatus.Claimed, "open")]
    [InlineData(RequestStatus.InProgress, "open")]
    [InlineData(RequestStatus.Completed, "open")]
    [InlineData(RequestStatus.Verified, "closed")]
    [InlineData(RequestStatus.Cancelled, "closed")]
    public void Open_until_verified_or_cancelled(RequestStatus status, string expected)
    {
        Assert.Equal(expected, Open311Status.Of(status));
    }

    [Fact]
    public void Notes_follow_the_request_through_its_life()
    {
        var request = Given.OpenWish();
        Assert.Equal("Waiting for a volunteer.", Open311Status.Note(request.ToView()));

        request.ApplyClaim("li.na", Given.Morning);
        Assert.Equal("Claimed by a volunteer.", Open311Status.Note(request.ToView()));

        Assert.Null(request.Start(Given.Volunteer("li.na"), Given.Morning));
        Assert.Equal("A volunteer is working on it.", Open311Status.Note(request.ToView()));

        Assert.Null(request.Complete(Given.Volunteer("li.na"), "Delivered to the school", Given.Morning));
        Assert.Equal("Reported done by the volunteer; waiting for staff to verify it.", Open311Status.Note(request.ToView()));

        Assert.Null(request.Verify(Given.GridWorker, approved: true, rating: 5, null, Given.Morning));
        Assert.Equal("Done, and the work was verified.", Open311Status.Note(request.ToView()));
    }

    [Fact]
    public void An_activity_counts_its_places_and_a_cancellation_says_so()
    {
        var request = Given.ClaimedBy(Given.Activity(places: 3), "li.na");
        Assert.Equal("1 of 3 places claimed by volunteers.", Open311Status.Note(request.ToView()));

        request.ApplyClaim("zhao.lei", Given.Morning);
        request.ApplyClaim("wang.fang", Given.Morning);
        Assert.Equal("All 3 places claimed by volunteers.", Open311Status.Note(request.ToView()));

        Assert.Null(request.Cancel(Given.GridWorker, "The clinic moved to next week", Given.Morning));
        Assert.Equal("Cancelled by staff.", Open311Status.Note(request.ToView()));
    }

    [Fact]
    public void An_overdue_request_says_where_it_climbed_and_when_staff_took_it_up()
    {
        var request = ServiceRequest.Create(Guid.NewGuid(), Given.Wish(), Given.GridWorker, Given.Morning, EscalationPolicy.Relaxed,
            ["region", "county", "town", Given.CommunityId]);
        var expected = Given.Morning + EscalationPolicy.Relaxed.ClaimWithin;
        Assert.Equal(expected, Open311Status.Expected(request.ToView()));

        request.Advance(expected);
        Assert.Equal("Waiting for a volunteer. Escalated to the town.", Open311Status.Note(request.ToView()));
        Assert.Null(Open311Status.Expected(request.ToView()));

        Assert.Null(request.Acknowledge(Given.TownStaff with { PlaceId = "town" }, expected));
        Assert.Equal("Waiting for a volunteer. Escalated to the town. Staff have taken it up.", Open311Status.Note(request.ToView()));
    }

    [Fact]
    public void Updates_list_what_the_submitter_cares_about_with_the_status_after_each()
    {
        var request = ServiceRequest.Create(Guid.NewGuid(), Given.Wish(), Given.GridWorker, Given.Morning, EscalationPolicy.Relaxed,
            ["region", "county", "town", Given.CommunityId]);
        request.Advance(Given.Morning + EscalationPolicy.Relaxed.ClaimWithin + EscalationPolicy.Relaxed.EscalateEvery);
        request.ApplyClaim("li.na", Given.Morning.AddDays(3));
        Assert.Null(request.Release(Given.Volunteer("li.na"), Given.Morning.AddDays(3)));
        Assert.Null(request.Cancel(Given.GridWorker, "Mr Zhang moved to his daughter's (138-0000-0000)", Given.Morning.AddDays(4)));

        var updates = Open311Status.Updates(request.Id, request.History);

        Assert.Equal(
            [
                ("open", "Escalated to the town."),
                ("open", "Escalated to the county."),
                ("open", "Claimed by a volunteer."),
                ("open", "The volunteer gave it back; waiting for a volunteer again."),
                ("closed", "Cancelled by staff."),
            ],
            updates.Select(u => (u.Status, u.Description)));
        Assert.All(updates, u => Assert.Equal(request.Id, u.RequestId));
        Assert.Equal(updates.Length, updates.Select(u => u.UpdateId).Distinct().Count());
        Assert.Equal($"{request.Id:N}-{request.History[^1].Seq}", updates[^1].UpdateId);
        Assert.DoesNotContain(updates, u => u.Description.Contains("138", StringComparison.Ordinal) || u.Description.Contains("li.na", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(RequestAction.Created)]
    [InlineData(RequestAction.Offered)]
    [InlineData(RequestAction.OfferDeclined)]
    [InlineData(RequestAction.HandoverOffered)]
    [InlineData(RequestAction.SupervisorsAdded)]
    [InlineData(RequestAction.CheckInRejected)]
    public void Actions_behind_the_scenes_are_not_updates(RequestAction action)
    {
        Assert.Null(Open311Status.UpdateNote(action, 0));
    }
}
