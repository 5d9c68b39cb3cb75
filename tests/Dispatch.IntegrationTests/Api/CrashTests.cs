using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.WebHost.Api;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Runs Dispatch as a real process, kills it with SIGKILL right after a burst of claims, and
/// starts it again on the same folder: every claim that was answered "won" is still there, no
/// other claim is, and the counters (whose last changes were only in memory) are exact again.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [Fact]
    public async Task A_kill_9_after_the_answers_loses_no_acknowledged_claim()
    {
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<Guid, System.Collections.Concurrent.ConcurrentBag<string>>();
        List<Guid> requestIds = [];
        using (var first = await DispatchProcess.Start(directory.Path))
        {
            using var admin = await first.Admin();
            await admin.CreatePlace("k-region", "region", null);
            await admin.CreatePlace("k-county", "county", "k-region");
            await admin.CreatePlace("k-town", "town", "k-county");
            await admin.CreatePlace("k-comm", "community", "k-town");
            var users = Enumerable.Range(1, 30).Select(i => $"crash-{i:D2}").ToArray();
            foreach (var user in users)
            {
                await admin.CreateAccount(user, "volunteer", "k-comm");
            }

            for (var i = 0; i < 8; i++)
            {
                requestIds.Add((await admin.CreateRequest("k-comm", kind: "activity", places: 4, title: $"Activity {i}")).Id);
            }

            var clients = new Dictionary<string, DispatchClient>();
            foreach (var user in users)
            {
                clients[user] = await first.LoginAs(user, World.Password);
            }

            var attempts = users.SelectMany(u => requestIds.Select(r => (User: u, Request: r))).ToArray();
            Random.Shared.Shuffle(attempts);
            await Parallel.ForEachAsync(attempts, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (attempt, _) =>
            {
                var response = await clients[attempt.User].Post($"/api/requests/{attempt.Request}/claim");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.GetOrAdd(attempt.Request, _ => []).Add(attempt.User);
                }
            });

            // No graceful shutdown: the process dies right after the last answer.
            first.Kill();
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }

        using var second = await DispatchProcess.Start(directory.Path);
        using var adminAgain = await second.Admin();
        var total = 0;
        foreach (var id in requestIds)
        {
            var request = await adminAgain.GetOk<RequestView>($"/api/requests/{id}");
            var won = acknowledged.TryGetValue(id, out var bag) ? bag.Order().ToArray() : [];
            Assert.Equal(won, request.Claimants.Order().ToArray());
            total += won.Length;
        }

        Assert.Equal(requestIds.Count * 4, total);
        var counters = await Eventually.Get(
            () => adminAgain.GetOk<JsonObject>("/api/communities/k-comm"),
            c => c["counters"]!["claimed"]!.GetValue<int>() == requestIds.Count);
        Assert.Equal(requestIds.Count, counters["counters"]!["claimed"]!.GetValue<int>());
        Assert.Equal(0, counters["counters"]!["open"]!.GetValue<int>());
    }

    public void Dispose() => directory.Dispose();
}
