using System.Text.Json;
using Dispatch.Applications;
using Dispatch.Notifications;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Notifications;

/// <summary>Who a request's change tells what: the notices decided with the change, and kept until an inbox confirms them.</summary>
public sealed class NotificationsRulesTests
{
    [Fact]
    public void An_offer_tells_the_offered_volunteer_when_it_lapses()
    {
        var request = Offered(Given.Wish(), auto: false, "li.na");

        var notice = Assert.Single(request.PendingNotices);

        Assert.Equal(("li.na", NoticeKind.Offered, Min(10)), (notice.Username, notice.Notice.Kind, notice.Notice.Until));
        Assert.Equal((request.Id, "Thermos cup for an 8-year-old", "grid.wang"), (notice.Notice.RequestId, notice.Notice.Subject, notice.Notice.By));
    }

    [Fact]
    public void A_claim_tells_the_owner_but_not_when_the_owner_claims_and_nobody_when_there_is_no_owner()
    {
        var unowned = OpenWish();
        unowned.ApplyClaim("li.na", Given.Morning);
        Assert.Empty(unowned.PendingNotices);

        var owned = OpenActivity(3);
        Assert.Null(owned.Acknowledge(Given.GridWorker, Given.Morning));
        Assert.Equal("grid.wang", owned.Owner);
        owned.ApplyClaim("li.na", Min(1));

        var notice = Assert.Single(owned.PendingNotices);
        Assert.Equal(("grid.wang", NoticeKind.Claimed, "li.na"), (notice.Username, notice.Notice.Kind, notice.Notice.By));
    }

    [Fact]
    public void An_accepted_offer_tells_the_owner()
    {
        var request = OpenWish();
        Assert.Null(request.Acknowledge(Given.GridWorker, Given.Morning));
        Assert.Null(request.Dispatch(Given.GridWorker, ["li.na"], auto: false, Given.Morning));
        request.AcceptOffer(Given.Volunteer("li.na"), Min(2));

        Assert.Equal(
            [("li.na", NoticeKind.Offered), ("grid.wang", NoticeKind.Claimed)],
            request.PendingNotices.Select(n => (n.Username, n.Notice.Kind)));
    }

    [Fact]
    public void A_verification_tells_each_claimant_and_what_they_earned()
    {
        var request = Create(Given.Activity(2), award: 20);
        request.ApplyClaim("li.na", Given.Morning);
        request.ApplyClaim("zhao.lei", Given.Morning);
        Assert.Null(request.Start(Given.Volunteer("li.na"), Min(1)));
        Assert.Null(request.Complete(Given.Volunteer("li.na"), null, Min(2)));

        Assert.Null(request.Verify(Given.GridWorker, approved: true, rating: 5, "Well done", Min(3)));

        Assert.Equal(
            [("li.na", NoticeKind.Verified, null), ("zhao.lei", NoticeKind.Verified, null), ("li.na", NoticeKind.PointsEarned, 20), ("zhao.lei", NoticeKind.PointsEarned, 20)],
            request.PendingNotices.Select(n => (n.Username, n.Notice.Kind, n.Notice.Amount)));
    }

    [Fact]
    public void A_rejected_and_an_overturned_verification_tell_the_claimant()
    {
        var rejected = Given.CompletedWish("li.na");
        Assert.Null(rejected.Verify(Given.GridWorker, approved: false, rating: null, "Not delivered", Given.Morning));
        Assert.Equal([("li.na", NoticeKind.VerificationRejected)], rejected.PendingNotices.Select(n => (n.Username, n.Notice.Kind)));

        var overturned = Given.VerifiedWish("li.na");
        Assert.True(overturned.MarkNoticesDelivered(overturned.PendingNotices.Select(n => n.Key)));
        Assert.Null(overturned.Verify(Given.GridWorker, approved: false, rating: null, "Wrong child", Given.Morning));
        Assert.Equal([("li.na", NoticeKind.VerificationOverturned)], overturned.PendingNotices.Select(n => (n.Username, n.Notice.Kind)));
    }

    [Fact]
    public void An_escalation_tells_the_staff_of_the_place_it_reached()
    {
        var request = Given.UnderPolicy(Given.UrgentWish(), Given.TwoSeconds);

        request.Advance(Given.At(3));

        var notice = Assert.Single(request.PendingNotices);
        Assert.Equal((null, "t", NoticeKind.Escalated, 1, "t"), (notice.Username, notice.StaffOf, notice.Notice.Kind, notice.Notice.Level, notice.Notice.PlaceId));
        Assert.Equal(ServiceRequest.SystemActor, notice.Notice.By);
    }

    [Fact]
    public void A_handover_tells_the_staff_member_it_is_handed_to()
    {
        var request = OpenWish();
        Assert.Null(request.Acknowledge(Given.GridWorker, Given.Morning));

        Assert.Null(request.Handover(Given.GridWorker, "town.zhao", Min(1)));

        var notice = Assert.Single(request.PendingNotices);
        Assert.Equal(("town.zhao", NoticeKind.HandoverOffered, "grid.wang"), (notice.Username, notice.Notice.Kind, notice.Notice.By));
    }

