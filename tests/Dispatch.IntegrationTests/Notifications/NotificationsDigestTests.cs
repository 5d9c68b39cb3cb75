using System.Net;
using System.Text.Json;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Queries;
using Dispatch.Requests;
using Dispatch.WebHost.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans;

namespace Dispatch.IntegrationTests.Notifications;

/// <summary>
/// The morning digest through the cluster on a fake clock: the place's own reminder wakes it at the
/// digest time and one signed digest a day reaches a webhook receiver on loopback; a second firing
/// the same day, after a restart, adds nothing; a place whose targets do not choose the digest gets
/// none. Every time decision is the fake clock's; real time only bounds how long the test waits.
/// </summary>
public sealed class NotificationsDigestTests : IAsyncLifetime
{
    private const string Title = "为李奶奶取药";
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.Start();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task One_digest_a_day_reaches_the_place_that_chose_it_and_none_the_place_that_did_not()
    {
        // The clock starts at the next 07:59 China time, a minute before the default digest time:
        // near enough for a starting silo to load the reminder from storage and wait for its tick
        // (Orleans keeps only reminders due within its loading window in memory, and loads the
        // others from the table as they come near).
        var clock = NextMorningAt(new TimeSpan(7, 59, 0));
        var firstDay = MorningDigest.DateOf(clock.GetUtcNow());
        using var directory = new TempDirectory();
        await Seed(directory, clock);

        // 08:00 on a freshly started host: nobody asks for the place's channels, so only their
        // stored reminder can wake them.
        await using (var app = new DispatchApp(directory.Path, clock: clock))
        {
            await Tick(app, clock, TimeSpan.FromMinutes(1));
            await DeliveredCount(app, 1);
        }

        var first = Assert.Single(receiver.Received);
        Assert.Equal(("m1", MorningDigest.Key("m1", firstDay)), (first.Path, first.Id));
        Assert.True(first.SignedWith(Secret));
        using (var json = JsonDocument.Parse(first.Body))
        {
            var data = json.RootElement.GetProperty("data");
            Assert.StartsWith("【每日汇总】", data.GetProperty("title").GetString(), StringComparison.Ordinal);
            var text = data.GetProperty("text").GetString()!;
            Assert.Contains("**已超期的需求：0 件**\n", text, StringComparison.Ordinal);
            Assert.Contains($"**待核验的需求：1 件**\n- {Title}\n", text, StringComparison.Ordinal);
            Assert.Contains("**待审核的报到申请：1 件**\n- 王芳\n", text, StringComparison.Ordinal);
        }

        // Neither the beneficiary (name, phone, address) nor the applicant's phone is in it.
        foreach (var contact in new[] { ContactSentinel.Phone, "Xiao Ming", "Building 3", "13800137777" })
        {
            Assert.DoesNotContain(contact, first.Text, StringComparison.Ordinal);
        }

        // At 14:00 the same day, on a restarted host (a new activation of the place's channels): a
        // second firing of the reminder, which answers once the day is stored, stores nothing more.
        clock.Advance(TimeSpan.FromHours(6));
        await using (var app = new DispatchApp(directory.Path, clock: clock))
        {
            var channels = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IPlaceChannelsGrain>(ChannelKeys.Place("m1"));
            await channels.AsReference<IRemindable>().ReceiveReminder("digest", default);
            await DeliveredCount(app, 1);
        }

        Assert.Single(receiver.Received);

        // The next morning, on a host started at 07:59, the next day's digest, once.
        clock.Advance(new TimeSpan(17, 59, 0));
        await using (var app = new DispatchApp(directory.Path, clock: clock))
        {
            await Tick(app, clock, TimeSpan.FromMinutes(1));
            await DeliveredCount(app, 2);
        }

        Assert.Equal(
            [MorningDigest.Key("m1", firstDay), MorningDigest.Key("m1", firstDay.AddDays(1))],
            receiver.Received.Select(r => r.Id).ToArray());
        Assert.DoesNotContain(receiver.Received, r => r.Path == "m2");
    }

