using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dispatch.Bench.Infrastructure;
using Dispatch.Requests;
using Orleans.Configuration;

namespace Dispatch.Bench.Scenarios;

public sealed record MemoryOptions
{
    public IReadOnlyList<int> Sizes { get; init; } = [10_000, 100_000, 1_000_000];

    /// <summary>The whole run's budget: a size that would not fit is cut to what does, and the run says so.</summary>
    public double MaxMinutes { get; init; } = 12;

    public int Concurrency { get; init; } = 16;

    /// <summary>When set, the live objects by type (dotnet-dump's <c>dumpheap -stat</c>) of each point are written here.</summary>
    public string? HeapDumpDirectory { get; init; }

    /// <summary>Folder for the throw-away SQLite file; default tmpfs (see <see cref="InProcessSilo.DefaultDataRoot"/>).</summary>
    public string? DataRoot { get; init; }

    public static MemoryOptions Quick(MemoryOptions options) => options with { Sizes = [1_000, 3_000], MaxMinutes = Math.Min(options.MaxMinutes, 1.5) };
}

/// <param name="Requests">Request grains that existed (and were active) at this point.</param>
/// <param name="Phase"><c>idle</c>: every request open; <c>claimed</c>: every one claimed by a volunteer of its community.</param>
/// <param name="HeapBytes">Managed heap after a full compacting collection, minus the same before the requests existed.</param>
/// <param name="RssBytes">Resident set, minus the same before the requests existed.</param>
/// <param name="PerSecond">Creations (idle) or claims (claimed) per second while they were made.</param>
public sealed record MemoryPoint(
    int Requests,
    string Phase,
    double HeapBytesPerRequest,
    double RssBytesPerRequest,
    long HeapBytes,
    long RssBytes,
    double PerSecond,
    int ActiveRequestGrains,
    int Requested,
    int Claimed);

public sealed record MemorySummary(string Scenario, IReadOnlyList<MemoryPoint> Points, IReadOnlyList<string> Notes, MachineInfo Machine);

