using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dispatch.Bench.Infrastructure;
using Dispatch.Bench.Servers;
using Dispatch.Requests;
using Dispatch.Volunteers;
using Dispatch.WebHost.Requests;

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

    /// <summary>
    /// Dispatch with its claim limit and abuse limits as shipped, instead of raised out of reach for
    /// the speed figures: to check that the limits hold under a storm. Dispatch only, as the baseline
    /// and the ceiling have no such limits to compare.
    /// </summary>
    public bool ShippedLimits { get; init; }

    public static ClaimStormOptions Quick(ClaimStormOptions options) => options with
    {
        Wishes = Math.Min(options.Wishes, 300),
        Contenders = Math.Min(options.Contenders, 20),
        WarmupWishes = Math.Min(options.WarmupWishes, 200),
    };
}

/// <summary>Throughput, latency and correctness of one service under the storm.</summary>
/// <param name="Winners">200 answers in the measured storm (Winners, WishesFilled and the speed figures are of the measured storm only).</param>
/// <param name="DoubleClaims">Winners beyond a wish's places, in the warm-up and the measured storm.</param>
/// <param name="Errors">Attempts without a definite answer (not 200, not 409 with a known reason: a 5xx, a 429, a timeout, a 409 with an unknown or no reason), in both storms.</param>
/// <param name="LostAcknowledgements">200 answers, in both storms, whose winner the stored request does not list.</param>
/// <param name="Losses">409 answers by their reason, in both storms.</param>
/// <param name="ClaimLimit">The claim limit the service ran with; null for a service without one.</param>
/// <param name="MostClaimsHeld">The most wishes one volunteer holds, counted on the stored requests after both storms; null when not read back.</param>
/// <param name="VolunteersOverLimit">Volunteers listed as claimant on more stored requests than <paramref name="ClaimLimit"/>: must be 0.</param>
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
    double ServerCpuMsPerAttempt,
    IReadOnlyDictionary<string, int>? Losses = null,
    int? ClaimLimit = null,
    int? MostClaimsHeld = null,
    int? VolunteersOverLimit = null);

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
    StormFigures? Baseline,
    CeilingFigures? Ceiling,
    double? Ratio,
    double? DispatchOfCeiling,
    MachineInfo Machine,
    bool ShippedLimits = false);

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

        // PostgreSQL serves the baseline, and Dispatch with --target postgres; a run at the shipped limits has no baseline.
        var postgres = options.ShippedLimits && options.Target == DispatchTarget.Embedded
            ? null
            : await PostgresServer.FindAsync(options.BaselineConnection, cancellationToken);

        var settings = new Dictionary<string, string>(options.DispatchSettings);
        if (!options.ShippedLimits)
        {
            // For the speed figures every wish must be winnable: the limit is checked on each winning claim all the same.
            settings.TryAdd(ClaimLimitSetting, "1000");
        }

        var claimLimit = settings.TryGetValue(ClaimLimitSetting, out var limit)
            ? int.Parse(limit, CultureInfo.InvariantCulture)
            : new VolunteerOptions().ClaimLimit;

        StormFigures dispatchFigures;
        await using (var dispatch = await DispatchServer.StartAsync(options.Target, postgres, settings, raiseAbuseLimits: !options.ShippedLimits, cancellationToken))
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
            }, claimLimit, cancellationToken);
        }

        if (options.ShippedLimits)
        {
            var alone = Summary(options, dispatchFigures, null, null);
            Print(alone);
            return alone;
        }

        StormFigures baselineFigures;
        postgres ??= await PostgresServer.FindAsync(options.BaselineConnection, cancellationToken);
        await using (var database = await postgres.CreateDatabaseAsync("baseline", cancellationToken))
        {
            await BaselineStore.SeedAsync(database.ConnectionString, world.Seed(), cancellationToken);
            await using var baseline = await StartBenchServerAsync("baseline", ["--connection", database.ConnectionString], cancellationToken);
            baselineFigures = await MeasureAsync(baseline, world, options,
                async () => (IReadOnlyDictionary<Guid, List<string>>)await BaselineStore.ClaimantsAsync(database.ConnectionString, cancellationToken), claimLimit: null, cancellationToken);
        }

        CeilingFigures ceilingFigures;
        await using (var ceiling = await StartBenchServerAsync("ceiling", [], cancellationToken))
        {
            var figures = await MeasureAsync(ceiling, world, options, verify: null, claimLimit: null, cancellationToken);
            ceilingFigures = new CeilingFigures(figures.AttemptsPerSec, figures.P50Ms, figures.P99Ms, figures.MaxMs, figures.Attempts, figures.Errors, figures.ServerCpuMsPerAttempt);
        }

        var summary = Summary(options, dispatchFigures, baselineFigures, ceilingFigures);
        Print(summary);
        return summary;
    }

    private const string ClaimLimitSetting = "Dispatch__Volunteers__ClaimLimit";

    /// <summary>The reasons Dispatch's claim route gives a lost claim with 409: any other 409 is an error.</summary>
    internal static readonly IReadOnlySet<string> LossReasons = LostClaim.Reasons;

    private static ClaimStormSummary Summary(ClaimStormOptions options, StormFigures dispatch, StormFigures? baseline, CeilingFigures? ceiling) => new(
        "claim-storm",
        options.Target.ToString().ToLowerInvariant(),
        options.Wishes,
        options.Contenders,
        options.Places,
        options.Concurrency,
        options.Order.ToString().ToLowerInvariant(),
        dispatch,
        baseline,
        ceiling,
        baseline is null ? null : Math.Round(dispatch.AttemptsPerSec / baseline.AttemptsPerSec, 2),
        ceiling is null ? null : Math.Round(dispatch.AttemptsPerSec / ceiling.AttemptsPerSec, 2),
        Report.Machine(),
        options.ShippedLimits);

    /// <summary>Every correctness figure of the run is right (the speed figures are not judged).</summary>
    public static bool IsCorrect(ClaimStormSummary summary)
    {
        static bool Correct(StormFigures? f) =>
            f is null || (f.DoubleClaims == 0 && f.LostAcknowledgements == 0 && f.Errors == 0 && f.VolunteersOverLimit is null or 0);
        return Correct(summary.Dispatch) && Correct(summary.Baseline) && summary.Ceiling is null or { Errors: 0 };
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
        int? claimLimit,
        CancellationToken cancellationToken)
    {
        using var http = LoadDriver.CreateClient(server.BaseAddress, options.Concurrency);
        Report.Progress($"{server.Name}: warm-up storm on {world.Warmup.Length:N0} attempts");
        var warmup = new StormTally(world.WishIds.Length);
        await FireAsync(http, world, world.Warmup, options.Concurrency, warmup, cancellationToken);

        Report.Progress($"{server.Name}: measured storm on {world.Measured.Length:N0} attempts");
        var tally = new StormTally(world.WishIds.Length);
        var cpuBefore = server.CpuTime;
        var elapsed = await FireAsync(http, world, world.Measured, options.Concurrency, tally, cancellationToken);
        var cpu = server.CpuTime - cpuBefore;
        var latencies = tally.Latencies.Summarise();

        var lost = 0;
        int? mostHeld = null;
        int? overLimit = null;
        if (verify is not null)
        {
            // Every acknowledged winner, of either storm, must hold the wish in the stored state.
            var stored = await verify();
            var held = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var w = 0; w < world.WishIds.Length; w++)
            {
                var holders = stored.TryGetValue(world.WishIds[w], out var names) ? names : [];
                lost += tally.WinnersOf(w).Concat(warmup.WinnersOf(w)).Count(winner => !holders.Contains(winner, StringComparer.Ordinal));
                foreach (var holder in holders)
                {
                    held[holder] = held.GetValueOrDefault(holder) + 1;
                }
            }

            // The claim limit counted on the stored requests, not on what the volunteers' grains believe.
            if (claimLimit is { } most)
            {
                mostHeld = held.Count == 0 ? 0 : held.Values.Max();
                overLimit = held.Values.Count(n => n > most);
            }
        }

        var figures = new StormFigures(
            Math.Round(world.Measured.Length / elapsed.TotalSeconds, 0),
            Math.Round(latencies.P50, 2),
            Math.Round(latencies.P99, 2),
            Math.Round(latencies.Max, 2),
            world.Measured.Length,
            tally.Winners,
            tally.DoubleClaims(options.Places) + warmup.DoubleClaims(options.Places),
            tally.Filled(options.Places),
            tally.Errors + warmup.Errors,
            lost,
            Math.Round(cpu.TotalMilliseconds / world.Measured.Length, 3),
            StormTally.Merge(tally.Losses, warmup.Losses),
            verify is null ? null : claimLimit,
            mostHeld,
            overLimit);
        var holdings = mostHeld is null ? "" : $", at most {mostHeld} claims held by a volunteer (limit {claimLimit}), {overLimit} over it";
        Report.Progress(string.Create(CultureInfo.InvariantCulture,
            $"{server.Name}: {figures.AttemptsPerSec:N0} attempts/s, p50 {figures.P50Ms} ms, p99 {figures.P99Ms} ms, max {figures.MaxMs} ms, " +
            $"{figures.Winners} winners, {figures.Errors} errors{warmup.ErrorSample}{tally.ErrorSample}, losses {StormTally.Describe(figures.Losses)}{holdings}"));
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
                var elapsed = Stopwatch.GetElapsedTime(started);
                var reason = response.StatusCode == HttpStatusCode.Conflict ? ReasonOf(await response.Content.ReadAsByteArrayAsync(cancellationToken)) : null;
                tally.Record(attempt, response.StatusCode, reason, world.Usernames[attempt.Community][attempt.Volunteer], elapsed);
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

    /// <summary>The <c>reason</c> member of a problem answer; null when there is none (or no JSON).</summary>
    private static string? ReasonOf(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String
                ? reason.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Print(ClaimStormSummary s)
    {
        static IReadOnlyList<string> Row(string name, double rate, double p50, double p99, double max, string winners, string doubles, string errors, string lost) =>
            [name, Report.Number(rate), Report.Milliseconds(p50), Report.Milliseconds(p99), Report.Milliseconds(max), winners, doubles, errors, lost];

        var rows = new List<IReadOnlyList<string>>
        {
            Row($"Dispatch ({s.Target}{(s.ShippedLimits ? ", shipped limits" : "")})", s.Dispatch.AttemptsPerSec, s.Dispatch.P50Ms, s.Dispatch.P99Ms, s.Dispatch.MaxMs,
                $"{s.Dispatch.Winners:N0}", $"{s.Dispatch.DoubleClaims}", $"{s.Dispatch.Errors}", $"{s.Dispatch.LostAcknowledgements}"),
        };
        if (s.Baseline is { } b)
        {
            rows.Add(Row("baseline: ASP.NET Core + PostgreSQL UPDATE", b.AttemptsPerSec, b.P50Ms, b.P99Ms, b.MaxMs, $"{b.Winners:N0}", $"{b.DoubleClaims}", $"{b.Errors}", $"{b.LostAcknowledgements}"));
        }

        if (s.Ceiling is { } c)
        {
            rows.Add(Row("ceiling: same route, 409 at once", c.AttemptsPerSec, c.P50Ms, c.P99Ms, c.MaxMs, "-", "-", $"{c.Errors}", "-"));
        }

        Report.Table(
            string.Create(CultureInfo.InvariantCulture,
                $"claim-storm: {s.Wishes:N0} wishes × {s.Contenders} contenders ({s.Places} place{(s.Places == 1 ? "" : "s")} each, {s.Order}), {s.Concurrency} concurrent clients, {s.Machine.Cores} cores"),
            ["service", "attempts/s", "p50 ms", "p99 ms", "max ms", "winners", "double claims", "errors", "lost acks"],
            rows);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Dispatch: losses {StormTally.Describe(s.Dispatch.Losses)}; at most {s.Dispatch.MostClaimsHeld} wishes held by one volunteer (limit {s.Dispatch.ClaimLimit}), {s.Dispatch.VolunteersOverLimit} volunteers over it"));
        if (s.Baseline is { } baseline && s.Ceiling is { } ceiling)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Dispatch / baseline = {s.Ratio:F2}×   Dispatch / ceiling = {s.DispatchOfCeiling:F2}   (server CPU per attempt: Dispatch {s.Dispatch.ServerCpuMsPerAttempt} ms, baseline {baseline.ServerCpuMsPerAttempt} ms without PostgreSQL's own, ceiling {ceiling.ServerCpuMsPerAttempt} ms)"));
        }
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
    private readonly ConcurrentDictionary<string, int> losses = new(StringComparer.Ordinal);
    private int errorCount;

    public Latencies Latencies { get; } = new(wishes * 50);

    public int Errors => errorCount;

    public int Winners => winners.Sum(w => w.Count);

    public string ErrorSample => errors.IsEmpty ? "" : " (" + string.Join(", ", errors.Select(e => $"{e.Key} ×{e.Value}")) + ")";

    /// <summary>409 answers by their reason.</summary>
    public IReadOnlyDictionary<string, int> Losses => new SortedDictionary<string, int>(losses, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, int> Merge(IReadOnlyDictionary<string, int> a, IReadOnlyDictionary<string, int> b) =>
        new SortedDictionary<string, int>(a.Concat(b).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value)), StringComparer.Ordinal);

    public static string Describe(IReadOnlyDictionary<string, int>? losses) =>
        losses is null or { Count: 0 } ? "none" : string.Join(", ", losses.Select(l => $"{l.Key} ×{l.Value}"));

    public IEnumerable<string> WinnersOf(int wish) => winners[wish];

    public int DoubleClaims(int places) => winners.Sum(w => Math.Max(0, w.Count - places));

    public int Filled(int places) => winners.Count(w => w.Count == places);

    /// <param name="reason">The <c>reason</c> of a 409's problem details; null when it has none.</param>
    public void Record(Attempt attempt, HttpStatusCode status, string? reason, string volunteer, TimeSpan elapsed)
    {
        Latencies.Add(elapsed);
        switch (status)
        {
            case HttpStatusCode.OK:
                winners[attempt.Wish].Add(volunteer);
                break;
            case HttpStatusCode.Conflict when reason is not null && ClaimStorm.LossReasons.Contains(reason):
                losses.AddOrUpdate(reason, 1, (_, n) => n + 1);
                break;
            case HttpStatusCode.Conflict:
                // A loss must say why: one that does not is not a definite answer.
                Error(reason is null ? "409 without a reason" : $"409 with the unknown reason '{reason}'");
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
