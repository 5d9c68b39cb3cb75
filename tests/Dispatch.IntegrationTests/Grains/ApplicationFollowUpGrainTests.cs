using Dispatch.Applications;
using Dispatch.Common;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Places;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// A report-in's alert waits in the application's state until staff's inboxes took it, and the
/// application's own wake-up (not a later call) delivers it: nothing waits for someone to touch it.
/// </summary>
public sealed class ApplicationFollowUpGrainTests(ShopClusterFixture fixture) : IClassFixture<ShopClusterFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task An_alert_an_inbox_failed_to_store_is_delivered_by_the_follow_up_once_without_another_call()
    {
        var community = GrainWorld.Unique("a");
        await Grains.CreateCommunity(community);
        var staff = $"{community}-staff";
        await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(community)).AddStaff(staff);
        var inbox = Grains.GetGrain<IInboxGrain>(InboxKeys.Inbox(staff));
        var applicationId = $"{community}-app";

        // The staff member's inbox fails its write: the application stands, its alert waits.
        fixture.Storage.FailOneWrite("inbox", InboxKeys.Inbox(staff));
        var submitted = await Grains.GetGrain<IApplicationGrain>(GrainKeys.Application(applicationId)).Submit(new NewApplication(
            ApplicationKind.Person, community, "王芳", "13800000000", $"{community}-wang", null, true, ["陪诊"], ["周末"], []));

        Assert.True(submitted.Succeeded);
        Assert.False(fixture.Storage.FaultPending);
        Assert.Equal(0, (await inbox.List(false, 1, 10)).Total);
        Assert.Single(Stored(applicationId).PendingNotices);

        // Nobody calls the application again: its follow-up delivers the alert and lets it go.
        fixture.Clock.Advance(ApplicationGrain.FollowUpRetry);
        var page = await Eventually.Get(() => inbox.List(false, 1, 10), p => p.Total > 0);
        Assert.Equal((NoticeKind.ApplicationWaiting, applicationId), (page.Items[0].Kind, page.Items[0].ApplicationId));
        Assert.Empty((await Eventually.Get(() => Task.FromResult(Stored(applicationId)), s => s.PendingNotices.IsEmpty)).PendingNotices);

        // Woken again: nothing more is delivered.
        fixture.Clock.Advance(ApplicationGrain.FollowUpRetry);
        Assert.Equal(1, (await inbox.List(false, 1, 10)).Total);
    }

    private ApplicationGrain.State Stored(string applicationId) =>
        fixture.Storage.Inner.Peek<ApplicationGrain.State>("application", GrainKeys.Application(applicationId))!;
}