/// <summary>
/// Bytes per active request grain: each size in a fresh process of its own (so no size inherits the
/// memory another left behind), Dispatch's silo hosted in it on SQLite, requests created through the
/// grains, ~100 per community; memory read after a full compacting collection before the requests
/// exist, with all of them open, and with all of them claimed.
/// </summary>
public static class MemoryScenario
{
    public static Command Command(Option<string?> json, Option<bool> quick)
    {
        var defaults = new MemoryOptions();
        var sizes = new Option<int[]>("--sizes") { Description = "Request counts measured, each in a fresh process.", DefaultValueFactory = _ => [.. defaults.Sizes], AllowMultipleArgumentsPerToken = true };
        var maxMinutes = new Option<double>("--max-minutes") { Description = "Budget of the whole run; the largest sizes are cut to what fits.", DefaultValueFactory = _ => defaults.MaxMinutes };
        var concurrency = new Option<int>("--concurrency") { Description = "Grain calls in flight while creating and claiming.", DefaultValueFactory = _ => defaults.Concurrency };
        var heapDump = new Option<string?>("--heap-dump") { Description = "Write each point's live objects by type (dotnet-dump, which must be installed) to this folder." };
        var dataDir = new Option<string?>("--data-dir") { Description = $"Folder for the throw-away SQLite file (default {InProcessSilo.DefaultDataRoot}: no fsync per commit)." };
        var point = new Option<int?>("--point") { Hidden = true, Description = "Measure one size in this process (used by the scenario itself)." };
        var pointSeconds = new Option<double?>("--point-seconds") { Hidden = true };

        var command = new Command("memory", "Resident memory and bytes per active request grain, idle and after a claim, at each size.")
        {
            sizes, maxMinutes, concurrency, heapDump, dataDir, point, pointSeconds, json, quick,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new MemoryOptions
            {
                Sizes = result.GetValue(sizes) ?? [.. defaults.Sizes],
                MaxMinutes = result.GetValue(maxMinutes),
                Concurrency = result.GetValue(concurrency),
                HeapDumpDirectory = result.GetValue(heapDump),
                DataRoot = result.GetValue(dataDir),
            };
            if (result.GetValue(point) is { } requests)
            {
                var points = await MeasurePointAsync(requests, TimeSpan.FromSeconds(result.GetValue(pointSeconds) ?? 3600), options, cancellationToken);
                await Report.WriteJsonAsync(result.GetValue(json), points);
                return 0;
            }

            if (result.GetValue(quick))
            {
                options = MemoryOptions.Quick(options);
            }

            var summary = await RunAsync(options, cancellationToken);
            await Report.WriteJsonAsync(result.GetValue(json), summary);
            return summary.Points.All(p => p.ActiveRequestGrains >= p.Requests && (p.Phase == "idle" || p.Claimed == p.Requests)) ? 0 : 2;
        });
        return command;
    }

    public static async Task<MemorySummary> RunAsync(MemoryOptions options, CancellationToken cancellationToken)
    {
        var budget = Stopwatch.StartNew();
        var points = new List<MemoryPoint>();
        var notes = new List<string>();
        double? secondsPerRequest = null;
        foreach (var size in options.Sizes.Order())
        {
            var left = TimeSpan.FromMinutes(options.MaxMinutes) - budget.Elapsed;

            // A fixed start-up cost plus creation and claims at the rates the last size showed.
            var overhead = TimeSpan.FromSeconds(30);
            var requests = size;
            if (secondsPerRequest is { } perRequest && overhead + TimeSpan.FromSeconds(perRequest * size) > left)
            {
                requests = (int)Math.Max(0, (left - overhead).TotalSeconds / perRequest) / 1000 * 1000;
                if (requests <= (points.Count == 0 ? 0 : points[^1].Requests))
                {
                    notes.Add($"{size:N0} requests: skipped, no time left in --max-minutes {options.MaxMinutes}.");
                    continue;
                }

                notes.Add($"{size:N0} requests would not fit in --max-minutes {options.MaxMinutes}: measured at {requests:N0}.");
            }

            Report.Progress($"memory: {requests:N0} requests, in a fresh process");
            var measured = await RunPointProcessAsync(requests, left - overhead / 2, options, cancellationToken);
            points.AddRange(measured);
            if (measured.Count > 0 && measured[0].Requests < requests)
            {
                notes.Add($"{requests:N0} requests: the process's time ran out after {measured[0].Requests:N0} were created.");
            }

            // The next size's estimate: creation and claims at the rates this one showed.
            if (measured.Count == 2 && measured[0].PerSecond > 0 && measured[1].PerSecond > 0)
            {
                secondsPerRequest = 1 / measured[0].PerSecond + 1 / measured[1].PerSecond;
            }
        }

        notes.Add($"SQLite file in {options.DataRoot ?? InProcessSilo.DefaultDataRoot}.");
        notes.Add("Each request is also one summary on its community's board (stored, rewritten whole on each new request) and one " +
            "latest summary in each place feed above it (community, town, county, region): those are part of a request's bytes here.");
        var summary = new MemorySummary("memory", points, notes, Report.Machine());
        Print(summary);
        return summary;
    }

    /// <summary>Runs one size in a child process of this program and reads back its points.</summary>
    private static async Task<IReadOnlyList<MemoryPoint>> RunPointProcessAsync(int requests, TimeSpan budget, MemoryOptions options, CancellationToken cancellationToken)
    {
        var output = Path.Combine(Path.GetTempPath(), $"dispatch-bench-memory-{Environment.ProcessId}-{requests}.json");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var argument in new[]
        {
            RepoPaths.Output("Dispatch.Bench.dll"), "memory",
            "--point", requests.ToString(CultureInfo.InvariantCulture),
            "--point-seconds", Math.Max(30, budget.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture),
            "--concurrency", options.Concurrency.ToString(CultureInfo.InvariantCulture),
            "--json", output,
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (options.DataRoot is { } root)
        {
            start.ArgumentList.Add("--data-dir");
            start.ArgumentList.Add(Path.GetFullPath(root));
        }

        if (options.HeapDumpDirectory is { } dumps)
        {
            start.ArgumentList.Add("--heap-dump");
            start.ArgumentList.Add(Path.GetFullPath(dumps));
        }

        // The same collector as Dispatch's web host runs with.
        start.Environment["DOTNET_gcServer"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                Console.Error.WriteLine($"    {line.Data}");
            }
        };
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"The memory point of {requests:N0} requests exited with {process.ExitCode}.");
        }

        await using var file = File.OpenRead(output);
        var points = await JsonSerializer.DeserializeAsync<List<MemoryPoint>>(file, Report.Json, cancellationToken) ?? [];
        file.Close();
        File.Delete(output);
        return points;
    }

    /// <summary>One size, in this process: the silo, the world, a reading before, the requests, a reading idle, claims, a reading claimed.</summary>
    internal static async Task<IReadOnlyList<MemoryPoint>> MeasurePointAsync(int requests, TimeSpan budget, MemoryOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var communities = Math.Max(1, (requests + InProcessSilo.RequestsPerCommunity - 1) / InProcessSilo.RequestsPerCommunity);
        await using var silo = await InProcessSilo.StartAsync(
            options.DataRoot,
            new Dictionary<string, string?> { ["Dispatch:Volunteers:ClaimLimit"] = "1000" },
            services => services.Configure<GrainCollectionOptions>(o =>
            {
                // Orleans deactivates grains idle for 15 minutes by default; a large size takes longer
                // than that to build, and what is measured is active grains.
                o.CollectionAge = TimeSpan.FromHours(12);
            }),
            cancellationToken);
        Report.Progress($"silo up; {communities:N0} communities with one volunteer each");
        await silo.CreatePlacesAsync(communities, cancellationToken);
        await silo.CreateVolunteersAsync(communities);

        // Everything the run holds per request is allocated before the first reading.
        var ids = Enumerable.Range(0, requests).Select(_ => Guid.NewGuid()).ToArray();
        var created = new bool[requests];
        await Settle(cancellationToken);
        var before = MemoryReading.Take();
        Report.Progress($"before: heap {Mb(before.HeapBytes)}, RSS {Mb(before.RssBytes)}");

        // Creation may use about 60% of the budget; claims and readings need the rest.
        var creationBudget = budget * 0.6;
        var (count, creating) = await silo.CreateRequestsAsync(
            ids, created, 0, communities, RequestKind.Wish, Urgency.Normal, options.Concurrency, () => clock.Elapsed > creationBudget, cancellationToken);
        Report.Progress(string.Create(CultureInfo.InvariantCulture, $"{count:N0} requests created in {creating.TotalSeconds:F1} s"));

        var points = new List<MemoryPoint>();
        await Settle(cancellationToken);
        var idle = MemoryReading.Take() - before;
        var active = await silo.ActiveRequestGrainsAsync();
        points.Add(Point(count, "idle", idle, count / creating.TotalSeconds, active, requests, 0));
        Report.Progress($"idle: heap +{Mb(idle.HeapBytes)}, RSS +{Mb(idle.RssBytes)}, {active:N0} request grains active");
        await DumpAsync(options, count, "idle", cancellationToken);

        var claimed = 0;
        var claiming = await LoadDriver.RunAsync(requests, options.Concurrency, async i =>
        {
            if (!created[i])
            {
                return;
            }

            var community = i % communities;
            var result = await silo.Grains.GetGrain<IRequestGrain>(ids[i])
                .Claim(new Claimant(DispatchClient.VolunteerName(community, 0), DispatchClient.CommunityId(community)));
            if (result.Won)
            {
                Interlocked.Increment(ref claimed);
            }
        }, new Progress<int>(done => Report.Progress($"  {done:N0} claims")));
        Report.Progress(string.Create(CultureInfo.InvariantCulture, $"{claimed:N0} claimed in {claiming.TotalSeconds:F1} s"));

        await Settle(cancellationToken);
        var after = MemoryReading.Take() - before;
        active = await silo.ActiveRequestGrainsAsync();
        points.Add(Point(count, "claimed", after, claimed / claiming.TotalSeconds, active, requests, claimed));
        Report.Progress($"claimed: heap +{Mb(after.HeapBytes)}, RSS +{Mb(after.RssBytes)}, {active:N0} request grains active");
        await DumpAsync(options, count, "claimed", cancellationToken);
        GC.KeepAlive(ids);
        return points;
    }

    private static MemoryPoint Point(int requests, string phase, MemoryReading delta, double perSecond, int active, int requested, int claimed) => new(
        requests,
        phase,
        Math.Round((double)delta.HeapBytes / Math.Max(1, requests), 0),
        Math.Round((double)delta.RssBytes / Math.Max(1, requests), 0),
        delta.HeapBytes,
        delta.RssBytes,
        Math.Round(perSecond, 0),
        active,
        requested,
        claimed);

    /// <summary>
    /// Lets what follows a change finish before a reading: boards store their batched changes at
    /// most every 2 seconds, and one-way notifications to boards and feeds are still in flight.
    /// </summary>
    private static Task Settle(CancellationToken cancellationToken) => Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);

    /// <summary>
    /// When asked for, the live objects of this process by type (<c>dumpheap -stat</c> over a heap
    /// dump by dotnet-dump), written next to where the dump was taken; the dump itself is deleted.
    /// dotnet-gcdump is not used: on .NET 10 it falls back to lossy event buffering and drops most
    /// small objects of a heap this size.
    /// </summary>
    private static async Task DumpAsync(MemoryOptions options, int requests, string phase, CancellationToken cancellationToken)
    {
        if (options.HeapDumpDirectory is not { } folder)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        var dump = Path.Combine(folder, $"memory-{requests}-{phase}.dmp");
        await ToolAsync(["collect", "-p", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "--type", "Heap", "-o", dump], cancellationToken);
        var statistics = await ToolAsync(["analyze", dump, "-c", "dumpheap -stat", "-c", "exit"], cancellationToken);
        var path = Path.ChangeExtension(dump, ".heapstat.txt");
        await File.WriteAllTextAsync(path, statistics, cancellationToken);
        File.Delete(dump);
        Report.Progress($"live objects by type: {path}");
    }

    private static async Task<string> ToolAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var installed = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-dump");
        var start = new ProcessStartInfo(File.Exists(installed) ? installed : "dotnet-dump") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var tool = Process.Start(start) ?? throw new InvalidOperationException("dotnet-dump did not start.");
        var output = await tool.StandardOutput.ReadToEndAsync(cancellationToken);
        await tool.WaitForExitAsync(cancellationToken);
        return output;
    }

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MB");

    private static void Print(MemorySummary s)
    {
        Report.Table(
            $"memory: bytes per active request grain (Dispatch's silo in process, SQLite, server GC, ~{InProcessSilo.RequestsPerCommunity} requests per community), {s.Machine.Cores} cores",
            ["requests", "phase", "heap B/request", "RSS B/request", "heap Δ", "RSS Δ", "created or claimed /s", "active request grains", "claimed"],
            s.Points.Select(p => (IReadOnlyList<string>)
            [
                Report.Number(p.Requests), p.Phase, Report.Number(p.HeapBytesPerRequest), Report.Number(p.RssBytesPerRequest),
                Mb(p.HeapBytes), Mb(p.RssBytes), Report.Number(p.PerSecond), Report.Number(p.ActiveRequestGrains),
                p.Phase == "claimed" ? Report.Number(p.Claimed) : "-",
            ]));
        foreach (var note in s.Notes)
        {
            Console.WriteLine($"  {note}");
        }
    }
}
