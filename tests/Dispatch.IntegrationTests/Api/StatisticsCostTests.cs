using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Dispatch.IntegrationTests.Support;
using Xunit.Abstractions;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// What one statistics call costs in grain calls, counted from the Orleans activities of its own
/// trace (the request carries a <c>traceparent</c> of the test's; the silo propagates it): the
/// service hours and person-times read every registered volunteer's hours grain of the place, once
/// a call, so the cost grows with the volunteers. This pins the figure the per-community roll-up of
/// issue #20 is to bring down to one read a community.
/// </summary>
public sealed class StatisticsCostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_period_statistics_call_reads_each_registered_volunteers_hours_grain_once()
    {
        await using var store = await TestStore.Create(StoreKind.Sqlite);
        await using var app = store.App();
        var world = await World.Create(app, volunteersPerCommunity: 2);
        using var staff = await world.As("staff-t1");
        const string Path = "/api/places/t1/stats?from=2026-11-01&to=2026-12-01&groupBy=community";

        // t1 holds m1 and m2: 4 registered volunteers; then 8 more.
        var few = await GrainCalls(staff, Path);
        foreach (var community in new[] { "m1", "m2" })
        {
            for (var i = 3; i <= 6; i++)
            {
                await world.Admin.CreateAccount(World.Volunteer(community, i), "volunteer", community);
            }
        }

        var many = await GrainCalls(staff, Path);

        output.WriteLine($"4 volunteers: {Describe(few)}");
        output.WriteLine($"12 volunteers: {Describe(many)}");
        Assert.Equal((4, 12), (Hours(few), Hours(many)));
        Assert.Equal(1, many.Count(c => c.StartsWith("IHoursTotalsGrain/", StringComparison.Ordinal)));

        // Everything else a call makes does not grow with the volunteers.
        Assert.Equal(few.Count - Hours(few), many.Count - Hours(many));

        static int Hours(List<string> calls) => calls.Count(c => c.StartsWith("IHoursGrain/", StringComparison.Ordinal));
        static string Describe(List<string> calls) =>
            $"{calls.Count} grain calls: " + string.Join(", ", calls.GroupBy(c => c.Split('/')[0]).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
    }

    /// <summary>The grain calls (interface/method, as Orleans names its activities) served under one request's trace.</summary>
    private static async Task<List<string>> GrainCalls(DispatchClient client, string path)
    {
        var trace = ActivityTraceId.CreateRandom();
        var calls = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == trace && activity.Source.Name == "Microsoft.Orleans.Application" && activity.Kind == ActivityKind.Server)
                {
                    calls.Enqueue(activity.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. calls];
    }
}
