using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Xunit.Abstractions;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Runs Dispatch as a real process at its shipped settings, kills it with SIGKILL during or right
/// after a storm of claims, and starts it again on the same folder: every claim that was answered
/// "won" is still there, nobody holds more than the claim limit, every volunteer's record agrees
/// with the requests, and the counters (whose last changes were only in memory) are exact again.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Volunteers = 30;
    private const int Activities = 8;
    private const int Places = 4;
    private const int ShippedLimit = 5;

    private readonly TempDirectory directory = new();

    [Fact]
    public async Task A_kill_9_after_the_answers_loses_no_acknowledged_claim()
    {
        var storm = await Storm(seed: 20261206, killAfterAnswers: null);

        using var second = await DispatchProcess.Start(directory.Path);
        using var admin = await second.Admin();
        var holdings = await AssertSurvived(admin, storm);

        // Every attempt was answered before the kill: what is stored is exactly what was won.
        foreach (var id in storm.Requests)
        {
            var won = storm.Won.TryGetValue(id, out var bag) ? bag.Order().ToArray() : [];
            Assert.Equal(won, holdings.Requests[id].Claimants.Order().ToArray());
        }

        Assert.Equal(Activities * Places, storm.Won.Values.Sum(w => w.Count));
        var counters = await Eventually.Get(
            () => admin.GetOk<JsonObject>("/api/communities/k-comm"),
            c => c["counters"]!["claimed"]!.GetValue<int>() == Activities);
        Assert.Equal(Activities, counters["counters"]!["claimed"]!.GetValue<int>());
        Assert.Equal(0, counters["counters"]!["open"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_kill_9_in_the_middle_of_a_storm_leaves_the_records_and_the_requests_agreeing_after_the_restart()
    {
        // Killed once a third of the attempts are answered: others are on their way, some of them
        // with a volunteer's slot stored and the request's claim not yet.
        var storm = await Storm(seed: 20261207, killAfterAnswers: Volunteers * Activities / 3);

        using var second = await DispatchProcess.Start(directory.Path);
        using var admin = await second.Admin();
        await AssertSurvived(admin, storm);
    }

    /// <summary>
    /// Every volunteer tries every activity at once, in an order drawn from <paramref name="seed"/>;
    /// every answer that arrives is checked (won, or 409 with a reason a storm can give).
    /// </summary>
    private async Task<StormResult> Storm(int seed, int? killAfterAnswers)
    {
        output.WriteLine($"seed {seed}");
        var won = new ConcurrentDictionary<Guid, ConcurrentBag<string>>();
        var users = Enumerable.Range(1, Volunteers).Select(i => $"crash-{i:D2}").ToArray();
        List<Guid> requestIds = [];
        using var first = await DispatchProcess.Start(directory.Path);
        using var admin = await first.Admin();
        await admin.CreateCommunityChain("k", "k-comm");
        foreach (var user in users)
        {
            await admin.CreateAccount(user, "volunteer", "k-comm");
        }

        for (var i = 0; i < Activities; i++)
        {
            requestIds.Add((await admin.CreateRequest("k-comm", kind: "activity", places: Places, title: $"Activity {i}")).Id);
        }

        var clients = new Dictionary<string, DispatchClient>();
        foreach (var user in users)
        {
            clients[user] = await first.LoginAs(user, World.Password);
        }

        var attempts = users.SelectMany(u => requestIds.Select(r => (User: u, Request: r))).ToArray();
        new Random(seed).Shuffle(attempts);
        var answered = 0;
        var unanswered = 0;
        var killed = 0;
        await Parallel.ForEachAsync(attempts, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (attempt, _) =>
        {
            HttpResponseMessage response;
            try
            {
                response = await clients[attempt.User].Post($"/api/requests/{attempt.Request}/claim");
            }
            catch (HttpRequestException) when (Volatile.Read(ref killed) == 1)
            {
                Interlocked.Increment(ref unanswered); // The process died before answering.
                return;
            }

            var answer = await ClaimInvariants.Answer(response);
            Assert.Contains(answer, new[] { "won", "full", "claimLimit" });
            if (answer == "won")
            {
                won.GetOrAdd(attempt.Request, _ => []).Add(attempt.User);
            }

            if (Interlocked.Increment(ref answered) == killAfterAnswers)
            {
                Volatile.Write(ref killed, 1);
                first.Kill(); // No graceful shutdown: the process dies mid-storm.
            }
        });

        // After the storm, if the kill has not come yet: right after the last answer.
        first.Kill();
        output.WriteLine($"{answered} answered, {unanswered} cut off by the kill");
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        return new StormResult(requestIds, users, won);
    }

    /// <summary>What was answered "won" is stored; the claim limit and the records hold on what is stored.</summary>
    private static async Task<ClaimHoldings> AssertSurvived(DispatchClient admin, StormResult storm)
    {
        var holdings = await ClaimInvariants.AssertHold(admin, storm.Requests, storm.Users, ShippedLimit);
        foreach (var id in storm.Requests)
        {
            var acknowledged = storm.Won.TryGetValue(id, out var bag) ? bag.ToArray() : [];
            Assert.All(acknowledged, user => Assert.Contains(user, holdings.Requests[id].Claimants));
        }

        return holdings;
    }

    private sealed record StormResult(List<Guid> Requests, string[] Users, ConcurrentDictionary<Guid, ConcurrentBag<string>> Won);

    public void Dispose() => directory.Dispose();
}
