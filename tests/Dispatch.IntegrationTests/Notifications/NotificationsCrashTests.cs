using System.Net;
using Dispatch.IntegrationTests.Notifications.Channels;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Requests;
using Dispatch.WebHost.Notifications;

namespace Dispatch.IntegrationTests.Notifications;

/// <summary>
/// Dispatch as a real process, killed with SIGKILL while a delivery is on the wire, then started
/// again on the same folder: every delivery arrives, nothing is lost, and only what was on the
/// wire is sent again (under the same key); what had answered before the kill, in the same round
/// too, is not. A place's webhooks, where a receiver that honours <c>webhook-id</c> applies the
/// repeat once, and a person's own e-mail and SMS, where nothing can drop a repeat
/// (docs/OPERATIONS.md, "Which channels honour the dedupe key").
/// </summary>
public sealed class NotificationsCrashTests : IAsyncLifetime, IDisposable
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(90, 32).Select(i => (byte)i).ToArray());

    /// <summary>The place's webhooks: one that will hang mid-delivery, two that answer at once.</summary>
    private static readonly string[] Paths = ["slow", "quick-1", "quick-2"];

    /// <summary>
    /// Real time, since the process runs on the real clock: after the restart only the grain's
    /// deliveries reminder (a two-minute period) wakes it, so allow a little more.
    /// </summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long a stalled webhook or mail may stay on the wire: longer than the test, so the kill
    /// always finds it there (a sender that gave up on it first would record the round anyway).
    /// </summary>
    private static readonly Dictionary<string, string> LongTimeouts = new()
    {
        ["Dispatch__Notifications__Webhooks__Timeout"] = "00:05:00",
        ["Dispatch__Notifications__Email__Timeout"] = "00:05:00",
    };

    private readonly TempDirectory directory = new();
    private WebhookReceiver receiver = null!;
    private SmtpSink sink = null!;
    private LoopbackVendor sms = null!;

    public async Task InitializeAsync()
    {
        receiver = await WebhookReceiver.Start();
        sink = SmtpSink.Start();
        sms = await LoopbackVendor.StartAsync(TimeProvider.System);
        sms.Answer = (request, before) => AliyunSmsServer.Answer(TimeProvider.System, request, before);
    }

    public async Task DisposeAsync()
    {
        await receiver.DisposeAsync();
        await sink.DisposeAsync();
        await sms.DisposeAsync();
    }

    [Fact]
    public async Task A_kill_9_during_a_delivery_loses_nothing_and_sends_again_only_what_was_on_the_wire()
    {
        string before;
        string during;
        using (var first = await DispatchProcess.Start(directory.Path, settings: LongTimeouts))
        {
            using var admin = await first.Admin();
            await World.Seed(admin, volunteersPerCommunity: 0);
            await DispatchClient.Expect(await admin.Put("/api/places/m1/channels", new
            {
                webhooks = Paths.Select(p => new { url = receiver.Url(p), secrets = new[] { Secret }, events = new[] { "applicationWaiting" } }).ToArray(),
            }), HttpStatusCode.OK);

            // A first report-in is delivered to all three and recorded as delivered.
            using var anonymous = first.Anonymous();
            await Apply(anonymous, 1);
            await Eventually.Get(
                () => admin.GetOk<DeliveryLogPage>("/api/places/m1/deliveries?status=delivered"), l => l.Total == Paths.Length, Patience);
            before = Assert.Single(receiver.Received.Select(r => r.Id).Distinct());

            // The second one's delivery hangs at the slow endpoint (which has applied it already);
            // the quick ones have answered, and their answers are stored. Kill.
            var stalled = receiver.StallNext("slow");
            await Apply(anonymous, 2);
            await stalled.WaitAsync(Patience);
            await Eventually.Get(() => Task.FromResult(receiver.Received.Count), c => c == 2 * Paths.Length, Patience);
            during = Assert.Single(receiver.Received.Skip(Paths.Length).Select(r => r.Id).Distinct());
            var stored = await Eventually.Get(
                () => StoredDeliveries<PlaceChannelsGrain.State>("placeChannels", s => s.Outbox, during),
                d => d.Count(x => x.Status == DeliveryStatus.Delivered) == Paths.Length - 1);
            Assert.Contains(stored, d => d.Status == DeliveryStatus.Pending);
            Assert.All(stored.Where(d => d.Status == DeliveryStatus.Pending), d => Assert.Equal(0, d.Attempts));
            first.Kill();
        }

        receiver.Release();
        var sentBeforeTheKill = receiver.Received.Count;

        // Started again on the same folder, with nobody asking for the place: its reminder wakes it
        // and it sends what was on the wire again, under the same id.
        using var second = await DispatchProcess.Start(directory.Path, settings: LongTimeouts);
        await Eventually.Get(
            () => Task.FromResult(receiver.Received.Skip(sentBeforeTheKill).ToList()), r => r.Any(c => c.Path == "slow"), Patience);
        using var staff = await second.Admin();
        var log = await Eventually.Get(
            () => staff.GetOk<DeliveryLogPage>("/api/places/m1/deliveries"),
            l => l.Total == 2 * Paths.Length && l.Items.All(d => d.Status == DeliveryStatus.Delivered),
            Patience);
        Assert.Equal(2 * Paths.Length, log.Total);

        // Nothing lost, nothing applied twice: each notice once at each endpoint. Only the slow
        // endpoint, which never answered, got the notice again (under its id); the quick ones,
        // whose answers were stored before the kill, did not, nor anyone the one before.
        var expected = Paths.SelectMany(p => new[] { (p, before), (p, during) }).Order().ToArray();
        Assert.Equal(expected, receiver.Applied.Keys.Order().ToArray());
        Assert.All(receiver.Applied.Values, applied => Assert.Equal(1, applied));
        Assert.Equal([("slow", during)], receiver.Received.Skip(sentBeforeTheKill).Select(r => (r.Path, r.Id)));
        Assert.Equal(Paths.Order(), receiver.Received.Where(r => r.Id == during).Select(r => r.Path).Distinct().Order());
        Assert.Equal(Paths.Length, receiver.Received.Count(r => r.Id == before));
        Assert.All(receiver.Received, r => Assert.True(r.SignedWith(Secret)));
    }

    [Fact]
    public async Task A_kill_9_while_a_persons_e_mail_is_on_the_wire_loses_nothing_and_repeats_nothing_recorded_sent()
    {
        var volunteer = World.Volunteer("m1", 1);
        var settings = new Dictionary<string, string>(LongTimeouts)
        {
            ["Dispatch__Notifications__Email__Host"] = "127.0.0.1",
            ["Dispatch__Notifications__Email__Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Dispatch__Notifications__Email__Tls"] = "None",
            ["Dispatch__Notifications__Email__From"] = "dispatch@example.org",
        };
        foreach (var (name, value) in AliyunSmsServer.Settings(sms))
        {
            settings[name.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        string? during;
        using (var first = await DispatchProcess.Start(directory.Path, settings: settings))
        {
            using var admin = await first.Admin();
            await World.Seed(admin, volunteersPerCommunity: 1);
            using var phone = await first.LoginAs(volunteer, World.Password);
            using var staff = await first.LoginAs("staff-t1", World.Password);
            await DispatchClient.Expect(
                await phone.Put("/api/me/channels", new { email = "li.na@example.org", phone = "+86 139-0013-9001", kinds = new[] { "offered" } }),
                HttpStatusCode.OK);

            // A first offer goes by e-mail and SMS and is recorded sent.
            await Offer(staff, volunteer, "为张奶奶送保温杯");
            await Eventually.Get(() => phone.GetOk<MyDeliveryView[]>("/api/me/deliveries"), d => d.Length == 2 && d.All(x => x.Status == DeliveryStatus.Delivered), Patience);

            // The second offer's e-mail hangs at the mail server (which has kept it); its SMS was
            // answered, and that answer is stored. Kill.
            var stalled = sink.StallNext();
            await Offer(staff, volunteer, "陪李爷爷复查");
            await stalled.WaitAsync(Patience);
            await Eventually.Get(() => Task.FromResult(sms.Received.Count), c => c == 2, Patience);
            var key = AliyunSmsServer.Form(sms.Received[1])["OutId"];
            var stored = await Eventually.Get(
                () => StoredDeliveries<InboxGrain.State>("inbox", s => s.Outbox, key),
                d => d.Any(x => x is { Channel: "sms", Status: DeliveryStatus.Delivered }));
            var mail = Assert.Single(stored, d => d.Channel == "email");
            Assert.Equal((DeliveryStatus.Pending, 0), (mail.Status, mail.Attempts));
            during = Assert.Single(sink.Messages.Skip(1)).MessageId;
            first.Kill();
        }

        sink.Release();
        var mailsBeforeTheKill = sink.Messages.Count;
        var textsBeforeTheKill = sms.Received.Count;

        // Started again on the same folder, with nobody asking: the inbox's reminder wakes it and
        // it sends the e-mail that was on the wire again, with the same Message-Id.
        using var second = await DispatchProcess.Start(directory.Path, settings: settings);
        var again = await Eventually.Get(() => Task.FromResult(sink.Messages.Skip(mailsBeforeTheKill).ToList()), m => m.Count > 0, Patience);
        using var volunteerAgain = await second.LoginAs(volunteer, World.Password);
        var log = await Eventually.Get(
            () => volunteerAgain.GetOk<MyDeliveryView[]>("/api/me/deliveries"), d => d.Length == 4 && d.All(x => x.Status == DeliveryStatus.Delivered), Patience);

        // Nothing lost: four deliveries, all delivered. Sent again: only the e-mail that was on
        // the wire; not the first offer's mail nor either SMS, whose answers were stored.
        Assert.Equal(4, log.Length);
        Assert.All(log, d => Assert.Equal(DeliveryStatus.Delivered, d.Status));
        Assert.Equal(during, Assert.Single(again).MessageId);
        Assert.Equal(mailsBeforeTheKill + 1, sink.Messages.Count);
        Assert.Equal(2, sink.Messages.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(textsBeforeTheKill, sms.Received.Count);
        Assert.Equal(2, sms.Received.Count);
    }

    public void Dispose() => directory.Dispose();

    /// <summary>
    /// The stored deliveries whose key starts with <paramref name="key"/> (an SMS's <c>OutId</c> is
    /// cut at 64 characters) in the outboxes of the grains whose state is <paramref name="stateName"/>.
    /// </summary>
    private async Task<List<Delivery>> StoredDeliveries<T>(string stateName, Func<T, DeliveryOutbox> outbox, string key) =>
        [.. (await StoredStates.Read<T>(directory.Path, stateName)).SelectMany(s => outbox(s).Deliveries).Where(d => d.Key.StartsWith(key, StringComparison.Ordinal))];

    private static async Task Offer(DispatchClient staff, string volunteer, string title)
    {
        var request = await staff.CreateRequest("m1", title: title);
        await staff.PostOk<RequestView>($"/api/requests/{request.Id}/dispatch", new { volunteer });
    }

    private static async Task Apply(DispatchClient anonymous, int number) =>
        await DispatchClient.Expect(await anonymous.Post("/api/applications", new
        {
            kind = "person", communityId = "m1", name = $"报到人{number}", phone = $"1380013800{number}", username = $"crash-applicant-{number}",
            password = "report-in-password", skills = new[] { "first aid" }, availability = new[] { "weekends" }, offers = Array.Empty<string>(),
        }), HttpStatusCode.Created);
}
