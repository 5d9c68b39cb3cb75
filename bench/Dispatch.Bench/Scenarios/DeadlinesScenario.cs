using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Dispatch.Bench.Infrastructure;
using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Requests;
using Orleans.Reminders;

namespace Dispatch.Bench.Scenarios;

public sealed record DeadlinesOptions
{
    /// <summary>Open requests whose deadlines are armed (a day away) while the idle cost is measured.</summary>
    public int Requests { get; init; } = 100_000;

    /// <summary>Further requests created at one instant of the grains' clock, so that their deadlines fall due together.</summary>
    public int Burst { get; init; } = 10_000;

    public int IdleSeconds { get; init; } = 60;

    public int Concurrency { get; init; } = 16;

    /// <summary>Folder for the throw-away SQLite file; default tmpfs (see <see cref="InProcessSilo.DefaultDataRoot"/>).</summary>
    public string? DataRoot { get; init; }

    /// <summary>Runs the silo with <c>Dispatch:Telemetry:Dashboard=false</c>, to see what the dashboard costs.</summary>
    public bool NoDashboard { get; init; }

    /// <summary>The burst's claim deadline: how long after the frozen instant they fall due.</summary>
    public TimeSpan Lead { get; init; } = TimeSpan.FromSeconds(5);

    public static DeadlinesOptions Quick(DeadlinesOptions options) => options with
    {
        Requests = Math.Min(options.Requests, 5_000),
        Burst = Math.Min(options.Burst, 1_000),
        IdleSeconds = Math.Min(options.IdleSeconds, 10),
    };
}

/// <param name="GrainStorageWritesPerMinute">Grain state writes (Orleans' storage meter).</param>
/// <param name="ReminderTicksPerMinute">Reminders delivered to grains (Orleans' reminder meter).</param>
/// <param name="BytesWrittenPerMinute">Bytes through write calls (/proc/self/io wchar: the SQLite file, its WAL, the console).</param>
/// <param name="ReminderTableReadMs">One full read of the reminder table, as the reminder service does every <c>RefreshReminderListPeriod</c> (5 minutes).</param>
/// <param name="PercentOfOneCoreWithRefresh">The idle window's CPU plus that read's CPU spread over its 5-minute period.</param>
/// <param name="EmptySiloCpuMsPerMinute">The same silo, places set up, before any request existed: what the deadlines' figure is to be read against.</param>
/// <param name="DeadlinesPercentOfOneCore">The idle window above the empty silo, with the table read spread over its period: the cost of the armed deadlines themselves.</param>
public sealed record IdleFigures(
    double Seconds,
    double CpuMsPerMinute,
    double PercentOfOneCore,
    double EmptySiloCpuMsPerMinute,
    double DeadlinesPercentOfOneCore,
    double GrainStorageWritesPerMinute,
    double ReminderTicksPerMinute,
    double BytesWrittenPerMinute,
    double DiskBytesWrittenPerMinute,
    double EscalationsPerMinute,
    int ReminderRows,
    double ReminderTableReadMs,
    double ReminderTableReadCpuMs,
    double PercentOfOneCoreWithRefresh);

/// <param name="AllAppliedMs">From the common due instant until the last of the burst was applied (stored).</param>
/// <param name="Missed">Burst requests not escalated when checked afterwards: must be 0.</param>
/// <param name="Early">Escalations of the burst applied before their deadline was due: must be 0.</param>
public sealed record BurstFigures(
    int Size,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    double FirstAppliedMs,
    double AllAppliedMs,
    int Applied,
    int Missed,
    double CreatedPerSec,
    int Early);

public sealed record DeadlinesSummary(
    string Scenario,
    int Requests,
    double CreatedPerSec,
    int ActiveRequestGrains,
    IdleFigures Idle,
    BurstFigures Burst,
    string Store,
    MachineInfo Machine);

