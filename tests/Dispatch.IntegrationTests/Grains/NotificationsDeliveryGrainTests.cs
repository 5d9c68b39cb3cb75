using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// Notices wait in the request's state until their inbox stored them: an inbox whose write fails
/// gets them at the request's next wake-up, once, however often they are delivered.
/// </summary>
public sealed class NotificationsDeliveryGrainTests(ShopClusterFixture fixture) : IClassFixture<ShopClusterFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_failed_inbox_write_is_retried_by_the_wake_up_and_the_notice_is_delivered_once()
    {
        var community = GrainWorld.Unique("n");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var created = await Grains.CreateRequest(community, RequestKind.Wish);
        var request = Grains.GetGrain<IRequestGrain>(created.Id);
        var inbox = Grains.GetGrain<IInboxGrain>(InboxKeys.Inbox(volunteer));

        // The inbox's write fails: the offer stands, its notice waits in the request's stored state.
        fixture.Storage.FailOneWrite("inbox", InboxKeys.Inbox(volunteer));
        var offered = await request.Dispatch(GrainWorld.Staff, [volunteer], auto: false);

        Assert.True(offered.Succeeded);
        Assert.False(fixture.Storage.FaultPending);
        Assert.Equal(0, (await inbox.List(false, 1, 10)).Total);
        var waiting = Assert.Single(Stored(created.Id).PendingNotices);
        Assert.Equal((volunteer, NoticeKind.Offered), (waiting.Username, waiting.Notice.Kind));

        // The request's wake-up for undelivered work delivers it and forgets it.
        fixture.Clock.Advance(RequestGrain.PostingRetry);
        var page = await Eventually.Get(() => inbox.List(false, 1, 10), p => p.Total > 0);
        Assert.Equal((1, 1), (page.Total, page.Unread));
        Assert.Equal((waiting.Key, created.Id), (page.Items[0].Key, page.Items[0].RequestId));
        Assert.Empty((await Eventually.Get(() => Task.FromResult(Stored(created.Id)), r => r.PendingNotices.IsEmpty)).PendingNotices);

        // Delivered again (an answer lost after the write), and woken again: still one notice.
        await inbox.Deliver([waiting.Notice]);
        fixture.Clock.Advance(RequestGrain.PostingRetry);
        await request.NextTurn();
        Assert.Equal(1, (await inbox.List(false, 1, 10)).Total);
    }

    [Fact]
    public async Task An_escalation_reaches_every_staff_member_of_the_place_it_climbed_to()
    {
        var community = GrainWorld.Unique("e");
        await Grains.CreateCommunity(community);
        var town = $"{community}-t";
        string[] staff = [$"{community}-s1", $"{community}-s2"];
        foreach (var username in staff)
        {
            await Grains.GetGrain<Places.IPlaceGrain>(GrainKeys.Place(town)).AddStaff(username);
        }

        var twoSeconds = TimeSpan.FromSeconds(2);
        await Grains.GetGrain<IPolicyGrain>(GrainKeys.Policies).Set(
            RequestKind.Errand, Urgency.Urgent, new EscalationPolicy(twoSeconds, twoSeconds, twoSeconds, twoSeconds, twoSeconds, twoSeconds), "test");
        var created = await Grains.CreateRequest(community, RequestKind.Errand, urgency: Urgency.Urgent);
        var request = Grains.GetGrain<IRequestGrain>(created.Id);

        fixture.Clock.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Equal(1, await Eventually.Get(async () => (await request.Get())!.EscalationLevel, level => level >= 1));

        foreach (var username in staff)
        {
            var page = await Eventually.Get(() => Grains.GetGrain<IInboxGrain>(InboxKeys.Inbox(username)).List(false, 1, 10), p => p.Total > 0);
            var notice = Assert.Single(page.Items);
            Assert.Equal((NoticeKind.Escalated, 1, town, created.Id), (notice.Kind, notice.Level, notice.PlaceId, notice.RequestId));
        }
    }

    private ServiceRequest Stored(Guid id) =>
        fixture.Storage.Inner.Peek<RequestGrain.State>("request", id.ToString("N"))!.Request!;
}
