using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Issue #14's storm at the settings a user runs with: 6 volunteers each try all 20 wishes at once
/// (120 attempts from 24 clients, inside the per-volunteer rate limit), four runs in a row, on both
/// stores and through one or two web hosts. Every wish gets a winner while the volunteers have
/// room, nobody holds more than the limit counted on the requests, the records agree with the
/// requests, and every refusal's reason is true.
/// </summary>
public sealed class ClaimLimitStormTests(ITestOutputHelper output)
{
    private const int Volunteers = 6;
    private const int Wishes = 20;
    private const int Clients = 24;
    private const int Runs = 4;
    private const int ShippedLimit = 5;
    private const string Community = "limit-storm";

    [Theory]
    [InlineData(StoreKind.Sqlite, 1, null)]
    [InlineData(StoreKind.Sqlite, 1, 2)]
    [InlineData(StoreKind.Sqlite, 2, null)]
    [InlineData(StoreKind.PostgreSQL, 1, null)]
    [InlineData(StoreKind.PostgreSQL, 2, null)]
    [InlineData(StoreKind.PostgreSQL, 2, 1)]
    public async Task Every_wish_gets_a_winner_while_there_is_room_and_no_volunteer_passes_the_limit(StoreKind kind, int hosts, int? claimLimit)
    {
        var limit = claimLimit ?? ShippedLimit;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var store = await TestStore.Create(kind);
        await using var cluster = await StartHosts(store, hosts, clock, claimLimit);
        using var admin = await cluster[0].Admin();
        await admin.CreateCommunityChain("ls", Community);
        var usernames = Enumerable.Range(1, Volunteers).Select(i => $"ls-{i}").ToArray();
        foreach (var username in usernames)
        {
            await admin.CreateAccount(username, "volunteer", Community);
        }

        // One signed-in client per volunteer and host; an attempt goes through the host its index picks.
        var clients = new Dictionary<(string, int), DispatchClient>();
        foreach (var username in usernames)
        {
            for (var host = 0; host < hosts; host++)
            {
                clients[(username, host)] = await cluster[host].LoginAs(username, World.Password);
            }
        }

        var seed = 14_0000 + (hosts * 10) + limit + (int)kind;
        output.WriteLine($"{kind}, {hosts} host(s), claim limit {limit}, seed {seed}");
        var random = new Random(seed);
        var everyRequest = new List<Guid>();
        for (var run = 0; run < Runs; run++)
        {
            var wishes = new List<Guid>();
            for (var i = 0; i < Wishes; i++)
            {
                wishes.Add((await admin.CreateRequest(Community, title: $"Run {run} wish {i}")).Id);
            }

            everyRequest.AddRange(wishes);
            var attempts = usernames.SelectMany(u => wishes.Select(w => (Username: u, Wish: w))).ToArray();
            random.Shuffle(attempts);
            var answers = new ConcurrentBag<(string Username, Guid Wish, string Answer)>();
            await Parallel.ForEachAsync(
                attempts.Select((a, i) => (a.Username, a.Wish, Host: i % hosts)),
                new ParallelOptions { MaxDegreeOfParallelism = Clients },
                async (attempt, _) =>
                {
                    var response = await clients[(attempt.Username, attempt.Host)].Post($"/api/requests/{attempt.Wish}/claim");
                    answers.Add((attempt.Username, attempt.Wish, await ClaimInvariants.Answer(response)));
                });

            Assert.Equal(attempts.Length, answers.Count);
            var holdings = await ClaimInvariants.AssertHold(admin, everyRequest, usernames, limit);
            var claimed = wishes.Where(w => holdings.Requests[w].Claimants.Length == 1).ToArray();
            var counts = string.Join(", ", usernames.Select(u => holdings.ActiveOn(u).Length));
            Assert.True(Math.Min(Wishes, Volunteers * limit) == claimed.Length, $"Run {run}: {claimed.Length} wishes claimed; claims per volunteer {counts}.");

            // Every "won" is stored, and every refusal's reason is true of what stands.
            foreach (var (username, wish, answer) in answers)
            {
                var request = holdings.Requests[wish];
                switch (answer)
                {
                    case "won":
                        Assert.Equal([username], request.Claimants.ToArray());
                        break;
                    case "full":
                        Assert.Single(request.Claimants, c => c != username);
                        break;
                    case "claimLimit":
                        Assert.True(limit == holdings.ActiveOn(username).Length, $"Run {run}: {username} was refused at the limit but holds {holdings.ActiveOn(username).Length}.");
                        break;
                    default:
                        Assert.Fail($"Run {run}: {username} on {wish} was answered '{answer}'.");
                        break;
                }
            }

            // The community's counters, derived off the claim path, come out exact.
            var counters = await Eventually.Get(
                async () => (await admin.GetOk<JsonObject>($"/api/communities/{Community}"))["counters"]!.AsObject(),
                c => c["claimed"]!.GetValue<int>() == claimed.Length && c["open"]!.GetValue<int>() == Wishes - claimed.Length);
            Assert.Equal(claimed.Length, counters["claimed"]!.GetValue<int>());
            Assert.Equal(Wishes - claimed.Length, counters["open"]!.GetValue<int>());
            Assert.Equal(run * Wishes, counters["cancelled"]!.GetValue<int>());

            // Staff withdraw the run's wishes, which frees every slot; the host's clock moves on,
            // so the per-volunteer rate limit has refilled by the next run.
            foreach (var wish in wishes)
            {
                await admin.PostOk<RequestView>($"/api/requests/{wish}/cancel", new { reason = $"End of run {run}" });
            }

            await Eventually.Get(() => ClaimInvariants.Read(admin, everyRequest, usernames), h => usernames.All(u => h.Records[u].Length == 0));
            await ClaimInvariants.AssertHold(admin, everyRequest, usernames, limit);
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task A_claim_refused_by_the_rate_limit_changes_nothing()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path, clock: clock);
        var world = await World.Create(app);
        var volunteer = World.Volunteer("m1", 1);
        using var client = await world.As(volunteer);

        // 30 wishes at once: the shipped burst of 20 is admitted (5 of them won, then the claim
        // limit), the rest are refused with 429 before they reach a grain.
        var wishes = new List<RequestView>();
        for (var i = 0; i < 30; i++)
        {
            wishes.Add(await world.Admin.CreateRequest("m1", title: $"Tapped wish {i}"));
        }

        var answers = new ConcurrentDictionary<Guid, HttpStatusCode>();
        await Parallel.ForEachAsync(wishes, new ParallelOptions { MaxDegreeOfParallelism = 30 }, async (wish, _) =>
            answers[wish.Id] = (await client.Post($"/api/requests/{wish.Id}/claim")).StatusCode);

        var refused = wishes.Where(w => answers[w.Id] == HttpStatusCode.TooManyRequests).ToArray();
        Assert.Equal(10, refused.Length);
        foreach (var wish in refused)
        {
            var stored = await world.Admin.GetOk<RequestView>($"/api/requests/{wish.Id}");
            Assert.Empty(stored.Claimants);
            Assert.Equal(wish.Version, stored.Version);
            Assert.Equal(RequestStatus.Open, stored.Status);
        }

        var holdings = await ClaimInvariants.AssertHold(world.Admin, wishes.Select(w => w.Id), [volunteer], ShippedLimit);
        Assert.Equal(ShippedLimit, holdings.ActiveOn(volunteer).Length);
        Assert.Equal(ShippedLimit, answers.Values.Count(s => s == HttpStatusCode.OK));
    }

    private static async Task<HostGroup> StartHosts(TestStore store, int count, FakeTimeProvider clock, int? claimLimit)
    {
        var primary = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        var apps = new List<DispatchApp>();
        for (var i = 0; i < count; i++)
        {
            var settings = new Dictionary<string, string?>(store.Settings)
            {
                [i == 0 ? "Dispatch:Orleans:SiloPort" : "Dispatch:Orleans:PrimarySiloPort"] = primary,
            };
            if (claimLimit is { } limit)
            {
                settings["Dispatch:Volunteers:ClaimLimit"] = limit.ToString(CultureInfo.InvariantCulture);
            }

            var app = new DispatchApp(store.DataDir, settings, clock);
            _ = app.Server; // Started in order: the second silo joins the first.
            apps.Add(app);
        }

        return new HostGroup(apps);
    }

    private sealed class HostGroup(List<DispatchApp> apps) : IAsyncDisposable
    {
        public DispatchApp this[int index] => apps[index];

        public async ValueTask DisposeAsync()
        {
            foreach (var app in Enumerable.Reverse(apps))
            {
                await app.DisposeAsync();
            }
        }
    }
}