/// <summary>
/// Armed deadlines: Dispatch's silo in this process on SQLite, N open requests (each with its grain
/// timer and its reminder row), CPU and storage work while none is due; then a burst of
/// simultaneous deadlines and how late each is applied. The grains and the reminder service run
/// on a <see cref="BenchClock"/> (real time, stopped while the burst is created); the silo's own
/// upkeep (membership, messaging, activation collection) on the system clock.
/// </summary>
public static class DeadlinesScenario
{
    public static Command Command(Option<string?> json, Option<bool> quick)
    {
        var defaults = new DeadlinesOptions();
        var requests = new Option<int>("--requests") { Description = "Open requests with armed deadlines.", DefaultValueFactory = _ => defaults.Requests };
        var burst = new Option<int>("--burst") { Description = "Requests whose deadlines fall due at the same instant.", DefaultValueFactory = _ => defaults.Burst };
        var idleSeconds = new Option<int>("--idle-seconds") { Description = "Length of the idle measurement.", DefaultValueFactory = _ => defaults.IdleSeconds };
        var concurrency = new Option<int>("--concurrency") { Description = "Grain calls in flight while creating.", DefaultValueFactory = _ => defaults.Concurrency };
        var dataDir = new Option<string?>("--data-dir") { Description = $"Folder for the throw-away SQLite file (default {InProcessSilo.DefaultDataRoot}: no fsync per commit)." };
        var noDashboard = new Option<bool>("--no-dashboard") { Description = "Run the silo without the Orleans dashboard (Dispatch:Telemetry:Dashboard=false)." };
        var command = new Command("deadlines", "CPU and storage work of armed deadlines while none is due, and the lateness of a burst of simultaneous ones.")
        {
            requests, burst, idleSeconds, concurrency, dataDir, noDashboard, json, quick,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var options = new DeadlinesOptions
            {
                Requests = result.GetValue(requests),
                Burst = result.GetValue(burst),
                IdleSeconds = result.GetValue(idleSeconds),
                Concurrency = result.GetValue(concurrency),
                DataRoot = result.GetValue(dataDir),
                NoDashboard = result.GetValue(noDashboard),
            };
            if (result.GetValue(quick))
            {
                options = DeadlinesOptions.Quick(options);
            }

            var summary = await RunAsync(options, cancellationToken);
            await Report.WriteJsonAsync(result.GetValue(json), summary);
            return summary.Burst is { Missed: 0, Early: 0 } && summary.Idle.EscalationsPerMinute == 0 ? 0 : 2;
        });
        return command;
    }

    public static async Task<DeadlinesSummary> RunAsync(DeadlinesOptions options, CancellationToken cancellationToken)
    {
        if (options.Requests < 1 || options.Burst < 1 || options.IdleSeconds < 1)
        {
            throw new ArgumentException("requests, burst and idle-seconds must be at least 1.");
        }

        var clock = new BenchClock();
        using var meters = new SiloMeters(clock);
        var total = options.Requests + options.Burst;
        var communities = (total + InProcessSilo.RequestsPerCommunity - 1) / InProcessSilo.RequestsPerCommunity;
        var settings = new Dictionary<string, string?>();
        if (options.NoDashboard)
        {
            settings[Silo.Hosting.SiloHostingExtensions.DashboardSetting] = "false";
        }

        await using var silo = await InProcessSilo.StartAsync(options.DataRoot, settings, services =>
        {
            // The grains (Dispatch's and Orleans' grain timers) and the reminder service on the bench
            // clock; every other area of the silo on the system clock.
            services.AddSingleton<TimeProvider>(clock);
            services.AddKeyedSingleton<TimeProvider>(KeyedService.AnyKey, TimeProvider.System);
            services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, clock);
            services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, clock);
        }, cancellationToken);
        Report.Progress($"deadlines: silo up (SQLite in {silo.DataDir}); {communities:N0} communities");
        await silo.CreatePlacesAsync(communities, cancellationToken);

        // The burst's policy: its claim deadline falls due Lead after creation; nothing else for a day.
        var day = TimeSpan.FromDays(1);
        await silo.Grains.GetGrain<IPolicyGrain>(GrainKeys.Policies).Set(
            RequestKind.Errand, Urgency.Critical, new EscalationPolicy(options.Lead, day, day, day, day, EscalationPolicy.DefaultOfferWithin), "bench");

        // The empty silo's own upkeep (membership, dashboard, statistics), to read the deadlines' cost
        // against; measured once start-up work (tiered JIT, the first membership rounds) has passed.
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, options.IdleSeconds)), cancellationToken);
        var emptyCpuMsPerMinute = await CpuMsPerMinuteAsync(options.IdleSeconds, cancellationToken);
        Report.Progress(string.Create(CultureInfo.InvariantCulture, $"empty silo: {emptyCpuMsPerMinute:F1} ms CPU per minute"));

        var ids = Enumerable.Range(0, total).Select(_ => Guid.NewGuid()).ToArray();
        var created = new bool[total];
        var openIds = ids[..options.Requests];
        var (count, creating) = await silo.CreateRequestsAsync(
            openIds, created, 0, communities, RequestKind.Wish, Urgency.Normal, options.Concurrency, null, cancellationToken);
        var createdPerSec = count / creating.TotalSeconds;
        Report.Progress(string.Create(CultureInfo.InvariantCulture, $"{count:N0} open requests created in {creating.TotalSeconds:F1} s ({createdPerSec:F0}/s); waiting for storage to go quiet"));
        await meters.WaitForQuietStorageAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(3), cancellationToken);
        var active = await silo.ActiveRequestGrainsAsync();

        var idle = await MeasureIdleAsync(silo, meters, options, emptyCpuMsPerMinute, cancellationToken);
        var burst = await MeasureBurstAsync(silo, clock, meters, ids, created, communities, options, cancellationToken);

        var summary = new DeadlinesSummary(
            "deadlines", count, Math.Round(createdPerSec, 0), active, idle, burst,
            $"SQLite (WAL) in {options.DataRoot ?? InProcessSilo.DefaultDataRoot}", Report.Machine());
        Print(summary);
        return summary;
    }

    private static async Task<double> CpuMsPerMinuteAsync(int seconds, CancellationToken cancellationToken)
    {
        using var self = Process.GetCurrentProcess();
        var before = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
        self.Refresh();
        return (self.TotalProcessorTime - before).TotalMilliseconds / clock.Elapsed.TotalMinutes;
    }

    private static async Task<IdleFigures> MeasureIdleAsync(
        InProcessSilo silo, SiloMeters meters, DeadlinesOptions options, double emptyCpuMsPerMinute, CancellationToken cancellationToken)
    {
        Report.Progress($"idle: measuring {options.IdleSeconds} s with {options.Requests:N0} deadlines armed and none due");
        using var self = Process.GetCurrentProcess();
        var before = (Cpu: self.TotalProcessorTime, Io: IoCounters.Read(Environment.ProcessId), meters.Snapshot());
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(options.IdleSeconds), cancellationToken);
        self.Refresh();
        var after = (Cpu: self.TotalProcessorTime, Io: IoCounters.Read(Environment.ProcessId), meters.Snapshot());
        var minutes = clock.Elapsed.TotalMinutes;

        // The reminder service also reads its whole range of the table every 5 minutes: once, measured on its own.
        var table = silo.Services.GetRequiredService<IReminderTable>();
        self.Refresh();
        var cpuBefore = self.TotalProcessorTime;
        var reading = Stopwatch.StartNew();
        var rows = await table.ReadRows(0, 0, cancellationToken);
        var readMs = reading.Elapsed.TotalMilliseconds;
        self.Refresh();
        var readCpuMs = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds;

        var cpuMsPerMinute = (after.Cpu - before.Cpu).TotalMilliseconds / minutes;
        var refreshPeriodMinutes = 5.0;
        var io = after.Io - before.Io;
        var figures = new IdleFigures(
            Math.Round(clock.Elapsed.TotalSeconds, 1),
            Math.Round(cpuMsPerMinute, 1),
            Math.Round(cpuMsPerMinute / 600, 3),
            Math.Round(emptyCpuMsPerMinute, 1),
            Math.Round((cpuMsPerMinute - emptyCpuMsPerMinute + readCpuMs / refreshPeriodMinutes) / 600, 3),
            Math.Round((after.Item3.StorageWrites - before.Item3.StorageWrites) / minutes, 1),
            Math.Round((after.Item3.ReminderTicks - before.Item3.ReminderTicks) / minutes, 1),
            Math.Round(io.WrittenBytes / minutes, 0),
            Math.Round(io.StorageWrittenBytes / minutes, 0),
            Math.Round((after.Item3.Escalations - before.Item3.Escalations) / minutes, 1),
            rows.Reminders.Count,
            Math.Round(readMs, 1),
            Math.Round(readCpuMs, 1),
            Math.Round((cpuMsPerMinute + readCpuMs / refreshPeriodMinutes) / 600, 3));
        Report.Progress(string.Create(CultureInfo.InvariantCulture,
            $"idle: {figures.CpuMsPerMinute} ms CPU per minute ({figures.PercentOfOneCore}% of one core), {figures.GrainStorageWritesPerMinute} grain writes/min, " +
            $"{figures.ReminderTicksPerMinute} reminder ticks/min; a full reminder-table read: {rows.Reminders.Count:N0} rows, {figures.ReminderTableReadMs} ms, {figures.ReminderTableReadCpuMs} ms CPU"));
        return figures;
    }

    private static async Task<BurstFigures> MeasureBurstAsync(
        InProcessSilo silo, BenchClock clock, SiloMeters meters, Guid[] ids, bool[] created, int communities, DeadlinesOptions options, CancellationToken cancellationToken)
    {
        // Every burst request begins at this instant of the grains' clock, however long creating them takes.
        var frozen = clock.Stop();
        var due = frozen + options.Lead;
        Report.Progress($"burst: creating {options.Burst:N0} requests at one instant of the grains' clock (stopped)");
        (int Created, TimeSpan Elapsed) made;
        try
        {
            made = await silo.CreateRequestsAsync(
                ids, created, options.Requests, communities, RequestKind.Errand, Urgency.Critical, options.Concurrency, null, cancellationToken);
        }
        finally
        {
            meters.WatchBurst(due);
            clock.Start();
        }

        Report.Progress(string.Create(CultureInfo.InvariantCulture,
            $"burst: {made.Created:N0} created in {made.Elapsed.TotalSeconds:F1} s; clock running again, all due in {options.Lead.TotalSeconds:F0} s"));

        // The bench waits for the meter to count the burst (a measurement, not a synchronisation of tests).
        var limit = Stopwatch.StartNew();
        var timeout = TimeSpan.FromMinutes(2) + TimeSpan.FromMilliseconds(20.0 * options.Burst);
        while (meters.BurstApplied < made.Created && limit.Elapsed < timeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        var allApplied = meters.BurstApplied >= made.Created ? (clock.GetUtcNow() - due).TotalMilliseconds : double.NaN;
        var lateness = meters.Lateness.Summarise();

        // What is stored is the judge: each burst request must have climbed a level.
        var missed = 0;
        await LoadDriver.RunAsync(options.Burst, options.Concurrency, async n =>
        {
            var i = options.Requests + n;
            if (created[i] && await silo.Grains.GetGrain<IRequestGrain>(ids[i]).Get() is not { EscalationLevel: >= 1 })
            {
                Interlocked.Increment(ref missed);
            }
        });
        missed += options.Burst - made.Created;

        var figures = new BurstFigures(
            options.Burst,
            Math.Round(lateness.P50, 1),
            Math.Round(lateness.P99, 1),
            Math.Round(lateness.Max, 1),
            Math.Round(meters.FirstLatenessMs, 1),
            Math.Round(double.IsNaN(allApplied) ? lateness.Max : allApplied, 1),
            meters.BurstApplied,
            missed,
            Math.Round(made.Created / made.Elapsed.TotalSeconds, 0),
            meters.BurstEarly);
        Report.Progress(string.Create(CultureInfo.InvariantCulture,
            $"burst: {figures.Applied:N0} applied, lateness p50 {figures.P50Ms} ms, p99 {figures.P99Ms} ms, max {figures.MaxMs} ms, missed {figures.Missed}, early {figures.Early}"));
        return figures;
    }

    private static void Print(DeadlinesSummary s)
    {
        var i = s.Idle;
        Report.Table(
            string.Create(CultureInfo.InvariantCulture,
                $"deadlines: {s.Requests:N0} open requests with armed deadlines (a timer and a reminder each, {s.ActiveRequestGrains:N0} grains active), {s.Store}, {s.Machine.Cores} cores"),
            ["idle (nothing due)", "value"],
            [
                ["window", $"{i.Seconds} s"],
                ["CPU per minute", $"{Report.Number(i.CpuMsPerMinute, 1)} ms"],
                ["% of one core (the whole silo)", $"{i.PercentOfOneCore:F3} %"],
                ["CPU per minute of the same silo before any request", $"{Report.Number(i.EmptySiloCpuMsPerMinute, 1)} ms"],
                ["grain storage writes per minute", Report.Number(i.GrainStorageWritesPerMinute, 1)],
                ["reminder ticks per minute", Report.Number(i.ReminderTicksPerMinute, 1)],
                ["bytes written per minute (wchar / disk)", $"{Report.Number(i.BytesWrittenPerMinute)} / {Report.Number(i.DiskBytesWrittenPerMinute)}"],
                ["escalations per minute", Report.Number(i.EscalationsPerMinute, 1)],
                ["reminder table: full read every 5 min", $"{Report.Number(i.ReminderRows)} rows, {Report.Number(i.ReminderTableReadMs, 1)} ms, {Report.Number(i.ReminderTableReadCpuMs, 1)} ms CPU"],
                ["% of one core, with that read spread over 5 min", $"{i.PercentOfOneCoreWithRefresh:F3} %"],
                ["% of one core for the deadlines (above the empty silo, read included)", $"{i.DeadlinesPercentOfOneCore:F3} %"],
            ]);
        var b = s.Burst;
        Report.Table(
            $"burst: {b.Size:N0} deadlines due at one instant (created at {Report.Number(b.CreatedPerSec)}/s on a stopped clock)",
            ["lateness p50 ms", "p99 ms", "max ms", "first applied ms", "all applied ms", "applied", "missed", "early"],
            [[Report.Milliseconds(b.P50Ms), Report.Milliseconds(b.P99Ms), Report.Milliseconds(b.MaxMs), Report.Milliseconds(b.FirstAppliedMs),
              Report.Milliseconds(b.AllAppliedMs), Report.Number(b.Applied), Report.Number(b.Missed), Report.Number(b.Early)]]);
    }

    /// <summary>
    /// Counts what the silo does from its meters: grain state writes (Orleans' storage meter),
    /// reminder ticks (Orleans' reminder meter), and escalations (Dispatch's meter), timing each
    /// escalation of the burst against its due instant as it is recorded (after its state was stored).
    /// </summary>
    private sealed class SiloMeters : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly BenchClock clock;
        private long storageWrites;
        private long reminderTicks;
        private long escalations;
        private long burstApplied;
        private long burstEarly;
        private long burstDueTicks;
        private double firstLatenessMs = double.NaN;

        public SiloMeters(BenchClock clock)
        {
            this.clock = clock;
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name is "orleans-storage-write-latency" or "orleans-reminders-ticks-delivered" or "dispatch.escalations")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Count(instrument, (long)value));
            listener.SetMeasurementEventCallback<float>((instrument, value, _, _) => Count(instrument, (long)value));
            listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Count(instrument, value));
            listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Count(instrument, value));
            listener.Start();
        }

        public Latencies Lateness { get; } = new(16_384);

        public int BurstApplied => (int)Interlocked.Read(ref burstApplied);

        /// <summary>Escalations of the burst recorded while the grains' clock was still before the due instant.</summary>
        public int BurstEarly => (int)Interlocked.Read(ref burstEarly);

        public double FirstLatenessMs => firstLatenessMs;

        public (long StorageWrites, long ReminderTicks, long Escalations) Snapshot() =>
            (Interlocked.Read(ref storageWrites), Interlocked.Read(ref reminderTicks), Interlocked.Read(ref escalations));

        /// <summary>From now on, each escalation is one of the burst, late by the clock's time past <paramref name="due"/>.</summary>
        public void WatchBurst(DateTimeOffset due) => Interlocked.Exchange(ref burstDueTicks, due.UtcTicks);

        /// <summary>Waits until no grain state has been written for <paramref name="quiet"/> (boards flush batched changes every 2 s).</summary>
        public async Task WaitForQuietStorageAsync(TimeSpan quiet, TimeSpan atMost, CancellationToken cancellationToken)
        {
            var limit = Stopwatch.StartNew();
            var last = Snapshot().StorageWrites;
            var still = Stopwatch.StartNew();
            while (still.Elapsed < quiet && limit.Elapsed < atMost)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
                var now = Snapshot().StorageWrites;
                if (now != last)
                {
                    last = now;
                    still.Restart();
                }
            }
        }

        public void Dispose() => listener.Dispose();

        private void Count(Instrument instrument, long value)
        {
            switch (instrument.Name)
            {
                case "orleans-storage-write-latency":
                    Interlocked.Increment(ref storageWrites);
                    break;
                case "orleans-reminders-ticks-delivered":
                    Interlocked.Add(ref reminderTicks, value);
                    break;
                case "dispatch.escalations":
                    Interlocked.Add(ref escalations, value);
                    if (Interlocked.Read(ref burstDueTicks) is var dueTicks and not 0)
                    {
                        var late = (clock.GetUtcNow().UtcTicks - dueTicks) / (double)TimeSpan.TicksPerMillisecond;
                        if (Interlocked.Increment(ref burstApplied) == 1)
                        {
                            firstLatenessMs = late;
                        }

                        if (late < 0)
                        {
                            Interlocked.Increment(ref burstEarly);
                        }

                        Lateness.Add(late);
                    }

                    break;
            }
        }
    }
}
