using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Queries;
using Xunit.Abstractions;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// A real process killed with SIGKILL while requests are being published: once the restarted host
/// says ready, the query store lists every request whose creation was acknowledged.
/// </summary>
public sealed class QueryStoreCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int BatchSize = 200;

    private readonly TempDirectory directory = new();

    [Fact]
    public async Task After_a_kill_9_during_publication_ready_means_every_acknowledged_request_is_listed()
    {
        var acknowledged = new List<Guid>();
        using (var first = await DispatchProcess.Start(directory.Path))
        {
            using var admin = await first.Admin();
            await admin.CreateCommunityChain("crash", "crash-m");

            // Batches back to back; the host is killed as soon as the second one is answered, while
            // the third is on its way and the projector may still hold what was just created.
            var third = Task.CompletedTask;
            for (var batch = 0; batch < 3; batch++)
            {
                var body = new { items = Enumerable.Range(0, BatchSize).Select(i => Item($"crash {batch}-{i}")).ToArray() };
                if (batch == 2)
                {
                    third = admin.Post("/api/requests/batch", body);
                    first.Kill();
                    break;
                }

                var response = await admin.Post("/api/requests/batch", body);
                await DispatchClient.Expect(response, HttpStatusCode.OK);
                var results = (await response.Content.ReadFromJsonAsync<JsonObject>(DispatchClient.Json))!["results"]!.AsArray();
                acknowledged.AddRange(results.Select(r => r!["id"]!.GetValue<Guid>()));
            }

            await Assert.ThrowsAnyAsync<Exception>(async () => await third);
        }

        using var second = await DispatchProcess.Start(directory.Path);
        output.WriteLine(string.Join('\n', second.Output.Split('\n').Where(l => l.Contains("Query store", StringComparison.Ordinal))));
        using var again = await second.Admin();
        var listed = new HashSet<Guid>();
        for (var page = 1; ; page++)
        {
            var items = (await again.GetOk<RequestPage>($"/api/places/crash-region/requests?pageSize=200&page={page}")).Items;
            listed.UnionWith(items.Select(i => i.Id));
            if (items.Length < 200)
            {
                break;
            }
        }

        Assert.Equal(2 * BatchSize, acknowledged.Count);
        Assert.Empty(acknowledged.Except(listed));
    }

    private static object Item(string title) => new
    {
        communityId = "crash-m", kind = "wish", title, categories = new[] { "goods" }, urgency = "normal", places = 1, points = 5,
        beneficiary = new { name = "Xiao Ming" },
    };

    public void Dispose() => directory.Dispose();
}
