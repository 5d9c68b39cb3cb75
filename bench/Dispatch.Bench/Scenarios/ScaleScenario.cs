using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dispatch.Bench.Infrastructure;

namespace Dispatch.Bench.Scenarios;

/// <param name="Requests">Requests published in all (a region's year: 1,000,000).</param>
/// <param name="Open">Of those, left open; the rest are cancelled (finished) after publication.</param>
/// <param name="Communities">Communities, spread over <paramref name="Counties"/> counties of one town each.</param>
/// <param name="Samples">Reads per measured query kind (lists, searches, statistics).</param>
public sealed record ScaleOptions
{
    public int Requests { get; init; } = 1_000_000;

    public int Open { get; init; } = 100_000;

    public int Communities { get; init; } = 1_000;

    public int Counties { get; init; } = 10;

    public int BatchSize { get; init; } = 1_000;

    public int Concurrency { get; init; } = 4;

    public int Samples { get; init; } = 200;

    /// <summary>How long the query store may take to hold every request once publication ends.</summary>
    public TimeSpan CatchUpTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public static ScaleOptions Quick(ScaleOptions options) => options with
    {
        Requests = Math.Min(options.Requests, 1_000),
        Open = Math.Min(options.Open, 400),
        Communities = Math.Min(options.Communities, 20),
        Counties = Math.Min(options.Counties, 2),
        BatchSize = Math.Min(options.BatchSize, 250),
        Samples = Math.Min(options.Samples, 50),
    };
}

/// <summary>
/// What <c>scale</c> measured, each figure beside its goal (issue #17). A figure this scenario does
/// not measure yet is null and says so in the table: <c>heapBytesPerOpenRequest</c> (needs an
/// in-process silo), <c>restartReadySeconds</c>, <c>deadlineLatenessP99Seconds</c> and
/// <c>projectionLagP99Ms</c> (needs the claim storm against the query store).
/// </summary>
public sealed record ScaleSummary(
    string Scenario,
    MachineInfo Machine,
    ScaleOptions Options,
    int Published,
    int Failed,
    int Cancelled,
    double PublishPerSec,
    double? HeapBytesPerOpenRequest,
    double RssMb,
    double? RestartReadySeconds,
    double? DeadlineLatenessP99Seconds,
    double ListP99Ms,
    double SearchP99Ms,
    double StatsCountyP99Ms,
    double StatsRegionP99Ms,
    double? ProjectionLagP99Ms,
    double CatchUpSeconds,
    int MissingAfterStorm,
    int StoredTotal,
    int StoredOpen,
    int StoredCancelled);