    [Fact]
    public async Task A_cluster_that_was_down_at_the_digest_time_sends_that_days_within_the_catch_up_period()
    {
        // Everything set up at 07:00; nothing runs at 08:00; the cluster starts at 09:10.
        var clock = NextMorningAt(TimeSpan.FromHours(7));
        var day = MorningDigest.DateOf(clock.GetUtcNow());
        using var directory = new TempDirectory();
        await Seed(directory, clock);
        clock.Advance(new TimeSpan(2, 10, 0));

        // Orleans skips the 08:00 tick that no silo was up for; the next one, at 09:15, sends the day's digest.
        await using var app = new DispatchApp(directory.Path, clock: clock);
        Assert.Equal(TimeSpan.FromMinutes(15), PlaceChannelsGrain.DigestCatchUp);
        await Tick(app, clock, TimeSpan.FromMinutes(5));
        await DeliveredCount(app, 1);

        var digest = Assert.Single(receiver.Received);
        Assert.Equal(MorningDigest.Key("m1", day), digest.Id);
    }

    /// <summary>A fake clock at <paramref name="time"/> China time, on the next day that has it ahead.</summary>
    private static FakeTimeProvider NextMorningAt(TimeSpan time)
    {
        var now = DateTimeOffset.UtcNow;
        var today = MorningDigest.TimeOn(MorningDigest.DateOf(now), time);
        return new FakeTimeProvider(today > now ? today : today.AddDays(1));
    }

    /// <summary>
    /// On a host of its own: m1 has a request waiting verification (with a beneficiary's contact) and
    /// a report-in waiting approval, and a webhook choosing the digest; m2 a webhook choosing other
    /// alerts only.
    /// </summary>
    private async Task Seed(TempDirectory directory, FakeTimeProvider clock)
    {
        await using var app = new DispatchApp(directory.Path, clock: clock);
        var world = await World.Create(app, volunteersPerCommunity: 1);
        using var staff = await world.As("staff-t1");
        var request = await staff.CreateRequest("m1", title: Title);
        using var volunteer = await world.As(World.Volunteer("m1", 1));
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/start");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/complete");

        using var anonymous = app.Anonymous();
        await DispatchClient.Expect(await anonymous.Post("/api/applications", new
        {
            kind = "person", communityId = "m1", name = "王芳", phone = "13800137777", username = "applicant-digest", password = "report-in-password",
            skills = new[] { "first aid" }, availability = new[] { "weekends" }, offers = Array.Empty<string>(),
        }), HttpStatusCode.Created);
        await DispatchClient.Expect(await world.Admin.Put("/api/places/m1/channels", new
        {
            webhooks = new object[] { new { url = receiver.Url("m1"), secrets = new[] { Secret }, events = new[] { "digest" } } },
        }), HttpStatusCode.OK);
        await DispatchClient.Expect(await world.Admin.Put("/api/places/m2/channels", new
        {
            webhooks = new object[] { new { url = receiver.Url("m2"), secrets = new[] { Secret }, events = new[] { "escalated", "applicationWaiting" } } },
        }), HttpStatusCode.OK);

        // The digest reads the query store, which is written behind the grains.
        await Eventually.Get(() => staff.GetOk<RequestPage>("/api/places/m1/requests?status=completed"), p => p.Total == 1, Patience);
    }

    /// <summary>
    /// Once the started host's reminder service waits on the fake clock for the place's digest
    /// reminder, moves the clock by <paramref name="by"/> and waits until the tick was answered.
    /// </summary>
    private static async Task Tick(DispatchApp app, FakeTimeProvider clock, TimeSpan by)
    {
        using var reminder = new ReminderWatch(ChannelKeys.Place("m1"));
        _ = app.Services; // Starts the host (and its silo and reminder service).
        await reminder.Armed();
        clock.Advance(by);
        await reminder.Delivered();
    }

    /// <summary>Waits until m1's delivery log holds <paramref name="count"/> deliveries, all delivered, and none waits.</summary>
    private static async Task DeliveredCount(DispatchApp app, int count)
    {
        using var admin = await app.Admin();
        var log = await Eventually.Get(
            () => admin.GetOk<DeliveryLogPage>("/api/places/m1/deliveries"),
            l => l.Total >= count && l.Items.All(d => d.Status == DeliveryStatus.Delivered),
            Patience);
        Assert.Equal(count, log.Total);
    }
}
