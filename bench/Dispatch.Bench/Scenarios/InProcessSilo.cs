using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Dispatch.Bench.Infrastructure;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.Silo.Hosting;
using Dispatch.Volunteers;
using Microsoft.Data.Sqlite;

namespace Dispatch.Bench.Scenarios;

/// <summary>
/// Dispatch's own silo (<see cref="SiloHostingExtensions.AddDispatchSilo"/>: SQLite grain storage and
/// reminders, the dashboard, the grains) hosted in this process on a throw-away data folder, so that
/// the memory and deadline scenarios can read this process's heap, RSS, CPU and I/O as the silo's.
/// The world is set up through the grains, with the same messages the API sends.
/// </summary>
internal sealed class InProcessSilo : IAsyncDisposable
{
    public const int RequestsPerCommunity = 100;
    public const int CommunitiesPerTown = 100;

    private static readonly Actor Admin = new("admin", AccountRole.Admin);
    private static readonly ImmutableArray<string> Categories = ["goods"];
    private static readonly Beneficiary Resident = new("Bench Resident", "138-0000-0000", null);

    private readonly IHost host;
    private readonly string dataDir;

    private InProcessSilo(IHost host, string dataDir)
    {
        this.host = host;
        this.dataDir = dataDir;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory Grains { get; }

    public IServiceProvider Services => host.Services;

    /// <summary>The SQLite file's folder (grain state and reminders).</summary>
    public string DataDir => dataDir;

    /// <summary>
    /// Where the SQLite file goes by default: tmpfs when the machine has one. Every commit of the
    /// ADO.NET provider waits for an fsync on a disk (about 7 ms each on this project's machines,
    /// three commits per new request), which would make a million requests take days to set up;
    /// what these scenarios measure (memory, CPU while idle, timers) does not depend on it.
    /// </summary>
    public static string DefaultDataRoot => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    public static async Task<InProcessSilo> StartAsync(
        string? dataRoot,
        IReadOnlyDictionary<string, string?> settings,
        Action<IServiceCollection>? configure,
        CancellationToken cancellationToken)
    {
        var dataDir = Path.Combine(Path.GetFullPath(dataRoot ?? DefaultDataRoot), $"dispatch-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDir);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            // No appsettings or environment variables: the run is the same on every machine.
            DisableDefaults = true,
            ContentRootPath = dataDir,
            EnvironmentName = "Production",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Dispatch:DataDir"] = dataDir,
            ["Dispatch:Orleans:SiloPort"] = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture),
            ["Dispatch:Orleans:GatewayPort"] = ChildProcess.FreePort().ToString(CultureInfo.InvariantCulture),
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);

        // Microsoft.Data.Sqlite completes its "async" calls synchronously, so a grain turn waiting
        // for SQLite's single writer holds its thread: under a bulk load Orleans warns of every
        // turn over a second and of a stalled thread pool. Expected here; it would drown the output.
        builder.Logging.AddFilter("Orleans.Runtime.Scheduler.WorkItemGroup", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.MembershipService.LocalSiloHealthMonitor", LogLevel.Error);
        builder.AddDispatchSilo();
        configure?.Invoke(builder.Services);

        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new InProcessSilo(host, dataDir);
    }

    /// <summary>A region, a county, towns of <see cref="CommunitiesPerTown"/> communities each (a town rewrites its list of children on each new one).</summary>
    public async Task CreatePlacesAsync(int communities, CancellationToken cancellationToken)
    {
        await CreatePlaceAsync(new NewPlace(DispatchClient.RegionId, "Bench Region", PlaceKind.Region, null));
        await CreatePlaceAsync(new NewPlace(DispatchClient.CountyId, "Bench County", PlaceKind.County, DispatchClient.RegionId));
        var towns = (communities + CommunitiesPerTown - 1) / CommunitiesPerTown;
        for (var t = 0; t < towns; t++)
        {
            await CreatePlaceAsync(new NewPlace(TownId(t), $"Bench Town {t}", PlaceKind.Town, DispatchClient.CountyId));
        }

        await LoadDriver.RunAsync(communities, 8, c => CreatePlaceAsync(
            new NewPlace(DispatchClient.CommunityId(c), $"Bench Community {c}", PlaceKind.Community, TownId(c / CommunitiesPerTown))));
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>One volunteer per community, registered as the web host's AccountRegistration does (the account itself, with its password hash, plays no part in a claim).</summary>
    public Task CreateVolunteersAsync(int communities) =>
        LoadDriver.RunAsync(communities, 8, async c =>
        {
            var username = DispatchClient.VolunteerName(c, 0);
            var communityId = DispatchClient.CommunityId(c);
            await Grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username))
                .Register(new VolunteerProfile(username, $"Volunteer {c}", communityId, []));
            await Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(communityId)).RegisterVolunteer(username);
        });

    /// <summary>
    /// Creates requests <c>from</c> to <c>ids.Length - 1</c> through <see cref="IRequestGrain.Create"/>
    /// with the message the API sends; request <c>i</c> goes to community <c>i % communities</c>
    /// (spread, so that concurrent creations rarely meet at one board). Once <paramref name="stop"/>
    /// says so, the rest are left out (<c>created[i]</c> stays false). Returns how many were created and the wall time.
    /// </summary>
    public async Task<(int Created, TimeSpan Elapsed)> CreateRequestsAsync(
        Guid[] ids, bool[] created, int from, int communities, RequestKind kind, Urgency urgency, int concurrency,
        Func<bool>? stop, CancellationToken cancellationToken)
    {
        var count = 0;
        var failures = 0;
        string? failure = null;
        var elapsed = await LoadDriver.RunAsync(ids.Length - from, concurrency, async n =>
        {
            var i = from + n;
            if (cancellationToken.IsCancellationRequested || stop?.Invoke() == true)
            {
                return;
            }

            var spec = new NewRequest(DispatchClient.CommunityId(i % communities), kind, $"Wish {i}", null, Categories, urgency, 1, 10, Resident);
            var outcome = await Grains.GetGrain<IRequestGrain>(ids[i]).Create(spec, Admin);
            if (outcome.Succeeded)
            {
                created[i] = true;
                Interlocked.Increment(ref count);
            }
            else
            {
                Interlocked.Increment(ref failures);
                failure = outcome.Failure?.ToString();
            }
        }, new Progress<int>(done => Report.Progress($"  {from + done:N0} of {ids.Length:N0} requests created")));
        cancellationToken.ThrowIfCancellationRequested();
        return failures == 0 ? (count, elapsed) : throw new InvalidOperationException($"{failures} requests were not created: {failure}");
    }

    /// <summary>How many request grains are active in this silo now.</summary>
    public async Task<int> ActiveRequestGrainsAsync()
    {
        var statistics = await Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains(nameof(RequestGrain), StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await host.StopAsync(timeout.Token);
        }
        finally
        {
            host.Dispose();
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still open: the temp folder is cleaned by the system.
            }
        }
    }

    private static string TownId(int town) => town == 0 ? DispatchClient.TownId : $"{DispatchClient.TownId}-{town}";

    private async Task CreatePlaceAsync(NewPlace place)
    {
        var outcome = await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(place.Id)).Create(place);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"Place {place.Id}: {outcome.Failure}");
        }
    }
}

/// <summary>This process's memory after a full, blocking, compacting collection.</summary>
internal readonly record struct MemoryReading(long HeapBytes, long RssBytes)
{
    public static MemoryReading Take()
    {
        // Twice, with finalizers run between, so that what finalizers released is gone too; the
        // large object heap is compacted as well, so both figures count live data, not holes.
        for (var i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        using var self = Process.GetCurrentProcess();
        return new MemoryReading(GC.GetTotalMemory(forceFullCollection: false), self.WorkingSet64);
    }

    public static MemoryReading operator -(MemoryReading after, MemoryReading before) =>
        new(after.HeapBytes - before.HeapBytes, after.RssBytes - before.RssBytes);
}