/// <summary>
/// <c>scale</c>: builds a region's year through <c>POST /api/requests/batch</c> (default 1,000,000
/// requests of which 100,000 stay open, 1,000 communities under 10 counties), finishes the rest,
/// waits for the query store to hold everything, then reads lists, searches and statistics as the
/// desk would, and reports each figure beside its goal.
/// </summary>
public static class ScaleScenario
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Titles in Chinese with a running number: a search for a substring of characters must find them.
    private static readonly string[] Titles = ["为留守儿童送保温杯", "帮老人预约体检", "楼道灯维修", "义诊志愿医生", "土地补偿信访代办"];

    public static Command Command(Option<string?> json, Option<bool> quick)
    {
        var defaults = new ScaleOptions();
        var requests = new Option<int>("--requests") { Description = "Requests published in all.", DefaultValueFactory = _ => defaults.Requests };
        var open = new Option<int>("--open") { Description = "Of those, left open (the rest are cancelled).", DefaultValueFactory = _ => defaults.Open };
        var communities = new Option<int>("--communities") { Description = "Communities, spread over the counties.", DefaultValueFactory = _ => defaults.Communities };
        var counties = new Option<int>("--counties") { Description = "Counties (one town each).", DefaultValueFactory = _ => defaults.Counties };
        var command = new Command("scale", "A region's year through the batch route: publication, lists, search and statistics on the query store, memory.")
        {
            requests, open, communities, counties, json, quick,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new ScaleOptions
            {
                Requests = result.GetValue(requests),
                Open = result.GetValue(open),
                Communities = result.GetValue(communities),
                Counties = result.GetValue(counties),
            };
            if (result.GetValue(quick))
            {
                options = ScaleOptions.Quick(options);
            }

            ScaleSummary summary;
            try
            {
                summary = await RunAsync(options, cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                Report.Progress($"scale failed: {exception}");
                return 1;
            }

            Print(summary);
            await Report.WriteJsonAsync(result.GetValue(json), summary);
            return IsCorrect(summary) ? 0 : 2;
        });
        return command;
    }

    /// <summary>Nothing lost: every request published, stored, and counted under the status it has.</summary>
    public static bool IsCorrect(ScaleSummary summary) =>
        summary.Failed == 0
        && summary.MissingAfterStorm == 0
        && summary.StoredTotal == summary.Options.Requests
        && summary.StoredOpen == summary.Options.Open
        && summary.StoredCancelled == summary.Options.Requests - summary.Options.Open;

    public static async Task<ScaleSummary> RunAsync(ScaleOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Requests, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Open, options.Requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Communities, options.Counties);

        await using var server = await DispatchServer.StartAsync(DispatchTarget.Embedded, postgres: null, settings: null, cancellationToken);
        using var setup = new Infrastructure.DispatchClient(server.BaseAddress);
        var token = await setup.AdminTokenAsync(cancellationToken);
        using var http = LoadDriver.CreateClient(server.BaseAddress, Math.Max(options.Concurrency, 8));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // A batch of 1,000 creations may take a while on a loaded machine.
        http.Timeout = TimeSpan.FromMinutes(10);

        Report.Progress($"places: {options.Counties} counties, {options.Communities} communities");
        await CreatePlacesAsync(setup, options, cancellationToken);
        Report.Progress("places created; publishing");

        // Publication: batches of up to 1,000, a few in flight.
        var batches = (options.Requests + options.BatchSize - 1) / options.BatchSize;
        var ids = new Guid[options.Requests];
        var failed = 0;
        var elapsed = await LoadDriver.RunAsync(batches, options.Concurrency, async batch =>
        {
            var first = batch * options.BatchSize;
            var count = Math.Min(options.BatchSize, options.Requests - first);
            var items = Enumerable.Range(first, count).Select(Item(options)).ToArray();
            using var response = await http.PostAsJsonAsync("/api/requests/batch", new { items }, Json, cancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken);
            foreach (var result in body!["results"]!.AsArray())
            {
                var index = first + result!["index"]!.GetValue<int>();
                if (result["id"] is { } id)
                {
                    ids[index] = id.GetValue<Guid>();
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }, new Progress<int>(n => Report.Progress($"published {n * options.BatchSize:N0}")));
        var publishPerSec = options.Requests / elapsed.TotalSeconds;
        Report.Progress($"published {options.Requests:N0} in {elapsed.TotalSeconds:F1} s: {publishPerSec:N0}/s, {failed} failed");

        // The finished part of the year: every request past the open ones is cancelled.
        var cancelled = 0;
        await LoadDriver.RunAsync(options.Requests - options.Open, options.Concurrency * 4, async n =>
        {
            var id = ids[options.Open + n];
            using var response = await http.PostAsJsonAsync($"/api/requests/{id}/cancel", new { reason = "年度归档" }, Json, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref cancelled);
            }
        }, new Progress<int>(n => Report.Progress($"cancelled {n:N0}")));

        // The query store catches up: every request, under the status it has.
        var clock = Stopwatch.StartNew();
        var region = Path(DispatchRegion, "requests?pageSize=1");
        int stored = 0, storedOpen = 0, storedCancelled = 0;
        while (clock.Elapsed < options.CatchUpTimeout)
        {
            stored = await TotalAsync(http, region, cancellationToken);
            storedCancelled = await TotalAsync(http, Path(DispatchRegion, "requests?pageSize=1&status=cancelled"), cancellationToken);
            if (stored >= options.Requests && storedCancelled >= cancelled)
            {
                break;
            }

            await Task.Delay(200, cancellationToken);
        }

        var catchUp = clock.Elapsed.TotalSeconds;
        storedOpen = await TotalAsync(http, Path(DispatchRegion, "requests?pageSize=1&status=open"), cancellationToken);
        Report.Progress($"query store: {stored:N0} requests ({storedOpen:N0} open, {storedCancelled:N0} cancelled) after {catchUp:F1} s");

        // Reads as the desk makes them, one at a time (latency, not throughput).
        var random = new Random(17);
        var list = await MeasureAsync(http, options.Samples, _ =>
            Path(County(random.Next(options.Counties)), $"requests?status=open&sort=newest&page={random.Next(1, 6)}&pageSize=20"), cancellationToken);
        var search = await MeasureAsync(http, options.Samples, _ =>
            Path(County(random.Next(options.Counties)), $"requests?q={Uri.EscapeDataString(Titles[random.Next(Titles.Length)][1..4])}&pageSize=20"), cancellationToken);
        var from = DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var statsCounty = await MeasureAsync(http, options.Samples, _ =>
            Path(County(random.Next(options.Counties)), $"stats?from={from}&groupBy=community"), cancellationToken);
        var statsRegion = await MeasureAsync(http, Math.Max(5, options.Samples / 10), _ =>
            Path(DispatchRegion, $"stats?from={from}&groupBy=county"), cancellationToken);

        var rssMb = server.Process.ResidentBytes / 1024.0 / 1024.0;
        return new ScaleSummary(
            "scale", Report.Machine(), options, options.Requests - failed, failed, cancelled, Math.Round(publishPerSec, 0),
            null, Math.Round(rssMb, 0), null, null,
            list.P99, search.P99, statsCounty.P99, statsRegion.P99, null, Math.Round(catchUp, 1),
            Math.Max(0, options.Requests - stored), stored, storedOpen, storedCancelled);
    }

    private const string DispatchRegion = "scale-region";

    private static string County(int index) => $"scale-county-{index}";

    private static string Town(int index) => $"scale-town-{index}";

    private static string Community(int index) => $"scale-community-{index}";

    private static string Path(string placeId, string rest) => $"/api/places/{placeId}/{rest}";

    private static async Task CreatePlacesAsync(Infrastructure.DispatchClient setup, ScaleOptions options, CancellationToken cancellationToken)
    {
        await setup.PostAsync("/api/places", new { id = DispatchRegion, name = "规模测试盟", kind = "region" }, cancellationToken);
        for (var c = 0; c < options.Counties; c++)
        {
            await setup.PostAsync("/api/places", new { id = County(c), name = $"第{c + 1}旗", kind = "county", parentId = DispatchRegion }, cancellationToken);
            await setup.PostAsync("/api/places", new { id = Town(c), name = $"第{c + 1}镇", kind = "town", parentId = County(c) }, cancellationToken);
        }

        await LoadDriver.RunAsync(options.Communities, options.Concurrency, m =>
            setup.PostAsync("/api/places", new { id = Community(m), name = $"第{m + 1}社区", kind = "community", parentId = Town(m % options.Counties) }, cancellationToken));
    }

    private static Func<int, object> Item(ScaleOptions options) => n => new
    {
        communityId = Community(n % options.Communities),
        kind = "wish",
        title = $"{Titles[n % Titles.Length]} #{n}",
        categories = new[] { "goods" },
        urgency = "normal",
        places = 1,
        points = 10,
        beneficiary = new { name = "规模测试居民", phone = "138-0000-0000" },
    };

    private static async Task<int> TotalAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        var page = await http.GetFromJsonAsync<JsonObject>(path, Json, cancellationToken);
        return page!["total"]!.GetValue<int>();
    }

    private static async Task<LatencySummary> MeasureAsync(HttpClient http, int samples, Func<int, string> path, CancellationToken cancellationToken)
    {
        var latencies = new Latencies(samples);
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path(i), HttpCompletionOption.ResponseContentRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            latencies.Add(Stopwatch.GetElapsedTime(started));
        }

        return latencies.Summarise();
    }

    private static void Print(ScaleSummary s)
    {
        static string Ms(double? value) => value is { } v ? Report.Milliseconds(v) + " ms" : "not measured";
        Report.Table(
            $"scale: {s.Options.Requests:N0} requests ({s.Options.Open:N0} open), {s.Options.Communities:N0} communities, {s.Options.Counties} counties, on {s.Machine.Cores} cores",
            ["figure", "measured", "goal"],
            [
                ["publication through POST /api/requests/batch", $"{Report.Number(s.PublishPerSec)} requests/s", ">= 5,000 requests/s"],
                ["heap per open request once idle", s.HeapBytesPerOpenRequest is { } h ? $"{Report.Number(h)} B" : "not measured", "<= 1 KB"],
                ["whole process RSS", $"{Report.Number(s.RssMb)} MB", "<= 1.5 GB at the default size"],
                ["restart to /health/ready", s.RestartReadySeconds is { } r ? $"{r:F1} s" : "not measured", "<= 30 s"],
                ["deadlines due while down, applied after ready (p99)", s.DeadlineLatenessP99Seconds is { } d ? $"{d:F1} s" : "not measured", "<= 60 s"],
                ["list page of a county (p99)", Ms(s.ListP99Ms), "<= 50 ms"],
                ["search page of a county, q= (p99)", Ms(s.SearchP99Ms), "<= 50 ms"],
                ["statistics by period, county (p99)", Ms(s.StatsCountyP99Ms), "<= 200 ms"],
                ["statistics by period, region (p99)", Ms(s.StatsRegionP99Ms), "<= 1 s"],
                ["query-store lag in a claim storm (p99)", Ms(s.ProjectionLagP99Ms), "<= 2 s"],
                ["query store complete after publication", $"{s.CatchUpSeconds:F1} s", "(no goal)"],
                ["missing from the query store", Report.Number(s.MissingAfterStorm), "0"],
            ]);
    }
}