    [Fact]
    public void A_refused_change_and_a_wrong_check_in_code_decide_nothing()
    {
        var request = Given.InProgressWish("li.na");
        var before = request.PendingNotices;

        Assert.NotNull(request.Verify(Given.Volunteer("li.na"), approved: true, rating: 5, null, Given.Morning));
        Assert.NotNull(request.Release(Given.Volunteer("somebody"), Given.Morning));

        Assert.Equal(before, request.PendingNotices);
    }

    [Fact]
    public void No_notice_carries_the_beneficiary_or_a_note_anyone_wrote()
    {
        var request = Create(Given.Wish(), award: 10);
        Assert.Null(request.Acknowledge(Given.GridWorker, Given.Morning));
        Assert.Null(request.Dispatch(Given.GridWorker, ["li.na"], auto: false, Given.Morning));
        request.AcceptOffer(Given.Volunteer("li.na"), Min(1));
        Assert.Null(request.Start(Given.Volunteer("li.na"), Min(2)));
        Assert.Null(request.Complete(Given.Volunteer("li.na"), "Call 13800000000 at Grid 3", Min(3)));
        Assert.Null(request.Handover(Given.GridWorker, "town.zhao", Min(4)));
        Assert.Null(request.Verify(Given.GridWorker, approved: true, rating: 5, "Xiao Ming is happy", Min(5)));

        var text = JsonSerializer.Serialize(request.PendingNotices);

        Assert.True(request.PendingNotices.Length >= 5);
        foreach (var secret in new[] { "Xiao Ming", "13800000000", "Grid 3", Code, "Left-behind child" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Keys_are_unique_per_change_and_person_and_delivered_notices_leave_the_outbox()
    {
        var request = Create(Given.Activity(2), award: 20);
        request.ApplyClaim("li.na", Given.Morning);
        request.ApplyClaim("zhao.lei", Given.Morning);
        Assert.Null(request.Start(Given.Volunteer("li.na"), Min(1)));
        Assert.Null(request.Complete(Given.Volunteer("li.na"), null, Min(2)));
        Assert.Null(request.Verify(Given.GridWorker, approved: true, rating: 5, null, Min(3)));
        var keys = request.PendingNotices.Select(n => n.Key).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.True(request.HasUndelivered);

        Assert.True(request.MarkNoticesDelivered(keys.Take(2)));
        Assert.False(request.MarkNoticesDelivered(keys.Take(2)));
        Assert.Equal(keys.Skip(2), request.PendingNotices.Select(n => n.Key));
    }

    [Fact]
    public void The_outbox_is_bounded_the_oldest_notices_give_way()
    {
        var request = OpenActivity(1000);
        Assert.Null(request.Acknowledge(Given.GridWorker, Given.Morning));
        foreach (var volunteer in Given.Names("v", ServiceRequest.PendingNoticesKept + 10))
        {
            request.ApplyClaim(volunteer, Given.Morning);
        }

        Assert.Equal(ServiceRequest.PendingNoticesKept, request.PendingNotices.Length);
        Assert.Equal("v011", request.PendingNotices[0].Notice.By);
    }

    [Fact]
    public void A_report_in_tells_the_staff_of_its_community_naming_the_unit_or_person_never_the_phone()
    {
        var person = ApplicationRules.Create("a1", new NewApplication(ApplicationKind.Person, "m1", "孙丽", "13712345678", "sun.li", null, false, [], [], []), Given.Morning);
        var unit = ApplicationRules.Create("a2", new NewApplication(ApplicationKind.Unit, "m1", "赵强", "13712345679", "power", "County Power Supply", false, [], [], []), Given.Morning);

        var forPerson = Assert.Single(ApplicationNotices.Waiting(person, ["m1"], Given.Morning));
        var forUnit = Assert.Single(ApplicationNotices.Waiting(unit, ["m1"], Given.Morning));

        Assert.Equal((null, "m1", NoticeKind.ApplicationWaiting, "孙丽", "a1", false), (forPerson.Username, forPerson.StaffOf, forPerson.Notice.Kind, forPerson.Notice.Subject, forPerson.Notice.ApplicationId, forPerson.InboxOnly));
        Assert.Equal("County Power Supply", forUnit.Notice.Subject);
        Assert.NotEqual(forPerson.Key, forUnit.Key);
        Assert.DoesNotContain("1371234567", JsonSerializer.Serialize(new[] { forPerson, forUnit }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_in_also_tells_the_staff_of_every_place_above_its_community_in_their_inbox_only()
    {
        var person = ApplicationRules.Create("a1", new NewApplication(ApplicationKind.Person, "m1", "孙丽", "13712345678", "sun.li", null, false, [], [], []), Given.Morning);

        var notices = ApplicationNotices.Waiting(person, ["r1", "c1", "t1", "m1"], Given.Morning);

        Assert.Equal(["r1", "c1", "t1", "m1"], notices.Select(n => n.StaffOf));
        // Only the community's own channels are alerted; one key per place, so each inbox keeps its one.
        Assert.Equal([true, true, true, false], notices.Select(n => n.InboxOnly));
        Assert.Equal(4, notices.Select(n => n.Key).Distinct().Count());
        Assert.All(notices, n => Assert.Equal(("m1", "a1", "孙丽"), (n.Notice.PlaceId, n.Notice.ApplicationId, n.Notice.Subject)));
    }
}
