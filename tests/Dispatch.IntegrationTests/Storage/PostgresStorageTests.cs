using System.Net;
using Dispatch.Common;
using Dispatch.IntegrationTests.Support;
using Dispatch.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Dispatch.IntegrationTests.Storage;

/// <summary>
/// Our PostgreSQL scripts against the contracts of the Orleans ADO.NET providers (grain storage,
/// reminders, clustering), each booted for real against a throw-away database.
/// </summary>
public sealed class PostgresStorageTests : IAsyncLifetime
{
    private const string Invariant = "Npgsql";

    private PostgresDatabase database = null!;
    private InProcessTestCluster? cluster;

    public async Task InitializeAsync()
    {
        database = await PostgresDatabase.CreateAsync();
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance);
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }

        await database.DisposeAsync();
    }

    // ---------------------------------------------------------------- grain storage

    [Theory]
    [InlineData("keep-1")]
    [InlineData("delete-1")]
    public async Task Write_read_update_clear_and_write_again_through_the_provider(string key)
    {
        var client = (await Cluster()).Client;
        var deletes = key.StartsWith("delete", StringComparison.Ordinal);
        var stateName = deletes ? "probe-deleted" : "probe";
        var probe = client.GetGrain<IStorageProbeGrain>(key);

        await probe.Write("first");                 // insert (no version yet)
        await probe.Write("second");                // update of version 1
        await probe.Deactivate();
        Assert.Equal("second", await probe.Read()); // read
        Assert.Equal(new[] { 2 }, await Versions(stateName, key));

        await probe.Clear();                        // clear keeps the row and bumps its version; delete removes it
        int[] afterClear = deletes ? [] : [3];
        Assert.Equal(afterClear, await Versions(stateName, key));
        if (!deletes)
        {
            Assert.True(await database.ScalarAsync<bool>(
                "SELECT PayloadBinary IS NULL FROM OrleansStorage WHERE GrainTypeString = @name AND GrainIdExtensionString = @key;",
                ("name", stateName), ("key", key)));
        }

        await probe.Deactivate();
        Assert.Null(await probe.Read());

        await probe.Write("third");                 // the row's next version, or a new insert after a delete
        await probe.Deactivate();
        Assert.Equal("third", await probe.Read());
        int[] afterWrite = deletes ? [1] : [4];
        Assert.Equal(afterWrite, await Versions(stateName, key));
    }

    [Fact]
    public async Task Stale_writes_and_clears_raise_InconsistentStateException()
    {
        var storage = (await Cluster()).Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>("probe");
        var grain = GrainId.Create("storageprobe", $"conflict-{Guid.NewGuid():N}");
        const string stateName = "direct";

        var current = State("a", eTag: null);
        await storage.WriteStateAsync(stateName, grain, current);
        Assert.Equal("1", current.ETag);
        var stale = State("stale", current.ETag);

        current.State = new StorageProbeGrain.State { Value = "b" };
        await storage.WriteStateAsync(stateName, grain, current);
        Assert.Equal("2", current.ETag);

        // An update at an old version, and a first write where a row exists, change nothing.
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grain, stale));
        Assert.Contains("Version conflict", conflict.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(stateName, grain, State("first again", eTag: null)));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(stateName, grain, State("stale", "1")));

        var read = State(null, eTag: null);
        await storage.ReadStateAsync(stateName, grain, read);
        Assert.Equal(("b", "2", true), (read.State?.Value, read.ETag, read.RecordExists));

        // Clear keeps the row (payload NULL) and moves the version on; the next write continues from it.
        await storage.ClearStateAsync(stateName, grain, read);
        Assert.Equal("3", read.ETag);
        var cleared = State("ignored", eTag: null);
        await storage.ReadStateAsync(stateName, grain, cleared);
        Assert.Equal(("3", false), (cleared.ETag, cleared.RecordExists));
        cleared.State = new StorageProbeGrain.State { Value = "c" };
        await storage.WriteStateAsync(stateName, grain, cleared);
        Assert.Equal("4", cleared.ETag);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'direct';"));
    }

    [Fact]
    public async Task Racing_first_writes_and_racing_updates_have_exactly_one_winner()
    {
        var storage = (await Cluster()).Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>("probe");
        var grain = GrainId.Create("storageprobe", $"race-{Guid.NewGuid():N}");
        const string stateName = "race";

        async Task<bool> Attempt(Func<Task> write)
        {
            try
            {
                await write();
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }

        var firsts = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Attempt(() => storage.WriteStateAsync(stateName, grain, State($"first-{i}", eTag: null))))));
        Assert.Single(firsts, won => won);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'race';"));

        var updates = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Attempt(() => storage.WriteStateAsync(stateName, grain, State($"update-{i}", "1"))))));
        Assert.Single(updates, won => won);
        Assert.Equal(new[] { 2 }, await Versions(stateName, grain.Key.ToString()));
    }

    [Fact]
    public async Task String_keys_that_look_like_numbers_do_not_share_a_row()
    {
        var client = (await Cluster()).Client;

        // The provider stores "123" and "0123" (or "cafe" and "CAFE") under one numeric key; our prefixes prevent that.
        foreach (var (one, other) in new[] { ("123", "0123"), ("cafe", "CAFE") })
        {
            await client.GetGrain<IStorageProbeGrain>(GrainKeys.Account(one)).Write(one);
            await client.GetGrain<IStorageProbeGrain>(GrainKeys.Account(other)).Write(other);
            await client.GetGrain<IStorageProbeGrain>(GrainKeys.Account(one)).Deactivate();
            Assert.Equal(one, await client.GetGrain<IStorageProbeGrain>(GrainKeys.Account(one)).Read());
        }

        Assert.Equal(4L, await database.ScalarAsync<long>("SELECT count(DISTINCT GrainIdExtensionString) FROM OrleansStorage WHERE GrainTypeString = 'probe';"));
    }

    [Fact]
    public async Task The_persistence_identity_is_unique_even_with_a_null_extension_and_fits_the_longest_strings()
    {
        const string insert = """
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, Version)
            VALUES (1, 2, 3, 4, @type, @extension, @service, '\x00', 1);
            """;
        await database.ExecuteAsync(insert, ("type", "state"), ("extension", null), ("service", "svc"));
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() =>
            database.ExecuteAsync(insert, ("type", "state"), ("extension", null), ("service", "svc")));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);

        // Another extension, state name or service is another identity.
        await database.ExecuteAsync(insert, ("type", "state"), ("extension", "x"), ("service", "svc"));
        await database.ExecuteAsync(insert, ("type", "other"), ("extension", null), ("service", "svc"));
        await database.ExecuteAsync(insert, ("type", "state"), ("extension", null), ("service", "svc2"));

        // The longest identity the columns allow, in incompressible four-byte characters (6 KiB of
        // text, more than a B-tree entry can hold), is still unique.
        var random = new Random(6);
        string Long() => string.Concat(Enumerable.Range(0, 256).Select(_ => char.ConvertFromUtf32(random.Next(0x20000, 0x2A6DF))));
        var (type, extension, service) = (Long(), Long(), Long()[..150]);
        Assert.Equal(512, type.Length);
        await database.ExecuteAsync(insert, ("type", type), ("extension", extension), ("service", service));
        var longDuplicate = await Assert.ThrowsAsync<PostgresException>(() =>
            database.ExecuteAsync(insert, ("type", type), ("extension", extension), ("service", service)));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, longDuplicate.SqlState);
    }

    // ---------------------------------------------------------------- reminders

    [Fact]
    public async Task Every_reminder_query_works_through_the_provider()
    {
        var table = (await Cluster()).Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();
        var (first, second) = await ReminderTableContract.VerifyEveryQuery(table);

        // Our PostgreSQL upsert numbers versions from 0, as the reference scripts do.
        Assert.Equal(("0", "1"), (first, second));
    }

    [Fact]
    public async Task Reminder_ranges_follow_the_ring_across_the_signed_boundary()
    {
        var testCluster = await Cluster();
        var table = testCluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();

        // Rows at chosen hashes (the provider computes them from the grain id; here we place them).
        int[] hashes = [int.MinValue, -1, 0, 1, int.MaxValue];
        foreach (var hash in hashes)
        {
            await database.ExecuteAsync("""
                INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
                VALUES (@service, @grain, 'ring', now(), 60000, @hash, 0);
                """, ("service", testCluster.Options.ServiceId), ("grain", $"ringprobe/h{hash}"), ("hash", hash));
        }

        async Task<int[]> InRange(uint begin, uint end) =>
            (await table.ReadRows(begin, end)).Reminders.Select(r => int.Parse(r.GrainId.Key.ToString()![1..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray();

        // (begin, end] on the unsigned ring; the provider picks the query by the signed order.
        Assert.Equal(new[] { 1 }, await InRange(0, 1));                                              // plain
        Assert.Equal(new[] { -1, 0, 1, int.MaxValue }, await InRange(0x8000_0000, 0x7FFF_FFFF));    // plain when signed, wraps when unsigned
        Assert.Equal(new[] { int.MinValue }, await InRange(0x7FFF_FFFF, 0x8000_0000));              // wraps when signed
        Assert.Equal(new[] { 0 }, await InRange(0xFFFF_FFFF, 0));                                    // plain when signed (-1, 0]
        Assert.Equal(new[] { int.MinValue, -1, 0, int.MaxValue }, await InRange(1, 0));              // wraps
        Assert.Equal(hashes, await InRange(5, 5));                                           // begin = end: the whole ring
    }

    // ---------------------------------------------------------------- clustering

    [Fact]
    public async Task Every_membership_query_works_through_the_provider()
    {
        var clusterId = $"cluster-{Guid.NewGuid():N}";
        var table = await MembershipTable(clusterId);

        // The version row: created once, and creating it again (or racing to) is no error.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await MembershipTable(clusterId))));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansMembershipVersionTable WHERE DeploymentId = @id;", ("id", clusterId)));

        var empty = await table.ReadAllAsync();
        Assert.Empty(empty.Members);
        Assert.Equal(("0", 0), (empty.Version.VersionEtag, empty.Version.Version));

        // Insert: at the version read, once.
        var now = Now();
        var active = Entry(11111, SiloStatus.Active, proxyPort: 30000, now);
        Assert.True(await table.InsertRowAsync(active, empty.Version.Next()));
        Assert.False(await table.InsertRowAsync(Entry(11112, SiloStatus.Joining, 30001, now), empty.Version.Next())); // stale version
        var afterInsert = await table.ReadAllAsync();
        Assert.Equal("1", afterInsert.Version.VersionEtag);
        Assert.False(await table.InsertRowAsync(active, afterInsert.Version.Next()));                                // already a member
        Assert.Equal("1", (await table.ReadAllAsync()).Version.VersionEtag);                                         // nothing changed

        var joining = Entry(11112, SiloStatus.Joining, proxyPort: 30001, now);
        var quiet = Entry(11113, SiloStatus.Active, proxyPort: 0, now);
        Assert.True(await table.InsertRowAsync(joining, afterInsert.Version.Next()));
        Assert.True(await table.InsertRowAsync(quiet, (await table.ReadAllAsync()).Version.Next()));

        // Read all and read one: every column round-trips; an absent silo still gives the version.
        var all = await table.ReadAllAsync();
        Assert.Equal("3", all.Version.VersionEtag);
        Assert.Equal(3, all.Members.Count);
        Assert.All(all.Members, m => Assert.Equal("3", m.Item2));
        var read = Assert.Single(all.Members, m => m.Item1.SiloAddress.Equals(active.SiloAddress)).Item1;
        Assert.Equal((active.SiloName, active.HostName, SiloStatus.Active, 30000, now, now),
            (read.SiloName, read.HostName, read.Status, read.ProxyPort, read.StartTime, read.IAmAliveTime));
        var one = await table.ReadRowAsync(joining.SiloAddress);
        Assert.Equal(joining.SiloAddress, Assert.Single(one.Members).Item1.SiloAddress);
        var absent = await table.ReadRowAsync(SiloAddress.New(IPAddress.Loopback, 1, 1));
        Assert.Empty(absent.Members);
        Assert.Equal("3", absent.Version.VersionEtag);

        // Update: only at the current version, only an existing member.
        joining.Status = SiloStatus.Active;
        joining.SuspectTimes = [Tuple.Create(active.SiloAddress, now)];
        Assert.False(await table.UpdateRowAsync(joining, "2", new TableVersion(3, "2")));                            // stale version
        Assert.False(await table.UpdateRowAsync(Entry(11119, SiloStatus.Active, 0, now), "3", all.Version.Next())); // not a member
        Assert.Equal("3", (await table.ReadAllAsync()).Version.VersionEtag);
        Assert.True(await table.UpdateRowAsync(joining, "3", all.Version.Next()));
        var updated = Assert.Single((await table.ReadRowAsync(joining.SiloAddress)).Members);
        Assert.Equal("4", updated.Item2);
        Assert.Equal(SiloStatus.Active, updated.Item1.Status);
        Assert.Equal(active.SiloAddress, Assert.Single(updated.Item1.SuspectTimes ?? []).Item1);

        // Heartbeat: the time moves, the version does not.
        active.IAmAliveTime = now.AddSeconds(30);
        await table.UpdateIAmAliveAsync(active);
        var beat = await table.ReadRowAsync(active.SiloAddress);
        Assert.Equal(("4", now.AddSeconds(30)), (beat.Version.VersionEtag, Assert.Single(beat.Members).Item1.IAmAliveTime));

        // Gateways, as a client sees them: active silos that have a gateway port.
        var gateways = await (await GatewayList(clusterId)).GetGatewaysAsync();
        Assert.Equal(
            new[] { SiloAddress.New(IPAddress.Loopback, 30000, 42), SiloAddress.New(IPAddress.Loopback, 30001, 42) }.Select(s => s.ToGatewayUri().ToString()),
            gateways.Select(g => g.ToString()).Order(StringComparer.Ordinal));

        // Racing inserts at one version: exactly one wins.
        var version = (await table.ReadAllAsync()).Version;
        var racers = Enumerable.Range(0, 8).Select(i => Entry(12000 + i, SiloStatus.Joining, 0, now)).ToArray();
        var inserted = await Task.WhenAll(racers.Select(r => Task.Run(() => table.InsertRowAsync(r, version.Next()))));
        Assert.Single(inserted, won => won);
        Assert.Equal("5", (await table.ReadAllAsync()).Version.VersionEtag);

        // Delete: the cluster's members and its version row.
        await table.DeleteMembershipTableEntriesAsync(clusterId);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansMembershipVersionTable WHERE DeploymentId = @id;", ("id", clusterId)));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = @id;", ("id", clusterId)));
        var gone = await table.ReadAllAsync();
        Assert.Empty(gone.Members);
    }

    [Theory]
    [InlineData(true)]  // the provider reads the table and removes each defunct silo with CleanupDefunctSiloEntryKey
    [InlineData(false)] // without that key, it runs CleanupDefunctSiloEntriesKey
    public async Task Cleanup_removes_only_old_dead_unsuspected_silos(bool perEntry)
    {
        // Each case disables the other query, so it shows which one did the work (the providers read
        // the queries when they start).
        if (perEntry)
        {
            await database.ExecuteAsync("UPDATE OrleansQuery SET QueryText = 'SELECT 1 / 0;' WHERE QueryKey = 'CleanupDefunctSiloEntriesKey';");
        }
        else
        {
            await database.ExecuteAsync("DELETE FROM OrleansQuery WHERE QueryKey = 'CleanupDefunctSiloEntryKey';");
        }

        var clusterId = $"cleanup-{Guid.NewGuid():N}";
        var table = await MembershipTable(clusterId);
        var now = Now();
        var old = now.AddHours(-2);
        var cutoff = now.AddHours(-1);

        var deadOld = Entry(13001, SiloStatus.Dead, 0, old);
        var deadOldSuspectedLongAgo = Entry(13002, SiloStatus.Dead, 0, old);
        deadOldSuspectedLongAgo.SuspectTimes = [Tuple.Create(deadOld.SiloAddress, old.AddMinutes(1)), Tuple.Create(deadOld.SiloAddress, old.AddMinutes(2))];
        var deadOldSuspectedRecently = Entry(13003, SiloStatus.Dead, 0, old);
        deadOldSuspectedRecently.SuspectTimes = [Tuple.Create(deadOld.SiloAddress, old), Tuple.Create(deadOld.SiloAddress, now)];
        var deadRecent = Entry(13004, SiloStatus.Dead, 0, old);
        deadRecent.IAmAliveTime = now;
        var activeOld = Entry(13005, SiloStatus.Active, 30000, old);
        var shuttingDownOld = Entry(13006, SiloStatus.ShuttingDown, 0, old);

        foreach (var entry in new[] { deadOld, deadOldSuspectedLongAgo, deadOldSuspectedRecently, deadRecent, activeOld, shuttingDownOld })
        {
            var status = entry.Status;
            entry.Status = SiloStatus.Joining;
            var version = (await table.ReadAllAsync()).Version;
            Assert.True(await table.InsertRowAsync(entry, version.Next()));
            entry.Status = status;
            var inserted = (await table.ReadAllAsync()).Version;
            Assert.True(await table.UpdateRowAsync(entry, inserted.VersionEtag, inserted.Next()));
        }

        var before = (await table.ReadAllAsync()).Version;
        await table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(cutoff));

        var left = (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order().ToArray();
        Assert.Equal([13003, 13004, 13005, 13006], left);
        Assert.Equal(before.VersionEtag, (await table.ReadAllAsync()).Version.VersionEtag); // cleanup is not a membership change
    }

    [Fact]
    public async Task Two_silos_and_a_client_form_a_cluster_through_the_membership_table()
    {
        var clusterId = $"hosts-{Guid.NewGuid():N}";
        var hosts = new List<IHost>();
        try
        {
            // Two silo hosts as Dispatch runs them in cluster mode, then a client that finds them as gateways.
            foreach (var _ in new[] { 1, 2 })
            {
                var silo = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
                silo.UseOrleans(builder =>
                {
                    builder.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "dispatch-test"));
                    builder.ConfigureEndpoints(IPAddress.Loopback, FreePorts.Next(), FreePorts.Next());
                    builder.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (Invariant, database.ConnectionString));
                    ConfigureStorage(builder);
                });
                hosts.Add(silo.Build());
                await hosts[^1].StartAsync();
            }

            var clientBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            clientBuilder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "dispatch-test"));
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (Invariant, database.ConnectionString));
            });
            var clientHost = clientBuilder.Build();
            hosts.Insert(0, clientHost);
            await clientHost.StartAsync();

            const string ActiveGateways = "SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = @id AND Status = 3 AND ProxyPort > 0;";
            Assert.Equal(2L, await database.ScalarAsync<long>(ActiveGateways, ("id", clusterId)));
            var probe = clientHost.Services.GetRequiredService<IClusterClient>().GetGrain<IStorageProbeGrain>("clustered");
            await probe.Write("through a gateway");
            Assert.Equal("through a gateway", await probe.Read());

            // A silo that stops says so in the table: its row ends Dead, the other stays Active and serves.
            var leaving = hosts[^1];
            var address = leaving.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            await leaving.StopAsync();
            var status = await Eventually.Get(
                () => database.ScalarAsync<int>(
                    "SELECT Status FROM OrleansMembershipTable WHERE DeploymentId = @id AND Port = @port AND Generation = @generation;",
                    ("id", clusterId), ("port", address.Endpoint.Port), ("generation", address.Generation)),
                until: s => s == (int)SiloStatus.Dead);
            Assert.Equal((int)SiloStatus.Dead, status);
            Assert.Equal(1L, await database.ScalarAsync<long>(ActiveGateways, ("id", clusterId)));
            Assert.Equal("through a gateway", await probe.Read());
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                host.Dispose();
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>One silo with our grain storage and reminders on this database (started on first use).</summary>
    private async Task<InProcessTestCluster> Cluster()
    {
        if (cluster is null)
        {
            var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
            builder.ConfigureSilo((_, silo) =>
            {
                ConfigureStorage(silo);
                silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (Invariant, database.ConnectionString));
            });
            cluster = builder.Build();
            await cluster.DeployAsync();
        }

        return cluster;
    }

    /// <summary>The probe grain's two storages, serialized as Dispatch does (Orleans' binary serializer).</summary>
    private void ConfigureStorage(ISiloBuilder silo)
    {
        foreach (var (name, deleteOnClear) in new[] { ("probe", false), ("probe-delete", true) })
        {
            silo.AddAdoNetGrainStorage(name, o =>
            {
                o.Invariant = Invariant;
                o.ConnectionString = database.ConnectionString;
                o.DeleteStateOnClear = deleteOnClear;
            });
            silo.Services.AddOptions<AdoNetGrainStorageOptions>(name)
                .Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        }
    }

    /// <summary>The real ADO.NET membership table of a silo of <paramref name="clusterId"/>, initialized (which creates the version row).</summary>
    private async Task<IMembershipTable> MembershipTable(string clusterId)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "dispatch-test"))
            .Configure<AdoNetClusteringSiloOptions>(o => (o.Invariant, o.ConnectionString) = (Invariant, database.ConnectionString))
            .BuildServiceProvider();
        var table = ActivatorUtilities.CreateInstance<AdoNetClusteringTable>(services);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    /// <summary>The real ADO.NET gateway list of a client of <paramref name="clusterId"/>.</summary>
    private async Task<AdoNetGatewayListProvider> GatewayList(string clusterId)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "dispatch-test"))
            .Configure<GatewayOptions>(_ => { })
            .Configure<AdoNetClusteringClientOptions>(o => (o.Invariant, o.ConnectionString) = (Invariant, database.ConnectionString))
            .BuildServiceProvider();
        var provider = ActivatorUtilities.CreateInstance<AdoNetGatewayListProvider>(services);
        await provider.InitializeGatewayListProviderAsync();
        return provider;
    }

    private static MembershipEntry Entry(int port, SiloStatus status, int proxyPort, DateTime time) => new()
    {
        SiloAddress = SiloAddress.New(IPAddress.Loopback, port, 42),
        SiloName = $"silo-{port}",
        HostName = "host-a",
        Status = status,
        ProxyPort = proxyPort,
        StartTime = time,
        IAmAliveTime = time,
    };

    /// <summary>Now, to the millisecond (what every layer round-trips exactly).</summary>
    private static DateTime Now()
    {
        var now = DateTime.UtcNow;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    private static GrainState<StorageProbeGrain.State> State(string? value, string? eTag) =>
        new(new StorageProbeGrain.State { Value = value }, eTag!) { RecordExists = eTag is not null };

    /// <summary>The versions of the rows of one state name and string key.</summary>
    private async Task<int[]> Versions(string stateName, string key) =>
        (await database.RowsAsync(
            "SELECT Version FROM OrleansStorage WHERE GrainTypeString = @name AND GrainIdExtensionString = @key ORDER BY Version;",
            ("name", stateName), ("key", key)))
        .Select(row => (int)row[0]!)
        .ToArray();
}
