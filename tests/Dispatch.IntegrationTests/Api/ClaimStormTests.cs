using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// 200 volunteers race for 10 one-place wishes and 3 five-place activities, over HTTP on the
/// embedded SQLite store and on PostgreSQL, several rounds: exact winners, no double claims,
/// every attempt answered, counters exact.
/// </summary>
public sealed class ClaimStormTests
{
    private const int Volunteers = 200;
    private const int Wishes = 10;
    private const int Activities = 3;
    private const int ActivityPlaces = 5;
    private const int Rounds = 3;
    private const string Community = "storm";

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSQL)]
    public async Task Every_place_is_won_exactly_once_and_every_attempt_gets_a_definite_answer(StoreKind kind)
    {
        await using var store = await TestStore.Create(kind);
        // Every volunteer tries all 13 requests of a round at once, three rounds back to back: about
        // 40 attempts each within seconds, on purpose, past the per-volunteer claim limit (a burst of
        // 20, then 5 a second), which is not what this test is about (Security/RateLimitTests is).
        await using var app = new DispatchApp(store.DataDir, new Dictionary<string, string?>(store.Settings)
        {
            ["Dispatch:RateLimits:ClaimsPerVolunteer:Burst"] = "1000",
            ["Dispatch:RateLimits:ClaimsPerVolunteer:Refill"] = "1000",
        });
        using var admin = await app.Admin();
        await admin.CreateCommunityChain("storm", Community);
        var usernames = Enumerable.Range(1, Volunteers).Select(i => $"storm-{i:D3}").ToArray();
        foreach (var username in usernames)
        {
            await admin.CreateAccount(username, "volunteer", Community);
        }

        // Tokens are obtained before the race starts.
        var volunteers = new Dictionary<string, DispatchClient>();
        foreach (var username in usernames)
        {
            volunteers[username] = await app.LoginAs(username, World.Password);
        }

        var random = new Random(20261129);
        for (var round = 1; round <= Rounds; round++)
        {
            var requests = new List<RequestView>();
            for (var i = 0; i < Wishes; i++)
            {
                requests.Add(await admin.CreateRequest(Community, title: $"Round {round} wish {i}"));
            }

            for (var i = 0; i < Activities; i++)
            {
                requests.Add(await admin.CreateRequest(Community, kind: "activity", places: ActivityPlaces, title: $"Round {round} activity {i}"));
            }

            // Every volunteer tries every request once, all at the same time, in a random order.
            var attempts = usernames.SelectMany(u => requests.Select(r => (Username: u, Request: r.Id))).ToArray();
            random.Shuffle(attempts);
            var winners = new ConcurrentDictionary<Guid, ConcurrentBag<string>>();
            var answers = new ConcurrentBag<string>();
            await Parallel.ForEachAsync(attempts, new ParallelOptions { MaxDegreeOfParallelism = 48 }, async (attempt, _) =>
            {
                var response = await volunteers[attempt.Username].Post($"/api/requests/{attempt.Request}/claim");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    winners.GetOrAdd(attempt.Request, _ => []).Add(attempt.Username);
                    answers.Add("won");
                }
                else
                {
                    answers.Add(await ClaimInvariants.Answer(response));
                }
            });

            Assert.Equal(attempts.Length, answers.Count);
            Assert.All(answers, a => Assert.Contains(a, new[] { "won", "full", "claimLimit" }));
            Assert.Equal(Wishes + (Activities * ActivityPlaces), answers.Count(a => a == "won"));

            foreach (var request in requests)
            {
                var stored = await admin.GetOk<RequestView>($"/api/requests/{request.Id}");
                var expected = request.Kind == RequestKind.Activity ? ActivityPlaces : 1;
                Assert.Equal(expected, stored.Claimants.Length);
                Assert.Equal(stored.Claimants.Length, stored.Claimants.Distinct().Count());
                Assert.Equal(winners[request.Id].Order(), stored.Claimants.Order());
                Assert.Equal(RequestStatus.Claimed, stored.Status);
            }

            // The volunteers' side agrees: each winner holds exactly the claims they won, and
            // nobody holds more than the shipped claim limit (this test raises only the rate limit).
            var holdings = await ClaimInvariants.AssertHold(admin, requests.Select(r => r.Id), usernames, limit: 5);
            foreach (var winner in winners.SelectMany(w => w.Value.Select(u => (User: u, Request: w.Key))).GroupBy(w => w.User))
            {
                Assert.Equal(winner.Select(w => w.Request).Order(), holdings.Records[winner.Key]);
            }

            var claimedCounters = await Counters(admin, c => c["claimed"]!.GetValue<int>() == requests.Count);
            Assert.Equal(requests.Count, claimedCounters["claimed"]!.GetValue<int>());
            Assert.Equal(0, claimedCounters["open"]!.GetValue<int>());
            Assert.Equal((round - 1) * requests.Count, claimedCounters["cancelled"]!.GetValue<int>());

            // End of the round: staff withdraw everything, which frees every claim slot.
            foreach (var request in requests)
            {
                await admin.PostOk<RequestView>($"/api/requests/{request.Id}/cancel", new { reason = $"End of round {round}" });
            }

            var cancelledCounters = await Counters(admin, c => c["cancelled"]!.GetValue<int>() == round * requests.Count);
            Assert.Equal(round * requests.Count, cancelledCounters["cancelled"]!.GetValue<int>());
            Assert.Equal(0, cancelledCounters["claimed"]!.GetValue<int>());
            Assert.Equal(Volunteers, cancelledCounters["registeredVolunteers"]!.GetValue<int>());
        }

        foreach (var client in volunteers.Values)
        {
            client.Dispose();
        }
    }

    private static async Task<JsonObject> Counters(DispatchClient admin, Func<JsonObject, bool> until) =>
        (JsonObject)(await Eventually.Get(
            async () => (JsonObject)(await admin.GetOk<JsonObject>($"/api/communities/{Community}"))["counters"]!.DeepClone(),
            until))!;
}
