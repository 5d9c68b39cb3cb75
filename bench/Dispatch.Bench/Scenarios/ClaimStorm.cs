using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Dispatch.Bench.Infrastructure;
using Dispatch.Bench.Servers;

namespace Dispatch.Bench.Scenarios;

public enum AttemptOrder
{
    /// <summary>A wish's contenders arrive together, as when a wish appears and everyone taps at once.</summary>
    Grouped,

    /// <summary>Every attempt in a random order: contention on each wish is spread over the run.</summary>
    Shuffled,
}

public sealed record ClaimStormOptions
{
    public int Wishes { get; init; } = 1000;
    public int Contenders { get; init; } = 50;
    public int Concurrency { get; init; } = 32;
    public int Places { get; init; } = 1;
    public AttemptOrder Order { get; init; } = AttemptOrder.Grouped;
    public DispatchTarget Target { get; init; } = DispatchTarget.Embedded;
    public string? BaselineConnection { get; init; }
    public int Seed { get; init; } = 7;

    /// <summary>Wishes stormed first, unmeasured, on every service: connections, JIT and caches warm.</summary>
    public int WarmupWishes { get; init; } = 200;

    /// <summary>Wishes per community (each community's volunteers contend only for its own wishes).</summary>
    public int WishesPerCommunity { get; init; } = 100;

    /// <summary>Extra configuration for Dispatch (environment variables), to compare settings.</summary>
    public IReadOnlyDictionary<string, string> DispatchSettings { get; init; } = new Dictionary<string, string>();

    public static ClaimStormOptions Quick(ClaimStormOptions options) => options with
    {
        Wishes = Math.Min(options.Wishes, 300),
        Contenders = Math.Min(options.Contenders, 20),
        WarmupWishes = Math.Min(options.WarmupWishes, 200),
    };
}

/// <summary>Throughput, latency and correctness of one service under the storm.</summary>
public sealed record StormFigures(
    double AttemptsPerSec,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    int Attempts,
    int Winners,
    int DoubleClaims,
    int WishesFilled,
    int Errors,
    int LostAcknowledgements,
    double ServerCpuMsPerAttempt);

public sealed record CeilingFigures(double AttemptsPerSec, double P50Ms, double P99Ms, double MaxMs, int Attempts, int Errors, double ServerCpuMsPerAttempt);

public sealed record ClaimStormSummary(
    string Scenario,
    string Target,
    int Wishes,
    int Contenders,
    int Places,
    int Concurrency,
    string Order,
    StormFigures Dispatch,
    StormFigures Baseline,
    CeilingFigures Ceiling,
    double Ratio,
    double DispatchOfCeiling,
    MachineInfo Machine);

