using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.WebHost.Places;
using Xunit.Abstractions;

namespace Dispatch.IntegrationTests.Cluster;

/// <summary>
/// A cluster of two silos on one PostgreSQL database, a claim storm through two web hosts, and a
/// kill -9 of one silo in the middle of it: no acknowledged claim is lost, no wish gets two
/// claimants, every attempt the surviving hosts received gets a definite answer, and within a
/// bounded time after the kill the survivors serve every request and fire the deadlines of the
/// requests whose grains lived on the dead silo; then the whole cluster restarts on the same
/// database with every claim, account and token as it was.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class FailoverTests(ITestOutputHelper output) : IDisposable
{
    private const int Volunteers = 40;
    private const int Wishes = 20;
    private const int Errands = 8;
    private const string Community = "m1";

    /// <summary>The kill comes once this many wishes are won: the rest are claimed across the failover.</summary>
    private const int KillAfterWins = Wishes / 2;

    /// <summary>Every stage of the short policy of urgent errands.</summary>
    private static readonly TimeSpan Stage = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the victim may stay Active in the membership table after the kill: the missed
    /// probes that make it suspect, each at the longest probe period (<see cref="DeathBound(MembershipTiming)"/>), plus
    /// <see cref="DeathMargin"/>.
    /// </summary>
    private TimeSpan deathBound;

    /// <summary>How long after the kill the survivors have to answer every attempt and request, and to fire the deadlines.</summary>
    private TimeSpan failoverBound;

    /// <summary>A membership table read and write, and our 100 ms poll of the table.</summary>
    private static readonly TimeSpan DeathMargin = TimeSpan.FromSeconds(5);

    /// <summary>Orleans' default <c>SiloMessagingOptions.ResponseTimeout</c> and <c>ClientMessagingOptions.ResponseTimeout</c> (Dispatch sets neither).</summary>
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The period of a request's deadline reminder (<c>RequestGrain</c>): a tick the survivor's
    /// reminder service sends while the victim is not yet declared dead goes to the grain's
    /// activation there, fails, and comes again one period later.
    /// </summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The claim retry backoff (2 s at most), the victim's grains reactivating from storage, its reminder ranges moving.</summary>
    private static readonly TimeSpan TakeoverMargin = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly TempDirectory directory = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly StringBuilder report = new();

    private enum Answer
    {
        Won,
        Lost,

        /// <summary>The host died with the attempt: it may or may not have happened.</summary>
        Unacknowledged,

        /// <summary>No definite answer: a failure.</summary>
        Unexpected,
    }

    /// <param name="Seen">Every answer received for it, in order ("503", "409 idempotencyKeyInUse", "200"…).</param>
    private sealed record Attempt(string User, Guid Wish, int Host, Answer Answer, string? Reason, TimeSpan SentAt, TimeSpan At, IReadOnlyList<string> Seen, string? Detail = null)
    {
        public bool Definite => Answer is Answer.Won or Answer.Lost;

        public string Describe() =>
            $"{User} → {Wish} on host {Host}: {Answer} {Reason} at +{At.TotalSeconds:F1} s, seen [{Summary(Seen)}]{(Detail is null ? "" : $": {Detail}")}";
    }

    /// <summary>
    /// How soon a killed silo is declared dead, in the worst case, by Orleans 10.4's failure
    /// detector. <c>ProbeTimeout</c> is only the initial probe timeout: the effective one, which is
    /// also the period between probes, follows the measured round trips (a phi-accrual estimate,
    /// about ProbeTimeout / 2 on loopback) within [<c>MinProbeTimeout</c> = ProbeTimeout / 2,
    /// <c>MaxProbeTimeout</c> = 4 × ProbeTimeout], stretched by local degradation (thread-pool
    /// delays, GC pauses). A silo is suspected after <c>NumMissedProbesLimit</c> missed probes in a
    /// row, and <c>NumVotesForDeathDeclaration</c> is capped at half the active silos rounded up:
    /// with two silos, the survivor's single vote declares the victim dead at once. A kill -9 on one
    /// machine resets the victim's connections, so each probe fails at once rather than timing out
    /// (which would add one period), and no connection is left to suppress the vote
    /// (<c>EnableConnectionLivenessCheck</c>). Hence NumMissedProbesLimit × MaxProbeTimeout, the
    /// window Orleans itself calls the failure detection timeout:
    /// <list type="bullet">
    /// <item>defaults (5 s, 3 missed, 2 votes): 3 × 20 s = 60 s; nominally 3 × 2.5 s = 7.5 s, or
    /// 3 × 5 s before a monitor has four round trips;</item>
    /// <item>tuned (1 s, 2 missed, 1 vote): 2 × 4 s = 8 s; nominally 2 × 0.5 s.</item>
    /// </list>
    /// </summary>
    private static TimeSpan DeathBound(MembershipTiming timing) => timing switch
    {
        MembershipTiming.OrleansDefaults => 3 * TimeSpan.FromSeconds(4 * 5),
        _ => 2 * TimeSpan.FromSeconds(4 * 1),
    };

    /// <summary>
    /// At Orleans' defaults, the work goes on within the death bound (60 s), plus the longer of
    /// the response timeout (a call routed to the victim just before it was declared dead waits up
    /// to 30 s before the host answers 503 and the client retries with its key) and the reminder
    /// period (a deadline tick missed then comes 60 s later), plus <see cref="TakeoverMargin"/>
    /// (10 s): 130 s. The tuned runs keep their older 90 s: there the victim is declared dead
    /// (about 1 s) before any deadline falls due, so no tick is missed.
    /// </summary>
    private static TimeSpan FailoverBound(MembershipTiming timing) => timing switch
    {
        MembershipTiming.OrleansDefaults => DeathBound(timing) + (ResponseTimeout > ReminderPeriod ? ResponseTimeout : ReminderPeriod) + TakeoverMargin,
        _ => TimeSpan.FromSeconds(90),
    };

    [Theory]
    [InlineData(Topology.CoHosted, MembershipTiming.Tuned)]
    [InlineData(Topology.DedicatedSilos, MembershipTiming.Tuned)]
    [InlineData(Topology.DedicatedSilos, MembershipTiming.OrleansDefaults)]
    public async Task A_kill_9_of_one_silo_in_a_claim_storm_loses_no_acknowledged_claim_and_the_survivor_takes_over(Topology topology, MembershipTiming timing)
    {
        deathBound = DeathBound(timing) + DeathMargin;
        failoverBound = FailoverBound(timing);
        await using var database = await PostgresDatabase.CreateAsync();
        using var cluster = new FailoverCluster(topology, timing, database, directory.Path);
        try
        {
            await Run(cluster);
        }
        catch (Exception failure)
        {
            foreach (var process in cluster.All)
            {
                Log($"---- output of process {process.Id} (silo port {process.SiloPort}, gateway {process.GatewayPort}):\n{Tail(process.Output, 150)}");
            }

            // Again after the processes' output, so that a log cut to its end still says what failed.
            Log($"failed: {failure.Message}");
            throw;
        }
        finally
        {
            Log($"total {clock.Elapsed.TotalSeconds:F1} s");
            output.WriteLine(report.ToString());
        }
    }

    private async Task Run(FailoverCluster cluster)
    {
        // ---- Start and seed.
        var phase = clock.Elapsed;
        await cluster.Start();
        Log($"{cluster.Topology}, membership {cluster.Timing}: {cluster.All.Count()} processes started in {Since(phase)}: {cluster.Describe()}");
        var hosts = cluster.WebHosts;
        phase = clock.Elapsed;
        var admins = new List<DispatchClient>();
        foreach (var host in hosts)
        {
            admins.Add(await host.Admin());
        }

        var adminToken = Token(admins[0]);
        await World.Seed(admins[0], volunteersPerCommunity: 0);
        var usernames = Enumerable.Range(1, Volunteers).Select(i => World.Volunteer(Community, i)).ToArray();
        await Parallel.ForEachAsync(usernames.Select((u, i) => (User: u, Admin: admins[i % 2])), async (v, _) =>
            await v.Admin.CreateAccount(v.User, "volunteer", Community));
        await DispatchClient.Expect(
            await admins[0].Put("/api/policies/errand/urgent", new
            {
                claimWithin = Stage.ToString(),
                startWithin = Stage.ToString(),
                completeWithin = Stage.ToString(),
                verifyWithin = Stage.ToString(),
                escalateEvery = Stage.ToString(),
            }),
            HttpStatusCode.OK);

        // Wishes through both hosts, so that their grains are spread over both silos.
        var wishes = new List<RequestView>();
        for (var i = 0; i < Wishes; i++)
        {
            wishes.Add(await admins[i % 2].CreateRequest(Community, title: $"Wish {i}"));
        }

        // Each volunteer sends every attempt to one host, alternately. Tokens are obtained first.
        var volunteers = new Dictionary<string, (DispatchClient Client, int Host, string Token)>();
        foreach (var (username, i) in usernames.Select((u, i) => (u, i)))
        {
            var client = await hosts[i % 2].LoginAs(username, World.Password);
            volunteers[username] = (client, i % 2, Token(client));
        }

        // Urgent errands nobody claims, last: their first deadline (Stage after creation) falls
        // after the kill, when the grains of those on the dead silo have no activation anywhere.
        var errands = new List<RequestView>();
        for (var i = 0; i < Errands; i++)
        {
            errands.Add(await admins[i % 2].PostOk<RequestView>(
                "/api/requests",
                new { communityId = i % 2 == 0 ? "m1" : "m2", kind = "errand", title = $"Errand {i}", urgency = "urgent", beneficiary = new { name = "Old Zhang" } },
                HttpStatusCode.Created));
        }

        Assert.All(errands, e => Assert.Equal(Stage, e.Policy.ClaimWithin));
        Log($"seeded {Volunteers} volunteers, {Wishes} wishes, {Errands} errands, logged in, in {Since(phase)}");

        // ---- Where the grains live: a request grain logs its creation in the process it runs in.
        // The silo to kill is the one holding the most of both kinds (at least one of each).
        static bool CreatedOn(DispatchProcess silo, Guid id) => silo.Output.Contains($"Request {id} (", StringComparison.Ordinal);
        var requests = wishes.Concat(errands).ToList();
        await Eventually.Get(
            () => Task.FromResult(requests.Count(r => cluster.Silos.Count(s => CreatedOn(s, r.Id)) == 1)),
            found => found == requests.Count,
            TimeSpan.FromSeconds(10));
        Assert.All(requests, r => Assert.Single(cluster.Silos, s => CreatedOn(s, r.Id)));
        var victim = cluster.Silos
            .OrderByDescending(s => Math.Min(errands.Count(e => CreatedOn(s, e.Id)), wishes.Count(w => CreatedOn(s, w.Id))))
            .ThenByDescending(s => errands.Count(e => CreatedOn(s, e.Id)))
            .First();
        var survivorSilo = cluster.Silos.Single(s => s != victim);
        var wishesOnVictim = wishes.Where(w => CreatedOn(victim, w.Id)).Select(w => w.Id).ToHashSet();
        var errandsOnVictim = errands.Where(e => CreatedOn(victim, e.Id)).Select(e => e.Id).ToList();
        Log($"grains on the silo to kill (pid {victim.Id}): {wishesOnVictim.Count} of {Wishes} wishes, {errandsOnVictim.Count} of {Errands} errands");
        Assert.NotEmpty(wishesOnVictim);
        Assert.NotEmpty(errandsOnVictim);
        var victimHost = hosts.ToList().IndexOf(victim); // -1: no web host dies with it.
        var survivingHosts = Enumerable.Range(0, hosts.Count).Where(h => h != victimHost).ToList();

        // ---- The storm, and the kill in the middle of it.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // At: when the kill was sent; Dead: when the process had exited (an attempt sent in between was in flight at the kill too).
        var killed = new TaskCompletionSource<(TimeSpan At, DateTimeOffset Wall, TimeSpan Dead)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var killStarted = 0;
        var answered = 0;
        var wins = 0;
        var answeredAtKill = 0;
        var retryUntil = TimeSpan.MaxValue;
        Task? kill = null;
        void Answered(bool won)
        {
            var total = Interlocked.Increment(ref answered);
            if (won && Interlocked.Increment(ref wins) == KillAfterWins && Interlocked.Exchange(ref killStarted, 1) == 0)
            {
                answeredAtKill = total;
                kill = Task.Run(() =>
                {
                    var at = (clock.Elapsed, DateTimeOffset.UtcNow);
                    victim.Kill();
                    retryUntil = at.Elapsed + failoverBound;
                    killed.SetResult((at.Elapsed, at.UtcNow, clock.Elapsed));
                });
            }
        }

        async Task<Attempt> Claim(string user, Guid wish)
        {
            var (client, host, _) = volunteers[user];
            var key = Guid.NewGuid().ToString("N");
            var seen = new List<string>();
            var sentAt = clock.Elapsed;
            var delay = TimeSpan.FromMilliseconds(100);
            while (true)
            {
                HttpResponseMessage response;
                try
                {
                    response = await client.Post($"/api/requests/{wish}/claim", idempotencyKey: key);
                }
                catch (HttpRequestException exception) when (host == victimHost && Volatile.Read(ref killStarted) == 1)
                {
                    return new Attempt(user, wish, host, Answer.Unacknowledged, null, sentAt, clock.Elapsed, seen, exception.Message);
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    return new Attempt(user, wish, host, Answer.Unexpected, null, sentAt, clock.Elapsed, seen, exception.ToString());
                }

                using (response)
                {
                    var body = await response.Content.ReadAsStringAsync();
                    var reason = response.StatusCode == HttpStatusCode.Conflict ? JsonNode.Parse(body)?["reason"]?.GetValue<string>() : null;
                    seen.Add($"{(int)response.StatusCode}{(reason is null ? "" : $" {reason}")}");
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Answered(won: true);
                        return new Attempt(user, wish, host, Answer.Won, null, sentAt, clock.Elapsed, seen);
                    }

                    if (reason is not null and not "idempotencyKeyInUse")
                    {
                        Answered(won: false);
                        return new Attempt(user, wish, host, Answer.Lost, reason, sentAt, clock.Elapsed, seen);
                    }

                    // 503 (the cluster did not answer), or the same key still in flight: retried with
                    // the same key, as the answer says, until the bound.
                    if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.Conflict) || clock.Elapsed > retryUntil)
                    {
                        return new Attempt(user, wish, host, Answer.Unexpected, reason, sentAt, clock.Elapsed, seen, body);
                    }
                }

                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxBackoff.Ticks));
            }
        }

        var random = new Random(20260606);
        var storm = usernames.Select(async user =>
        {
            var order = wishes.Select(w => w.Id).ToArray();
            lock (random)
            {
                random.Shuffle(order);
            }

            await gate.Task;
            var attempts = new List<Attempt>();
            foreach (var wish in order)
            {
                attempts.Add(await Claim(user, wish));
            }

            return attempts;
        }).ToArray();

        // From the kill on, alongside the storm: when the victim is declared dead, when every wish
        // answers on every surviving host, when every errand shows escalated on the overdue list
        // (read from the community boards, which does not itself wake the request grains).
        var detection = Task.Run(async () =>
        {
            var killedAt = (await killed.Task).At;
            while (clock.Elapsed - killedAt < deathBound)
            {
                if (await cluster.MembershipStatus(victim) == FailoverCluster.Dead)
                {
                    return (TimeSpan?)(clock.Elapsed - killedAt);
                }

                await Task.Delay(100);
            }

            return null;
        });
        var serving = Task.Run(async () =>
        {
            var killedAt = (await killed.Task).At;
            var views = await Task.WhenAll(survivingHosts.SelectMany(h => wishes.Select(async w => (Host: h, View: await GetUntilServed(admins[h], w.Id, killedAt + failoverBound)))));
            return (After: clock.Elapsed - killedAt, Views: views);
        });
        var escalating = Task.Run(async () =>
        {
            var killedAt = (await killed.Task).At;
            var overdue = await PollUntil(
                admins[survivingHosts[0]],
                "/api/places/r1/overdue",
                (OverdueResponse o) => errands.All(e => o.Items.Any(i => i.Id == e.Id && i.EscalationLevel >= 1)),
                killedAt + failoverBound);
            return (After: clock.Elapsed - killedAt, Overdue: overdue);
        });

        var stormStart = clock.Elapsed;
        gate.SetResult();
        var all = (await Task.WhenAll(storm)).SelectMany(a => a).ToList();
        var stormEnd = clock.Elapsed;
        Assert.True(killed.Task.IsCompleted, $"The storm ended after {answered} answers, before the kill.");
        await kill!;
        var (killAt, killWall, deadAt) = await killed.Task;
        var dead = await detection;
        var definite = all.Where(a => a.Definite).ToList();
        Log($"storm of {all.Count} attempts over {Since(stormStart)}; victim killed +{(killAt - stormStart).TotalSeconds:F1} s into it, after {KillAfterWins} wins ({answeredAtKill} answers); " +
            $"{all.Count(a => a.Answer == Answer.Won && a.At > killAt)} wins and {definite.Count(a => a.At > killAt)} definite answers after the kill, the last {(definite.Max(a => a.At) - killAt).TotalSeconds:F1} s after it");
        Log($"victim declared dead in the membership table {(dead is { } d ? $"{d.TotalSeconds:F1} s" : "NEVER")} after the kill:\n{await cluster.MembershipTable()}");
        Log($"answers: {string.Join(", ", all.GroupBy(a => a.Answer == Answer.Lost ? $"lost {a.Reason}" : a.Answer.ToString()).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}; " +
            $"{all.Count(a => a.Seen.Count > 1)} attempts retried with their key; answers seen: {Summary(all.SelectMany(a => a.Seen).ToList())}");
        foreach (var process in cluster.All.Where(p => TimedOut(p.Output).Length > 0))
        {
            Log($"  grain calls timed out in pid {process.Id}: {TimedOut(process.Output)}");
        }

        foreach (var slow in all.Where(a => a.Seen.Count > 1 || a.Answer == Answer.Unexpected).OrderByDescending(a => a.At - a.SentAt).Take(3))
        {
            Log($"  slowest: sent at {Relative(slow.SentAt - killAt)}, answered after {(slow.At - slow.SentAt).TotalSeconds:F1} s: {slow.Describe()}");
        }

        // Every attempt a surviving host received got a definite answer, within the bound; only
        // the dead host's attempts may be unacknowledged.
        var unexpected = all.Where(a => a.Answer == Answer.Unexpected).ToList();
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} attempts got no definite answer within {failoverBound.TotalSeconds} s of the kill:\n" +
            string.Join("\n", unexpected.Take(10).Select(a => a.Describe())));
        Assert.All(all.Where(a => a.Answer == Answer.Unacknowledged), a => Assert.Equal(victimHost, a.Host));
        Assert.All(all.Where(a => a.Answer == Answer.Lost), a => Assert.Contains(a.Reason, new[] { "full", "claimLimit", "alreadyClaimed" }));
        Assert.True(dead is not null, $"The victim was still not declared dead {deathBound.TotalSeconds} s after the kill.");

        // ---- The survivors served every wish within the bound.
        var (servedAfter, _) = await serving;
        Log($"every wish served by every surviving host {servedAfter.TotalSeconds:F1} s after the kill");

        // What they hold now that the storm is over.
        var served = new List<(int Host, RequestView View)>();
        foreach (var h in survivingHosts)
        {
            foreach (var wish in wishes)
            {
                served.Add((h, await GetUntilServed(admins[h], wish.Id, clock.Elapsed + failoverBound)));
            }
        }

        var stored = served.Where(v => v.Host == survivingHosts[0]).ToDictionary(v => v.View.Id, v => v.View);

        // ---- No acknowledged claim lost, no double claim, exactly one winner per wish.
        var won = all.Where(a => a.Answer == Answer.Won).ToList();
        foreach (var wish in wishes)
        {
            var claimants = stored[wish.Id].Claimants;
            var winners = won.Where(a => a.Wish == wish.Id).Select(a => a.User).ToArray();
            Assert.True(winners.Length <= 1, $"Wish {wish.Id} was answered 'won' to {string.Join(", ", winners)}.");
            Assert.True(claimants.Length <= 1, $"Wish {wish.Id} has {claimants.Length} claimants: {string.Join(", ", claimants)}.");
            Assert.All(winners, w => Assert.Contains(w, claimants));

            // Whoever holds it won it, or sent an attempt that was never answered, or was told they already hold it.
            foreach (var claimant in claimants)
            {
                var theirs = all.Where(a => a.Wish == wish.Id && a.User == claimant).ToList();
                Assert.True(
                    theirs.Any(a => a.Answer is Answer.Won or Answer.Unacknowledged || a.Reason == "alreadyClaimed"),
                    $"Wish {wish.Id} (on the {(wishesOnVictim.Contains(wish.Id) ? "killed" : "surviving")} silo) is held by {claimant}, who was never told so:\n" +
                    string.Join("\n", theirs.Select(a => $"  sent at {Relative(a.SentAt - killAt)}: {a.Describe()}")) +
                    $"\nstored: {System.Text.Json.JsonSerializer.Serialize(stored[wish.Id].Claims, DispatchClient.Json)} updated {stored[wish.Id].UpdatedAt:O} (kill at {killWall:O})");
            }

            // Every wish had attempts from volunteers of a surviving host with free slots: it is claimed.
            Assert.Single(claimants);
            Assert.Equal(RequestStatus.Claimed, stored[wish.Id].Status);
        }

        // Every surviving host sees the same.
        Assert.All(served, v => Assert.Equal(stored[v.View.Id].Claimants.ToArray(), v.View.Claimants.ToArray()));
        Log($"wishes: {won.Count} won with a 200; {wishes.Count(w => !won.Any(a => a.Wish == w.Id))} held by a claim never acknowledged " +
            "(sent to the dead host, or answered alreadyClaimed after a 503)");

        // ---- Claim slots against claims, both ways, once the storm is over and every wish is served.
        // A claim with no slot would let its volunteer exceed the claim limit: there must be none
        // (product defect #14 shows as one). A slot with no claim ("leaked") is left when the
        // request grain, or the volunteer grain, dies between the slot's write and the claim's; the
        // volunteer grain frees it only at the claim limit, so it may remain. A request grain takes
        // one claim at a time, so the bound is one leaked slot per wish with an attempt in flight at
        // the kill, each held by the volunteer of such an attempt that did not win.
        var inFlightAtKill = all.Where(a => a.SentAt <= deadAt && a.At >= killAt && a.Answer != Answer.Won).ToList();
        var leakBound = inFlightAtKill.Select(a => a.Wish).Distinct().Count();
        var slots = await Eventually.Get(
            () => ReadSlots(admins[survivingHosts[0]], usernames),
            read => Disagreements(read).Missing.Count == 0);
        var (leaked, missing) = Disagreements(slots);
        Log($"claim slots: {slots.Values.Sum(s => s.Count)} held by {Volunteers} volunteers; {leaked.Count} without a claim (bound {leakBound}: " +
            $"wishes with an attempt in flight at the kill), {missing.Count} claims without a slot");
        Assert.True(missing.Count == 0, $"{missing.Count} claims held without the volunteer's slot (product defect #14?):\n" +
            string.Join("\n", missing.Select(m => $"  {m.User} holds {m.Wish} ({Where(m.Wish)}); their slots: {string.Join(", ", slots[m.User])}")));
        var unexplained = leaked.Where(l => !inFlightAtKill.Any(a => a.User == l.User && a.Wish == l.Wish)).ToList();
        Assert.True(unexplained.Count == 0, $"{unexplained.Count} claim slots held without a claim and without an attempt in flight at the kill:\n" +
            string.Join("\n", unexplained.Select(l => $"  {l.User} → {l.Wish} ({Where(l.Wish)}): " +
                string.Join("; ", all.Where(a => a.User == l.User && a.Wish == l.Wish).Select(a => $"sent at {Relative(a.SentAt - killAt)}: {a.Describe()}")))));
        Assert.True(leaked.Count <= leakBound, $"{leaked.Count} claim slots held without a claim, more than the {leakBound} wishes with an attempt in flight at the kill.");

        string Where(Guid wish) => wishesOnVictim.Contains(wish) ? "on the killed silo" : "on the surviving silo";

        // Leaked: (volunteer, wish) slots no request holds; missing: claims held without the slot.
        (List<(string User, Guid Wish)> Leaked, List<(string User, Guid Wish)> Missing) Disagreements(Dictionary<string, HashSet<Guid>> read) =>
        (
            [.. read.SelectMany(v => v.Value.Where(w => !stored.TryGetValue(w, out var r) || !r.Claimants.Contains(v.Key)).Select(w => (v.Key, w)))],
            [.. wishes.SelectMany(w => stored[w.Id].Claimants.Where(c => !read[c].Contains(w.Id)).Select(c => (c, w.Id)))]
        );

        // ---- The deadlines of every errand fired, those of the dead silo by the survivor.
        var (escalatedAfter, overdue) = await escalating;
        Assert.All(errands, e => Assert.Contains(overdue.Items, i => i.Id == e.Id && i.EscalationLevel >= 1));
        Assert.All(errandsOnVictim, id => Assert.Contains($"Request {id} escalated to level 1", survivorSilo.Output, StringComparison.Ordinal));
        foreach (var errand in errands)
        {
            foreach (var h in survivingHosts)
            {
                var view = await GetUntilServed(admins[h], errand.Id, clock.Elapsed + failoverBound);
                Assert.True(view.EscalationLevel >= 1, $"Errand {errand.Id} is at level {view.EscalationLevel}.");
                stored[errand.Id] = view;
            }
        }

        Log($"every errand escalated (on the overdue list) {escalatedAfter.TotalSeconds:F1} s after the kill; their first deadlines were due " +
            $"{(errands.Min(e => e.CreatedAt) + Stage - killWall).TotalSeconds:F1} to {(errands.Max(e => e.CreatedAt) + Stage - killWall).TotalSeconds:F1} s after it; " +
            $"levels now {string.Join(",", errands.Select(e => stored[e.Id].EscalationLevel))}");

        // ---- A full restart on the same database: everything as it was, old tokens still valid.
        phase = clock.Elapsed;
        var before = wishes.ToDictionary(w => w.Id, w => stored[w.Id].Claimants.Order().ToArray());
        var levels = errands.ToDictionary(e => e.Id, e => stored[e.Id].EscalationLevel);
        foreach (var client in volunteers.Values.Select(v => v.Client).Concat(admins))
        {
            client.Dispose();
        }

        await cluster.Stop();
        var stoppedIn = Since(phase);
        phase = clock.Elapsed;
        await cluster.Start();
        Log($"restart: stopped in {stoppedIn}, started again in {Since(phase)}: {cluster.Describe()}");
        phase = clock.Elapsed;
        foreach (var host in cluster.WebHosts)
        {
            using var oldAdmin = host.WithToken(adminToken);
            foreach (var wish in wishes)
            {
                var view = await oldAdmin.GetOk<RequestView>($"/api/requests/{wish.Id}");
                Assert.Equal(before[wish.Id], view.Claimants.Order().ToArray());
                Assert.Equal(RequestStatus.Claimed, view.Status);
            }

            foreach (var errand in errands)
            {
                var view = await oldAdmin.GetOk<RequestView>($"/api/requests/{errand.Id}");
                Assert.True(view.EscalationLevel >= levels[errand.Id], $"Errand {errand.Id} went down from level {levels[errand.Id]} to {view.EscalationLevel}.");
            }

            foreach (var (username, (_, _, token)) in volunteers)
            {
                using var old = host.WithToken(token);
                Assert.Equal(username, (await old.GetOk<JsonObject>("/api/accounts/me"))["username"]!.GetValue<string>());
            }

            var last = usernames[^1];
            using var fresh = await host.LoginAs(last, World.Password);
            var profile = await fresh.GetOk<JsonObject>($"/api/volunteers/{last}");
            Assert.Subset(ActiveClaims(profile), wishes.Where(w => before[w.Id].Contains(last)).Select(w => w.Id).ToHashSet());
        }

        Log($"after the restart: {Wishes} wishes, {Errands} errands, {Volunteers} old tokens and a new login checked on {cluster.WebHosts.Count} hosts in {Since(phase)}");
        // ---- Every fail or crit entry of every process, the stopped ones included: only the
        // expected kinds, each naming the killed silo, and at most one of each kind per grain call
        // that failed for it (the hosts answer such a call 503, "did not answer").
        var entries = cluster.All.SelectMany(p => Problems(p.Output).Select(e => (Process: p, Entry: e))).ToList();
        var victimAddress = $"S127.0.0.1:{victim.SiloPort.ToString(CultureInfo.InvariantCulture)}:";
        var victimGateway = $"S127.0.0.1:{victim.GatewayPort.ToString(CultureInfo.InvariantCulture)}:";
        var expected = entries
            .Where(e => (e.Entry.Contains(victimAddress, StringComparison.Ordinal) || e.Entry.Contains(victimGateway, StringComparison.Ordinal)) && ExpectedAfterKill.Any(k => k.IsMatch(e.Entry)))
            .ToList();
        var unexpectedEntries = entries.Except(expected).ToList();
        var unanswered = cluster.All.Sum(p => Count(p.Output, "did not answer"));
        Log($"fail or crit log entries over all processes: {entries.Count}, {expected.Count} of them expected after the kill (bound {ExpectedAfterKill.Length} × {unanswered} 503 answers logged)" +
            string.Concat(entries.GroupBy(e => Shorten(e.Entry)).Select(g => $"\n  {g.Count()} × {g.Key}")));
        Assert.True(unexpectedEntries.Count == 0, $"{unexpectedEntries.Count} fail or crit log entries not explained by the kill of {victimAddress}:\n" +
            string.Join("\n", unexpectedEntries.Select(e => $"pid {e.Process.Id}: {e.Entry}")));
        Assert.True(expected.Count <= ExpectedAfterKill.Length * unanswered, $"{expected.Count} fail or crit log entries about the killed silo for {unanswered} 503 answers:\n" +
            string.Join("\n", expected.Select(e => $"pid {e.Process.Id}: {Shorten(e.Entry)}")));
    }

    /// <summary>GET until 200: 503 (and only 503) is retried with backoff until the deadline.</summary>
    private async Task<RequestView> GetUntilServed(DispatchClient client, Guid id, TimeSpan deadline) =>
        await PollUntil(client, $"/api/requests/{id}", (RequestView _) => true, deadline);

    /// <summary>
    /// GETs <paramref name="path"/> until it answers 200 with a body that satisfies <paramref name="until"/>,
    /// retrying 503 (and only 503) with backoff; fails at <paramref name="deadline"/>.
    /// </summary>
    private async Task<T> PollUntil<T>(DispatchClient client, string path, Func<T, bool> until, TimeSpan deadline)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        var last = "nothing";
        while (true)
        {
            using (var response = await client.Get(path))
            {
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var value = (await response.Content.ReadFromJsonAsync<T>(DispatchClient.Json))!;
                    if (until(value))
                    {
                        return value;
                    }

                    last = $"200 {await response.Content.ReadAsStringAsync()}";
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    last = $"503 {await response.Content.ReadAsStringAsync()}";
                }
                else
                {
                    Assert.Fail($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }

            if (clock.Elapsed > deadline)
            {
                Assert.Fail($"GET {path} still not as expected at +{clock.Elapsed.TotalSeconds:F1} s: {last}");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>Every volunteer's active claim slots, as their records say.</summary>
    private static async Task<Dictionary<string, HashSet<Guid>>> ReadSlots(DispatchClient admin, IEnumerable<string> usernames)
    {
        var slots = new Dictionary<string, HashSet<Guid>>();
        foreach (var username in usernames)
        {
            slots[username] = ActiveClaims(await admin.GetOk<JsonObject>($"/api/volunteers/{username}"));
        }

        return slots;
    }

    private static string Token(DispatchClient client) => client.Http.DefaultRequestHeaders.Authorization!.Parameter!;

    private static HashSet<Guid> ActiveClaims(JsonObject profile) =>
        profile["activeClaims"]!.AsArray().Select(n => n!.GetValue<Guid>()).ToHashSet();

    /// <summary>"503 ×2, 200 ×1": each distinct answer with its count.</summary>
    private static string Summary(IReadOnlyList<string> seen) =>
        string.Join(", ", seen.GroupBy(s => s).Select(g => $"{g.Key} ×{g.Count()}"));

    /// <summary>"kill+1.25 s", "kill-0.30 s".</summary>
    private static string Relative(TimeSpan sinceKill) =>
        string.Create(CultureInfo.InvariantCulture, $"kill{sinceKill.TotalSeconds:+0.00;-0.00} s");

    /// <summary>Grain calls that waited for Orleans' response timeout, by the silo or gateway they were sent to.</summary>
    private static string TimedOut(string log) => string.Join(", ", System.Text.RegularExpressions.Regex
        .Matches(log, @"Response did not arrive on time in [0-9:.]+ for message: Request \[[^\]]*\]->\[(S[0-9.:]+)[^\]]*\] ([A-Za-z.]+\.[A-Za-z]+)\(")
        .GroupBy(m => $"{m.Groups[1].Value} {m.Groups[2].Value.Split('.')[^2]}.{m.Groups[2].Value.Split('.')[^1]}")
        .Select(g => $"{g.Key} ×{g.Count()}"));

    private string Since(TimeSpan start) => $"{(clock.Elapsed - start).TotalSeconds:F1} s";

    private void Log(string line)
    {
        lock (report)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:F1} s] {line}");
        }
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The fail entries a kill -9 of a silo explains, when they name it: a message that could not
    /// be addressed because the directory partition or activation was on it, a placement retry
    /// that could not connect to it, the cancellation of a call that was waiting on it, a request
    /// whose write failed because a call it made went to it, an activation that could not be
    /// unregistered from its directory partition, and a reminder tick for a grain activated there.
    /// The slower the death declaration, the more of them (none to a dozen tuned, hundreds at the
    /// defaults).
    /// </summary>
    private static readonly System.Text.RegularExpressions.Regex[] ExpectedAfterKill =
    [
        new(@"^fail: Orleans\.Messaging\[100071\]\n\s+Failed to address message .*\n\s+Orleans\.Runtime\.OrleansMessageRejectionException: .*Unable to connect to "),
        new(@"^fail: Polly\[3\]\n\s+Execution attempt\. Source: 'Orleans\.Placement/.*Unable to connect to "),
        new(@"^fail: Orleans\.Runtime\.GrainCallCancellationManager\[294010709\]\n\s+Error while cancelling [0-9]+ requests to "),
        new(@"^fail: Dispatch\.Requests\.RequestGrain\[1577581389\]\n\s+Storing request [0-9a-f-]+ failed; the activation will reload\n\s+Orleans\.Runtime\.OrleansMessageRejectionException: .*Unable to connect to "),
        new(@"^fail: Orleans\.Grain\[1528537479\]\n\s+Failed to unregister activation .*\n\s+Orleans\.Runtime\.OrleansMessageRejectionException: .*Unable to connect to "),
        new(@"^fail: Orleans\.Runtime\.ReminderService\.LocalReminderService\[1018594607\]\n\s+Could not deliver reminder tick for .*\n\s+Orleans\.Runtime\.OrleansMessageRejectionException: .*Unable to connect to "),
    ];

    /// <summary>Each "fail:" or "crit:" entry of a console log, whole: its header line and the indented lines under it.</summary>
    private static IEnumerable<string> Problems(string log)
    {
        var lines = log.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("fail:", StringComparison.Ordinal) || lines[i].StartsWith("crit:", StringComparison.Ordinal))
            {
                var entry = new StringBuilder(lines[i].TrimEnd());
                while (i + 1 < lines.Length && lines[i + 1].StartsWith(' '))
                {
                    entry.Append('\n').Append(lines[++i].TrimEnd());
                }

                yield return entry.ToString();
            }
        }
    }

    /// <summary>An entry's header and first message line, cut at 300 characters, for the report.</summary>
    private static string Shorten(string entry)
    {
        var text = string.Join(" ", entry.Split('\n').Take(2).Select(l => l.Trim()));
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public void Dispose() => directory.Dispose();
}
