using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.WebHost.Notifications;

namespace Dispatch.IntegrationTests.Notifications;

/// <summary>
/// Dispatch as a real process, killed with SIGKILL while a webhook delivery is on the wire, then
/// started again on the same folder: every delivery arrives, each with the id it had before the
/// crash, so a receiver that honours <c>webhook-id</c> applies every notification exactly once.
/// The endpoints that had answered in the interrupted round receive it again (at least once), and
/// nothing recorded delivered before the kill is sent again. Webhooks are the one channel whose
/// receiver can honour the dedupe key: a group robot takes none and would show the repeat
/// (docs/OPERATIONS.md, "Which channels honour the dedupe key").
/// </summary>
public sealed class NotificationsCrashTests : IAsyncLifetime, IDisposable
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(90, 32).Select(i => (byte)i).ToArray());

    /// <summary>The place's webhooks: one that will hang mid-delivery, two that answer at once.</summary>
    private static readonly string[] Paths = ["slow", "quick-1", "quick-2"];

    /// <summary>
    /// Real time, since the process runs on the real clock: after the restart only the place's
    /// deliveries reminder (a two-minute period) wakes its channels, so allow a little more.
    /// </summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private readonly TempDirectory directory = new();
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.Start();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    [Fact]
    public async Task A_kill_9_during_a_delivery_loses_nothing_and_a_deduping_receiver_applies_each_once()
    {
        string before;
        string during;
        using (var first = await DispatchProcess.Start(directory.Path))
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
            // the quick ones have answered, but the round is not recorded until all have. Kill.
            var stalled = receiver.StallNext("slow");
            await Apply(anonymous, 2);
            await stalled.WaitAsync(Patience);
            await Eventually.Get(() => Task.FromResult(receiver.Received.Count), c => c == 2 * Paths.Length, Patience);
            during = Assert.Single(receiver.Received.Skip(Paths.Length).Select(r => r.Id).Distinct());
            first.Kill();
        }

        receiver.Release();
        var sentBeforeTheKill = receiver.Received.Count;

        // Started again on the same folder, with nobody asking for the place: its reminder wakes it
        // and it sends what was on the wire again, under the same id.
        using var second = await DispatchProcess.Start(directory.Path);
        await Eventually.Get(
            () => Task.FromResult(receiver.Received.Skip(sentBeforeTheKill).ToList()), r => r.Any(c => c.Path == "slow"), Patience);
        using var staff = await second.Admin();
        var log = await Eventually.Get(
            () => staff.GetOk<DeliveryLogPage>("/api/places/m1/deliveries"),
            l => l.Total == 2 * Paths.Length && l.Items.All(d => d.Status == DeliveryStatus.Delivered),
            Patience);
        Assert.Equal(2 * Paths.Length, log.Total);

        // Nothing lost, nothing applied twice: each notice once at each endpoint. Only the notice
        // that was in flight was sent again (always under its id); the one recorded delivered
        // before the kill was not.
        var expected = Paths.SelectMany(p => new[] { (p, before), (p, during) }).Order().ToArray();
        Assert.Equal(expected, receiver.Applied.Keys.Order().ToArray());
        Assert.All(receiver.Applied.Values, applied => Assert.Equal(1, applied));
        Assert.All(receiver.Received.Skip(sentBeforeTheKill), r => Assert.Equal(during, r.Id));
        Assert.Equal(Paths.Length, receiver.Received.Count(r => r.Id == before));
        Assert.All(receiver.Received, r => Assert.True(r.SignedWith(Secret)));
    }

    public void Dispose() => directory.Dispose();

    private static async Task Apply(DispatchClient anonymous, int number) =>
        await DispatchClient.Expect(await anonymous.Post("/api/applications", new
        {
            kind = "person", communityId = "m1", name = $"报到人{number}", phone = $"1380013800{number}", username = $"crash-applicant-{number}",
            password = "report-in-password", skills = new[] { "first aid" }, availability = new[] { "weekends" }, offers = Array.Empty<string>(),
        }), HttpStatusCode.Created);
}
