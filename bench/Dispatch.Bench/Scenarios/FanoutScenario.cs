using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dispatch.Bench.Infrastructure;
using Dispatch.Bench.Servers;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dispatch.Bench.Scenarios;

public sealed record FanoutOptions
{
    public int Consoles { get; init; } = 1000;

    /// <summary>Changes per second made through the API (and broadcasts per second at the bare hub).</summary>
    public double Rate { get; init; } = 5;

    public int DurationSeconds { get; init; } = 30;

    /// <summary>Changes made first at the same rate and not measured: JIT, connections and caches warm.</summary>
    public int WarmupChanges { get; init; } = 10;

    /// <summary>Wishes in each of the two claim storms (without, then with the consoles attached).</summary>
    public int StormWishes { get; init; } = 100;

    public int StormContenders { get; init; } = 40;

    public int Concurrency { get; init; } = 32;

    /// <summary>Consoles connecting at once.</summary>
    public int ConnectParallelism { get; init; } = 32;

    /// <summary>How long to wait, after the last change was answered, for its events to reach every console.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MeasuredChanges => Math.Max(1, (int)Math.Round(Rate * DurationSeconds));

    public static FanoutOptions Quick(FanoutOptions options) => options with
    {
        Consoles = Math.Min(options.Consoles, 100),
        DurationSeconds = Math.Min(options.DurationSeconds, 10),
        StormWishes = Math.Min(options.StormWishes, 40),
        StormContenders = Math.Min(options.StormContenders, 10),
        WarmupChanges = Math.Min(options.WarmupChanges, 5),
    };
}

/// <summary>Delivery of the measured changes to every console: latency from the bench's send to a console's receipt, and what did not arrive.</summary>
/// <param name="SendToServerP50Ms">From the bench sending the change to the server stamping the event (the feed numbering it; the hub's broadcast).</param>
/// <param name="ServerToConsoleP50Ms">From that stamp to a console's receipt.</param>
/// <param name="ServerCpuMsPerChange">CPU the server used per change while the consoles were fed (its whole process).</param>
public sealed record DeliveryFigures(
    double P50Ms,
    double P99Ms,
    double MaxMs,
    double MeanMs,
    long Deliveries,
    long Expected,
    long Lost,
    long SeqGaps,
    long Duplicates,
    int Resyncs,
    int Disconnects,
    int ChangeErrors,
    double ChangeAnswerP50Ms,
    double ChangeAnswerP99Ms,
    double SendToServerP50Ms,
    double SendToServerP99Ms,
    double ServerToConsoleP50Ms,
    double ServerToConsoleP99Ms,
    double ServerCpuMsPerChange,
    double BenchCpuMsPerChange);

/// <summary>The same-sized claim storm in the watched community before the consoles connect and while they watch.</summary>
public sealed record FanoutClaimFigures(
    double WithoutConsolesPerSec,
    double WithConsolesPerSec,
    int AttemptsEach,
    double WithoutConsolesP99Ms,
    double WithConsolesP99Ms,
    int WinnersWithoutConsoles,
    int WinnersWithConsoles,
    int DoubleClaims,
    int Errors);

public sealed record FanoutSummary(
    string Scenario,
    int Consoles,
    double RatePerSec,
    int DurationSec,
    int Messages,
    int PayloadBytes,
    DeliveryFigures Dispatch,
    DeliveryFigures BareHub,
    double P99Ratio,
    FanoutClaimFigures Claims,
    MachineInfo Machine);