/// <summary>
/// W wishes × C contenders, fired over HTTP by a bounded pool of clients at Dispatch, at the
/// PostgreSQL baseline and at the ceiling, one after the other in one run, with the same tokens.
/// </summary>
public static class ClaimStorm
{
    public static async Task<ClaimStormSummary> RunAsync(ClaimStormOptions options, CancellationToken cancellationToken)
    {
        if (options.Contenders < 1 || options.Wishes < 1 || options.Places < 1 || options.Concurrency < 1)
        {
            throw new ArgumentException("wishes, contenders, places and concurrency must be at least 1.");
        }

        var world = StormWorld.Plan(options);
        Report.Progress($"claim-storm: {options.Wishes:N0} wishes × {options.Contenders} contenders = {world.Measured.Length:N0} attempts, " +
            $"{options.Concurrency} concurrent clients, {world.Communities} communities, target {options.Target.ToString().ToLowerInvariant()}");
        var postgres = await PostgresServer.FindAsync(options.BaselineConnection, cancellationToken);

        StormFigures dispatchFigures;
        await using (var dispatch = await DispatchServer.StartAsync(options.Target, postgres, new Dictionary<string, string>(options.DispatchSettings)
        {
            // Every wish must be winnable: the limit is checked on each winning claim all the same.
            ["Dispatch__Volunteers__ClaimLimit"] = "1000",
        }, cancellationToken))
        {
            Report.Progress($"{dispatch.Process.Name} (pid {dispatch.Process.Id}) is up at {dispatch.BaseAddress}; setting up the world");
            using var client = new DispatchClient(dispatch.BaseAddress);
            await world.SetUpDispatchAsync(client, cancellationToken);
            dispatchFigures = await MeasureAsync(dispatch.Process, world, options, async () =>
            {
                var stored = new ConcurrentDictionary<Guid, List<string>>();
                await LoadDriver.RunAsync(world.WishIds.Length, 16, async w =>
                {
                    var view = await client.GetRequestAsync(world.WishIds[w], cancellationToken);
                    stored[world.WishIds[w]] = view["claimants"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
                });
                return (IReadOnlyDictionary<Guid, List<string>>)stored;
            }, cancellationToken);
        }

        StormFigures baselineFigures;
        await using (var database = await postgres.CreateDatabaseAsync("baseline", cancellationToken))
        {
            await BaselineStore.SeedAsync(database.ConnectionString, world.Seed(), cancellationToken);
            await using var baseline = await StartBenchServerAsync("baseline", ["--connection", database.ConnectionString], cancellationToken);
            baselineFigures = await MeasureAsync(baseline, world, options,
                async () => (IReadOnlyDictionary<Guid, List<string>>)await BaselineStore.ClaimantsAsync(database.ConnectionString, cancellationToken), cancellationToken);
        }

        CeilingFigures ceilingFigures;
        await using (var ceiling = await StartBenchServerAsync("ceiling", [], cancellationToken))
        {
            var figures = await MeasureAsync(ceiling, world, options, verify: null, cancellationToken);
            ceilingFigures = new CeilingFigures(figures.AttemptsPerSec, figures.P50Ms, figures.P99Ms, figures.MaxMs, figures.Attempts, figures.Errors, figures.ServerCpuMsPerAttempt);
        }

        var summary = new ClaimStormSummary(
            "claim-storm",
            options.Target.ToString().ToLowerInvariant(),
            options.Wishes,
            options.Contenders,
            options.Places,
            options.Concurrency,
            options.Order.ToString().ToLowerInvariant(),
            dispatchFigures,
            baselineFigures,
            ceilingFigures,
            Math.Round(dispatchFigures.AttemptsPerSec / baselineFigures.AttemptsPerSec, 2),
            Math.Round(dispatchFigures.AttemptsPerSec / ceilingFigures.AttemptsPerSec, 2),
            Report.Machine());
        Print(summary);
        return summary;
    }

    /// <summary>Starts one of this program's own servers (baseline, ceiling) as a child process.</summary>
    internal static Task<ChildProcess> StartBenchServerAsync(string kind, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ChildProcess.StartAsync(
            kind,
            "Dispatch.Bench.dll",
            ["serve", kind, "--signing-key", DispatchServer.SigningKey, .. arguments],
            new Dictionary<string, string>(),
            "/health",
            cancellationToken: cancellationToken);

    private static async Task<StormFigures> MeasureAsync(
        ChildProcess server,
        StormWorld world,
        ClaimStormOptions options,
        Func<Task<IReadOnlyDictionary<Guid, List<string>>>>? verify,
        CancellationToken cancellationToken)
    {
        using var http = LoadDriver.CreateClient(server.BaseAddress, options.Concurrency);
        Report.Progress($"{server.Name}: warm-up storm on {world.Warmup.Length:N0} attempts");
        await FireAsync(http, world, world.Warmup, options.Concurrency, new StormTally(world.WishIds.Length), cancellationToken);

        Report.Progress($"{server.Name}: measured storm on {world.Measured.Length:N0} attempts");
        var tally = new StormTally(world.WishIds.Length);
        var cpuBefore = server.CpuTime;
        var elapsed = await FireAsync(http, world, world.Measured, options.Concurrency, tally, cancellationToken);
        var cpu = server.CpuTime - cpuBefore;
        var latencies = tally.Latencies.Summarise();

        var lost = 0;
        if (verify is not null)
        {
            // Every acknowledged winner must hold the wish in the stored state.
            var stored = await verify();
            for (var w = 0; w < world.WishIds.Length; w++)
            {
                var holders = stored.TryGetValue(world.WishIds[w], out var names) ? names : [];
                lost += tally.WinnersOf(w).Count(winner => !holders.Contains(winner, StringComparer.Ordinal));
            }
        }

        var figures = new StormFigures(
            Math.Round(world.Measured.Length / elapsed.TotalSeconds, 0),
            Math.Round(latencies.P50, 2),
            Math.Round(latencies.P99, 2),
            Math.Round(latencies.Max, 2),
            world.Measured.Length,
            tally.Winners,
            tally.DoubleClaims(options.Places),
            tally.Filled(options.Places),
            tally.Errors,
            lost,
            Math.Round(cpu.TotalMilliseconds / world.Measured.Length, 3));
        Report.Progress(string.Create(CultureInfo.InvariantCulture,
            $"{server.Name}: {figures.AttemptsPerSec:N0} attempts/s, p50 {figures.P50Ms} ms, p99 {figures.P99Ms} ms, max {figures.MaxMs} ms, " +
            $"{figures.Winners} winners, {figures.Errors} errors{tally.ErrorSample}"));
        return figures;
    }

    internal static async Task<TimeSpan> FireAsync(HttpClient http, StormWorld world, Attempt[] attempts, int concurrency, StormTally tally, CancellationToken cancellationToken) =>
        await LoadDriver.RunAsync(attempts.Length, concurrency, async i =>
        {
            var attempt = attempts[i];
            using var request = new HttpRequestMessage(HttpMethod.Post, world.ClaimPaths[attempt.Wish]);
            request.Headers.Authorization = world.Authorization[attempt.Community][attempt.Volunteer];
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                tally.Record(attempt, response.StatusCode, world.Usernames[attempt.Community][attempt.Volunteer], Stopwatch.GetElapsedTime(started));
            }
            catch (HttpRequestException exception)
            {
                tally.Error(exception.Message);
            }
            catch (TaskCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                tally.Error($"timed out: {exception.Message}");
            }
        });

    private static void Print(ClaimStormSummary s)
    {
        static IReadOnlyList<string> Row(string name, double rate, double p50, double p99, double max, string winners, string doubles, string errors, string lost) =>
            [name, Report.Number(rate), Report.Milliseconds(p50), Report.Milliseconds(p99), Report.Milliseconds(max), winners, doubles, errors, lost];

        Report.Table(
            string.Create(CultureInfo.InvariantCulture,
                $"claim-storm: {s.Wishes:N0} wishes × {s.Contenders} contenders ({s.Places} place{(s.Places == 1 ? "" : "s")} each, {s.Order}), {s.Concurrency} concurrent clients, {s.Machine.Cores} cores"),
            ["service", "attempts/s", "p50 ms", "p99 ms", "max ms", "winners", "double claims", "errors", "lost acks"],
            [
                Row($"Dispatch ({s.Target})", s.Dispatch.AttemptsPerSec, s.Dispatch.P50Ms, s.Dispatch.P99Ms, s.Dispatch.MaxMs,
                    $"{s.Dispatch.Winners:N0}", $"{s.Dispatch.DoubleClaims}", $"{s.Dispatch.Errors}", $"{s.Dispatch.LostAcknowledgements}"),
                Row("baseline: ASP.NET Core + PostgreSQL UPDATE", s.Baseline.AttemptsPerSec, s.Baseline.P50Ms, s.Baseline.P99Ms, s.Baseline.MaxMs,
                    $"{s.Baseline.Winners:N0}", $"{s.Baseline.DoubleClaims}", $"{s.Baseline.Errors}", $"{s.Baseline.LostAcknowledgements}"),
                Row("ceiling: same route, 409 at once", s.Ceiling.AttemptsPerSec, s.Ceiling.P50Ms, s.Ceiling.P99Ms, s.Ceiling.MaxMs, "-", "-", $"{s.Ceiling.Errors}", "-"),
            ]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Dispatch / baseline = {s.Ratio:F2}×   Dispatch / ceiling = {s.DispatchOfCeiling:F2}   (server CPU per attempt: Dispatch {s.Dispatch.ServerCpuMsPerAttempt} ms, baseline {s.Baseline.ServerCpuMsPerAttempt} ms without PostgreSQL's own, ceiling {s.Ceiling.ServerCpuMsPerAttempt} ms)"));
    }
}

/// <summary>One claim attempt: which wish, by which volunteer of the wish's community.</summary>
internal readonly record struct Attempt(int Wish, int Community, int Volunteer);

/// <summary>The wishes, volunteers and attempts of a storm: the same for every service in the run.</summary>
internal sealed class StormWorld
{
    private StormWorld(ClaimStormOptions options, int communities, int volunteersPerCommunity)
    {
        Options = options;
        Communities = communities;
        VolunteersPerCommunity = volunteersPerCommunity;
    }

    public ClaimStormOptions Options { get; }
    public int Communities { get; }
    public int VolunteersPerCommunity { get; }

    /// <summary>Measured wishes first, then the warm-up ones.</summary>
    public Guid[] WishIds { get; private set; } = [];
    public string[] ClaimPaths { get; private set; } = [];
    public Attempt[] Measured { get; private set; } = [];
    public Attempt[] Warmup { get; private set; } = [];
    public string[][] Usernames { get; private set; } = [];
    public AuthenticationHeaderValue[][] Authorization { get; private set; } = [];

    public static StormWorld Plan(ClaimStormOptions options)
    {
        var communities = Math.Max(1, (int)Math.Ceiling((double)options.Wishes / options.WishesPerCommunity));
        var world = new StormWorld(options, communities, options.Contenders);
        var random = new Random(options.Seed);
        var total = options.Wishes + options.WarmupWishes;
        world.WishIds = new Guid[total];
        world.Measured = world.AttemptsFor(0, options.Wishes, random);
        world.Warmup = world.AttemptsFor(options.Wishes, total, random);
        world.Usernames = Enumerable.Range(0, communities)
            .Select(c => Enumerable.Range(0, world.VolunteersPerCommunity).Select(v => DispatchClient.VolunteerName(c, v)).ToArray())
            .ToArray();
        return world;
    }

    public int CommunityOf(int wish) => (wish < Options.Wishes ? wish : wish - Options.Wishes) % Communities;

    /// <summary>Places, volunteers with their tokens, and the wishes, through Dispatch's API.</summary>
    public async Task SetUpDispatchAsync(DispatchClient client, CancellationToken cancellationToken)
    {
        await client.CreatePlacesAsync(Communities, cancellationToken);
        Report.Progress($"registering {Communities * VolunteersPerCommunity:N0} volunteers and signing them in");
        var tokens = await client.CreateVolunteersAsync(Communities, VolunteersPerCommunity, cancellationToken);
        Authorization = tokens.Select(c => c.Select(t => new AuthenticationHeaderValue("Bearer", t)).ToArray()).ToArray();

        Report.Progress($"publishing {WishIds.Length:N0} wishes");
        var kind = Options.Places == 1 ? "wish" : "activity";
        var created = new Guid[WishIds.Length];
        await LoadDriver.RunAsync(WishIds.Length, 8, async w =>
            created[w] = await client.CreateRequestAsync(DispatchClient.CommunityId(CommunityOf(w)), kind, $"Wish {w}", Options.Places, "normal", cancellationToken));

        // Dispatch chooses its ids; the baseline is seeded with the same ones.
        WishIds = created;
        ClaimPaths = WishIds.Select(id => $"/api/requests/{id}/claim").ToArray();
    }

    /// <summary>The wishes as the baseline stores them.</summary>
    public IReadOnlyList<(Guid Id, string CommunityId, int Places)> Seed() =>
        WishIds.Select((id, w) => (id, DispatchClient.CommunityId(CommunityOf(w)), Options.Places)).ToList();

    private Attempt[] AttemptsFor(int from, int to, Random random)
    {
        var attempts = new List<Attempt>((to - from) * Options.Contenders);
        for (var w = from; w < to; w++)
        {
            // Each of the community's volunteers contends once, in a random order.
            var contenders = Enumerable.Range(0, VolunteersPerCommunity).ToArray();
            random.Shuffle(contenders);
            attempts.AddRange(contenders.Take(Options.Contenders).Select(v => new Attempt(w, CommunityOf(w), v)));
        }

        var array = attempts.ToArray();
        if (Options.Order == AttemptOrder.Shuffled)
        {
            random.Shuffle(array);
        }

        return array;
    }
}

/// <summary>Counts answers as they arrive, from every client at once.</summary>
internal sealed class StormTally(int wishes)
{
    private readonly ConcurrentBag<string>[] winners = Enumerable.Range(0, wishes).Select(_ => new ConcurrentBag<string>()).ToArray();
    private readonly ConcurrentDictionary<string, int> errors = new(StringComparer.Ordinal);
    private int errorCount;

    public Latencies Latencies { get; } = new(wishes * 50);

    public int Errors => errorCount;

    public int Winners => winners.Sum(w => w.Count);

    public string ErrorSample => errors.IsEmpty ? "" : " (" + string.Join(", ", errors.Select(e => $"{e.Key} ×{e.Value}")) + ")";

    public IEnumerable<string> WinnersOf(int wish) => winners[wish];

    public int DoubleClaims(int places) => winners.Sum(w => Math.Max(0, w.Count - places));

    public int Filled(int places) => winners.Count(w => w.Count == places);

    public void Record(Attempt attempt, HttpStatusCode status, string volunteer, TimeSpan elapsed)
    {
        Latencies.Add(elapsed);
        switch (status)
        {
            case HttpStatusCode.OK:
                winners[attempt.Wish].Add(volunteer);
                break;
            case HttpStatusCode.Conflict:
                break;
            default:
                Error(((int)status).ToString(CultureInfo.InvariantCulture));
                break;
        }
    }

    public void Error(string what)
    {
        Interlocked.Increment(ref errorCount);
        errors.AddOrUpdate(what.Length > 80 ? what[..80] : what, 1, (_, n) => n + 1);
    }
}