/// <summary>
/// K consoles watch one community over WebSockets while the bench changes requests in it at a
/// steady rate through the API; then the same consoles, rate and message size against a bare
/// SignalR hub; and a claim storm in that community without and with the consoles attached.
/// </summary>
internal static class FanoutScenario
{
    public static Command Command(Option<string?> json, Option<bool> quick)
    {
        var defaults = new FanoutOptions();
        var consoles = new Option<int>("--consoles") { Description = "Consoles watching the community (WebSocket connections from this process).", DefaultValueFactory = _ => defaults.Consoles };
        var rate = new Option<double>("--rate") { Description = "Changes per second.", DefaultValueFactory = _ => defaults.Rate };
        var duration = new Option<int>("--duration") { Description = "Seconds of measured changes.", DefaultValueFactory = _ => defaults.DurationSeconds };
        var stormWishes = new Option<int>("--storm-wishes") { Description = "Wishes in each claim storm (without and with consoles).", DefaultValueFactory = _ => defaults.StormWishes };
        var stormContenders = new Option<int>("--storm-contenders") { Description = "Volunteers contending for each wish of the storms.", DefaultValueFactory = _ => defaults.StormContenders };

        var command = new Command("fanout", "K consoles watching one community while requests change at a steady rate: Dispatch vs a bare SignalR hub, and claims with and without the consoles.")
        {
            consoles, rate, duration, stormWishes, stormContenders, json, quick,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = defaults with
            {
                Consoles = result.GetValue(consoles),
                Rate = result.GetValue(rate),
                DurationSeconds = result.GetValue(duration),
                StormWishes = result.GetValue(stormWishes),
                StormContenders = result.GetValue(stormContenders),
            };
            if (result.GetValue(quick))
            {
                options = FanoutOptions.Quick(options);
            }

            var summary = await RunAsync(options, cancellationToken);
            await Report.WriteJsonAsync(result.GetValue(json), summary);
            return summary.Dispatch.Lost == 0 && summary.BareHub.Lost == 0 && summary.Dispatch.SeqGaps == 0 && summary.Claims.DoubleClaims == 0 ? 0 : 2;
        });
        return command;
    }

    public static async Task<FanoutSummary> RunAsync(FanoutOptions options, CancellationToken cancellationToken)
    {
        if (options.Consoles < 1 || options.Rate <= 0 || options.DurationSeconds < 1 || options.StormWishes < 1 || options.StormContenders < 1)
        {
            throw new ArgumentException("consoles, rate, duration, storm wishes and contenders must be positive.");
        }

        var watched = DispatchClient.CommunityId(0);
        Report.Progress(string.Create(CultureInfo.InvariantCulture,
            $"fanout: {options.Consoles:N0} consoles on {watched}, {options.Rate} changes/s for {options.DurationSeconds} s ({options.MeasuredChanges} measured, {options.WarmupChanges} warm-up); " +
            $"claim storms of {options.StormWishes} wishes × {options.StormContenders} contenders"));

        // The storms' volunteers and wishes all live in the watched community (one community: no wish per community limit).
        var world = StormWorld.Plan(new ClaimStormOptions
        {
            Wishes = 2 * options.StormWishes,
            Contenders = options.StormContenders,
            Concurrency = options.Concurrency,
            WarmupWishes = options.StormWishes,
            WishesPerCommunity = int.MaxValue,
        });

        DeliveryFigures dispatchFigures;
        FanoutClaimFigures claims;
        string token;
        int payloadBytes;
        await using (var dispatch = await DispatchServer.StartAsync(DispatchTarget.Embedded, postgres: null, new Dictionary<string, string>
        {
            ["Dispatch__Volunteers__ClaimLimit"] = "1000",
        }, cancellationToken))
        {
            Report.Progress($"{dispatch.Process.Name} is up at {dispatch.BaseAddress}; setting up the world");
            using var client = new DispatchClient(dispatch.BaseAddress);
            await world.SetUpDispatchAsync(client, cancellationToken);
            token = await ConsoleTokenAsync(client, cancellationToken);

            using var http = LoadDriver.CreateClient(dispatch.BaseAddress, options.Concurrency);
            Report.Progress($"claims without consoles: warm-up storm on {world.Warmup.Length:N0} attempts, then {world.Measured.Length / 2:N0} measured");
            await ClaimStorm.FireAsync(http, world, world.Warmup, options.Concurrency, new StormTally(world.WishIds.Length), cancellationToken);
            var without = await StormAsync(http, world, world.Measured.Where(a => a.Wish < options.StormWishes).ToArray(), options.Concurrency, cancellationToken);

            var book = new ChangeBook(options.WarmupChanges, options.MeasuredChanges, options.Consoles);
            await using (var fleet = await ConsoleFleet.ConnectAsync("Dispatch", dispatch.BaseAddress, token, watched, book, options, cancellationToken))
            {
                dispatchFigures = await MeasureAsync("Dispatch", dispatch.Process, fleet, book, options,
                    n => client.CreateRequestAsync(watched, "wish", ChangeBook.Title(n), 1, "normal", cancellationToken), cancellationToken);
                payloadBytes = book.PayloadBytes;

                Report.Progress($"claims with {options.Consoles:N0} consoles watching: {world.Measured.Length / 2:N0} attempts");
                var with = await StormAsync(http, world, world.Measured.Where(a => a.Wish >= options.StormWishes).ToArray(), options.Concurrency, cancellationToken);
                claims = new FanoutClaimFigures(
                    without.AttemptsPerSec, with.AttemptsPerSec, without.Attempts, without.P99Ms, with.P99Ms,
                    without.Winners, with.Winners, without.DoubleClaims + with.DoubleClaims, without.Errors + with.Errors);

                // The storm's winners reached the consoles too: every console must end on the same seq with no hole.
                await fleet.WaitSeqsSettledAsync(options.DrainTimeout, cancellationToken);
                dispatchFigures = dispatchFigures with { SeqGaps = fleet.SeqGaps(), Resyncs = fleet.Resyncs, Disconnects = fleet.Disconnects };
            }
        }

        DeliveryFigures bareFigures;
        await using (var hub = await ClaimStorm.StartBenchServerAsync("hub", [], cancellationToken))
        {
            Report.Progress($"bare hub is up at {hub.BaseAddress}; its messages are padded to {payloadBytes:N0} bytes like Dispatch's requestChanged");
            using var http = LoadDriver.CreateClient(hub.BaseAddress, options.Concurrency);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var book = new ChangeBook(options.WarmupChanges, options.MeasuredChanges, options.Consoles);
            await using var fleet = await ConsoleFleet.ConnectAsync("bare hub", hub.BaseAddress, token, watched, book, options, cancellationToken);
            bareFigures = await MeasureAsync("bare hub", hub, fleet, book, options, async n =>
            {
                using var response = await http.PostAsJsonAsync(BareHubServer.BroadcastPath, new BroadcastRequest(ChangeBook.Title(n), payloadBytes), cancellationToken);
                response.EnsureSuccessStatusCode();
            }, cancellationToken);
            await fleet.WaitSeqsSettledAsync(options.DrainTimeout, cancellationToken);
            bareFigures = bareFigures with { SeqGaps = fleet.SeqGaps(), Resyncs = fleet.Resyncs, Disconnects = fleet.Disconnects };
        }

        var summary = new FanoutSummary(
            "fanout",
            options.Consoles,
            options.Rate,
            options.DurationSeconds,
            options.MeasuredChanges,
            payloadBytes,
            dispatchFigures,
            bareFigures,
            bareFigures.P99Ms > 0 ? Math.Round(dispatchFigures.P99Ms / bareFigures.P99Ms, 2) : 0,
            claims,
            Report.Machine());
        Print(summary);
        return summary;
    }

    /// <summary>A staff member of the town above the watched community: consoles are staff's.</summary>
    private static async Task<string> ConsoleTokenAsync(DispatchClient client, CancellationToken cancellationToken)
    {
        const string username = "bench-console";
        const string password = "bench-console-secret";
        await client.PostAsync("/api/accounts", new
        {
            username,
            password,
            displayName = "Bench Console",
            role = "staff",
            placeId = DispatchClient.TownId,
        }, cancellationToken);
        return await client.TokenAsync(username, password, cancellationToken);
    }

    private static async Task<StormFigures> StormAsync(HttpClient http, StormWorld world, Attempt[] attempts, int concurrency, CancellationToken cancellationToken)
    {
        var tally = new StormTally(world.WishIds.Length);
        var elapsed = await ClaimStorm.FireAsync(http, world, attempts, concurrency, tally, cancellationToken);
        var latencies = tally.Latencies.Summarise();
        var figures = new StormFigures(
            Math.Round(attempts.Length / elapsed.TotalSeconds, 0), Math.Round(latencies.P50, 2), Math.Round(latencies.P99, 2), Math.Round(latencies.Max, 2),
            attempts.Length, tally.Winners, tally.DoubleClaims(1), tally.Filled(1), tally.Errors, LostAcknowledgements: 0, ServerCpuMsPerAttempt: 0);
        Report.Progress(string.Create(CultureInfo.InvariantCulture,
            $"  {figures.AttemptsPerSec:N0} attempts/s, p99 {figures.P99Ms} ms, {figures.Winners} winners, {figures.Errors} errors{tally.ErrorSample}"));
        return figures;
    }

    /// <summary>Makes the changes at the rate (open loop: a slow answer does not delay the next change), then waits for every console to have them.</summary>
    private static async Task<DeliveryFigures> MeasureAsync(
        string name, ChildProcess server, ConsoleFleet fleet, ChangeBook book, FanoutOptions options, Func<int, Task> change, CancellationToken cancellationToken)
    {
        Report.Progress(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {book.Total} changes at {options.Rate}/s to {fleet.Count:N0} consoles ({book.Warmup} warm-up)"));
        var errors = new List<string>();
        var sends = new List<Task>(book.Total);
        var start = Stopwatch.GetTimestamp();
        var serverCpu = TimeSpan.Zero;
        var benchCpu = TimeSpan.Zero;
        var lastReport = start;
        for (var n = 0; n < book.Total; n++)
        {
            var due = start + (long)(n * Stopwatch.Frequency / options.Rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            if (n == book.Warmup)
            {
                serverCpu = server.CpuTime;
                benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
            }

            sends.Add(SendAsync(n));
            if (Stopwatch.GetElapsedTime(lastReport) > TimeSpan.FromSeconds(5))
            {
                lastReport = Stopwatch.GetTimestamp();
                Report.Progress($"{name}: {n + 1}/{book.Total} changes sent, {book.Delivered:N0}/{book.ExpectedAll:N0} deliveries");
            }
        }

        await Task.WhenAll(sends);
        var drained = await book.WaitAllDeliveredAsync(options.DrainTimeout, cancellationToken);
        serverCpu = server.CpuTime - serverCpu;
        benchCpu = Process.GetCurrentProcess().TotalProcessorTime - benchCpu;
        Report.Progress($"{name}: {(drained ? "every delivery arrived" : $"drain timed out after {options.DrainTimeout.TotalSeconds} s")}: {book.Delivered:N0}/{book.ExpectedAll:N0}" +
            (errors.Count == 0 ? "" : $"; {errors.Count} changes failed: {errors[0]}"));

        var figures = fleet.Figures(errors.Count, serverCpu.TotalMilliseconds / book.Measured, benchCpu.TotalMilliseconds / book.Measured);
        Report.Progress(string.Create(CultureInfo.InvariantCulture,
            $"{name}: p50 {figures.P50Ms} ms, p99 {figures.P99Ms} ms, max {figures.MaxMs} ms; send→server p99 {figures.SendToServerP99Ms} ms, server→console p99 {figures.ServerToConsoleP99Ms} ms; " +
            $"{figures.Lost} lost; server CPU {figures.ServerCpuMsPerChange} ms/change, bench CPU {figures.BenchCpuMsPerChange} ms/change"));
        return figures;

        async Task SendAsync(int n)
        {
            book.Sending(n);
            try
            {
                await change(n);
                book.Answered(n);
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                lock (errors)
                {
                    errors.Add(exception.Message);
                }
            }
        }
    }

    private static void Print(FanoutSummary s)
    {
        static IReadOnlyList<string> Row(string name, int consoles, double rate, int messages, DeliveryFigures f) =>
        [
            name, $"{consoles:N0}", Report.Number(rate, 1), $"{messages:N0}", $"{f.Deliveries:N0}",
            Report.Milliseconds(f.P50Ms), Report.Milliseconds(f.P99Ms), Report.Milliseconds(f.MaxMs), $"{f.Lost}", $"{f.SeqGaps}", $"{f.Resyncs}",
            $"{Report.Milliseconds(f.SendToServerP50Ms)} / {Report.Milliseconds(f.SendToServerP99Ms)}",
            $"{Report.Milliseconds(f.ServerToConsoleP50Ms)} / {Report.Milliseconds(f.ServerToConsoleP99Ms)}",
            Report.Number(f.ServerCpuMsPerChange, 1),
        ];

        Report.Table(
            string.Create(CultureInfo.InvariantCulture,
                $"fanout: {s.Consoles:N0} consoles watching one community, {s.RatePerSec} changes/s for {s.DurationSec} s, payload {s.PayloadBytes:N0} bytes, {s.Machine.Cores} cores"),
            ["service", "consoles", "rate/s", "messages", "deliveries", "p50 ms", "p99 ms", "max ms", "lost", "seq gaps", "resyncs", "send→server p50/p99", "server→console p50/p99", "server CPU ms/change"],
            [
                Row("Dispatch (embedded)", s.Consoles, s.RatePerSec, s.Messages, s.Dispatch),
                Row("bare SignalR hub", s.Consoles, s.RatePerSec, s.Messages, s.BareHub),
            ]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Dispatch p99 / bare hub p99 = {s.P99Ratio:F2}×"));

        var c = s.Claims;
        Report.Table(
            $"claims in the watched community: {c.AttemptsEach:N0} attempts each",
            ["consoles attached", "attempts/s", "p99 ms", "winners", "double claims (both runs)", "errors (both runs)"],
            [
                ["none", Report.Number(c.WithoutConsolesPerSec), Report.Milliseconds(c.WithoutConsolesP99Ms), $"{c.WinnersWithoutConsoles:N0}", $"{c.DoubleClaims}", $"{c.Errors}"],
                [$"{s.Consoles:N0}", Report.Number(c.WithConsolesPerSec), Report.Milliseconds(c.WithConsolesP99Ms), $"{c.WinnersWithConsoles:N0}", "", ""],
            ]);
    }
}

/// <summary>
/// The changes of one run and their deliveries: when each was sent and answered, when the server
/// stamped its event, and how many (console, change) pairs have arrived.
/// </summary>
internal sealed class ChangeBook
{
    private const string TitlePrefix = "fanout ";

    // One clock for the bench's timestamps and the servers' wall-clock stamps (same machine).
    private static readonly long AnchorTimestamp = Stopwatch.GetTimestamp();
    private static readonly DateTimeOffset AnchorWall = DateTimeOffset.UtcNow;

    private readonly long[] sent;
    private readonly long[] answered;
    private readonly long[] stampedTicks;
    private readonly TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long delivered;
    private int payloadBytes;

    public ChangeBook(int warmup, int measured, int consoles)
    {
        Warmup = warmup;
        Measured = measured;
        Consoles = consoles;
        sent = new long[Total];
        answered = new long[Total];
        stampedTicks = new long[Total];
    }

    public int Warmup { get; }

    public int Measured { get; }

    public int Total => Warmup + Measured;

    public int Consoles { get; }

    public long ExpectedAll => (long)Total * Consoles;

    public long Delivered => Interlocked.Read(ref delivered);

    /// <summary>The JSON length of the first event delivered for a change.</summary>
    public int PayloadBytes => Volatile.Read(ref payloadBytes);

    public static string Title(int change) => TitlePrefix + change.ToString("D6", CultureInfo.InvariantCulture);

    public static bool TryParse(string? title, out int change)
    {
        change = -1;
        return title is not null && title.StartsWith(TitlePrefix, StringComparison.Ordinal)
            && int.TryParse(title.AsSpan(TitlePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out change);
    }

    public static DateTimeOffset WallClock(long timestamp) => AnchorWall + Stopwatch.GetElapsedTime(AnchorTimestamp, timestamp);

    public bool IsMeasured(int change) => change >= Warmup;

    public long SentAt(int change) => sent[change];

    public long AnsweredAt(int change) => answered[change];

    public DateTimeOffset? StampedAt(int change) => Interlocked.Read(ref stampedTicks[change]) is > 0 and var ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Sending(int change) => Volatile.Write(ref sent[change], Stopwatch.GetTimestamp());

    public void Answered(int change) => answered[change] = Stopwatch.GetTimestamp();

    /// <summary>A console got a change for the first time.</summary>
    public void Delivery(int change, DateTimeOffset stamped, int jsonLength)
    {
        Interlocked.CompareExchange(ref stampedTicks[change], stamped.UtcTicks, 0);
        Interlocked.CompareExchange(ref payloadBytes, jsonLength, 0);
        if (Interlocked.Increment(ref delivered) == ExpectedAll)
        {
            all.TrySetResult();
        }
    }

    /// <summary>True when every console has every change; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitAllDeliveredAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await all.Task.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}

/// <summary>What one console received: the first arrival of each change, and every seq it saw.</summary>
internal sealed class ConsoleRecorder(ChangeBook book)
{
    private readonly long[] received = new long[book.Total];
    private readonly HashSet<long> seqs = [];
    private int duplicates;
    private int resyncs;

    public long SnapshotSeq { get; set; }

    public int Duplicates => Volatile.Read(ref duplicates);

    public int Resyncs => Volatile.Read(ref resyncs);

    public bool Disconnected { get; private set; }

    public long MaxSeq { get; private set; }

    public long ReceivedAt(int change) => Volatile.Read(ref received[change]);

    public void OnRequestChanged(JsonElement message)
    {
        var now = Stopwatch.GetTimestamp();
        Seen(message.GetProperty("seq").GetInt64());
        if (message.TryGetProperty("request", out var request) && request.ValueKind == JsonValueKind.Object
            && request.TryGetProperty("title", out var title) && ChangeBook.TryParse(title.GetString(), out var change) && change < received.Length)
        {
            if (Interlocked.CompareExchange(ref received[change], now, 0) == 0)
            {
                book.Delivery(change, message.GetProperty("at").GetDateTimeOffset(), message.GetRawText().Length);
            }
            else
            {
                Interlocked.Increment(ref duplicates);
            }
        }
    }

    public void OnCountersChanged(JsonElement message) => Seen(message.GetProperty("seq").GetInt64());

    public void OnResync() => Interlocked.Increment(ref resyncs);

    public void OnClosed() => Disconnected = true;

    /// <summary>Numbers after the snapshot's that never arrived, up to <paramref name="lastSeq"/>.</summary>
    public long Gaps(long lastSeq)
    {
        lock (seqs)
        {
            return lastSeq - SnapshotSeq - seqs.Count(s => s > SnapshotSeq && s <= lastSeq);
        }
    }

    private void Seen(long seq)
    {
        lock (seqs)
        {
            seqs.Add(seq);
            MaxSeq = Math.Max(MaxSeq, seq);
        }
    }
}

/// <summary>K SignalR connections from this process, each watching the same place.</summary>
internal sealed class ConsoleFleet : IAsyncDisposable
{
    private readonly HubConnection[] connections;
    private readonly ConsoleRecorder[] recorders;
    private readonly ChangeBook book;

    private ConsoleFleet(HubConnection[] connections, ConsoleRecorder[] recorders, ChangeBook book)
    {
        this.connections = connections;
        this.recorders = recorders;
        this.book = book;
    }

    public int Count => connections.Length;

    public int Resyncs => recorders.Sum(r => r.Resyncs);

    public int Disconnects => recorders.Count(r => r.Disconnected);

    public static async Task<ConsoleFleet> ConnectAsync(
        string name, Uri baseAddress, string token, string placeId, ChangeBook book, FanoutOptions options, CancellationToken cancellationToken)
    {
        // The token goes in the query, as browsers' consoles send it; WebSockets straight away (no negotiate round trip).
        var url = new Uri(baseAddress, $"{BareHubServer.HubPath}?access_token={Uri.EscapeDataString(token)}");
        var connections = new HubConnection[options.Consoles];
        var recorders = new ConsoleRecorder[options.Consoles];
        var connected = 0;
        var step = Math.Max(1, options.Consoles / 5);
        Report.Progress($"{name}: connecting {options.Consoles:N0} consoles, {options.ConnectParallelism} at a time");
        try
        {
            await LoadDriver.RunAsync(options.Consoles, options.ConnectParallelism, async i =>
            {
                recorders[i] = new ConsoleRecorder(book);
                connections[i] = await ConnectOneAsync(url, placeId, recorders[i], cancellationToken);
                if (Interlocked.Increment(ref connected) % step == 0)
                {
                    Report.Progress($"{name}: {connected:N0}/{options.Consoles:N0} consoles watching");
                }
            });
        }
        catch
        {
            await DisposeAllAsync(connections);
            throw;
        }

        return new ConsoleFleet(connections, recorders, book);
    }

    /// <summary>Waits until every console has seen the highest seq any console has seen (or the timeout passes).</summary>
    public async Task WaitSeqsSettledAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var last = recorders.Max(r => r.MaxSeq);
            if (recorders.All(r => r.MaxSeq == last))
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public long SeqGaps()
    {
        var last = recorders.Max(r => r.MaxSeq);
        return recorders.Sum(r => r.Gaps(last));
    }

    public DeliveryFigures Figures(int changeErrors, double serverCpuMsPerChange, double benchCpuMsPerChange)
    {
        var expected = (long)book.Measured * recorders.Length;
        var latencies = new Latencies((int)Math.Min(expected, 10_000_000));
        var serverToConsole = new Latencies((int)Math.Min(expected, 10_000_000));
        var sendToServer = new Latencies(book.Measured);
        var answers = new Latencies(book.Measured);
        long deliveries = 0;
        for (var n = book.Warmup; n < book.Total; n++)
        {
            var sent = book.SentAt(n);
            if (book.AnsweredAt(n) is > 0 and var answered)
            {
                answers.Add(Stopwatch.GetElapsedTime(sent, answered));
            }

            var stamped = book.StampedAt(n);
            if (stamped is { } at)
            {
                sendToServer.Add(at - ChangeBook.WallClock(sent));
            }

            foreach (var recorder in recorders)
            {
                if (recorder.ReceivedAt(n) is > 0 and var received)
                {
                    deliveries++;
                    latencies.Add(Stopwatch.GetElapsedTime(sent, received));
                    if (stamped is { } serverAt)
                    {
                        serverToConsole.Add(ChangeBook.WallClock(received) - serverAt);
                    }
                }
            }
        }

        var all = latencies.Summarise();
        var toServer = sendToServer.Summarise();
        var toConsole = serverToConsole.Summarise();
        var answer = answers.Summarise();
        return new DeliveryFigures(
            Math.Round(all.P50, 2), Math.Round(all.P99, 2), Math.Round(all.Max, 2), Math.Round(all.Mean, 2),
            deliveries, expected, expected - deliveries, SeqGaps: 0, recorders.Sum(r => (long)r.Duplicates), Resyncs, Disconnects, changeErrors,
            Math.Round(answer.P50, 2), Math.Round(answer.P99, 2),
            Math.Round(toServer.P50, 2), Math.Round(toServer.P99, 2),
            Math.Round(toConsole.P50, 2), Math.Round(toConsole.P99, 2),
            Math.Round(serverCpuMsPerChange, 2), Math.Round(benchCpuMsPerChange, 2));
    }

    public async ValueTask DisposeAsync() => await DisposeAllAsync(connections);

    private static async Task<HubConnection> ConnectOneAsync(Uri url, string placeId, ConsoleRecorder recorder, CancellationToken cancellationToken)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(url, HttpTransportType.WebSockets, options => options.SkipNegotiation = true)
            .Build();

        // Two busy cores serve a thousand sockets here: do not let a late ping end a console.
        connection.ServerTimeout = TimeSpan.FromMinutes(2);
        connection.HandshakeTimeout = TimeSpan.FromMinutes(1);
        connection.On<JsonElement>("requestChanged", recorder.OnRequestChanged);
        connection.On<JsonElement>("countersChanged", recorder.OnCountersChanged);
        connection.On<JsonElement>("resync", _ => recorder.OnResync());
        connection.Closed += _ =>
        {
            recorder.OnClosed();
            return Task.CompletedTask;
        };
        try
        {
            await connection.StartAsync(cancellationToken);
            var snapshot = await connection.InvokeAsync<JsonElement>("Watch", placeId, cancellationToken);
            recorder.SnapshotSeq = snapshot.GetProperty("seq").GetInt64();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task DisposeAllAsync(HubConnection?[] connections) =>
        await LoadDriver.RunAsync(connections.Length, 64, async i =>
        {
            if (connections[i] is { } connection)
            {
                await connection.DisposeAsync();
            }
        });
}
