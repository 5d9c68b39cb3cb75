using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dispatch.IntegrationTests.Support;
using Dispatch.Silo.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dispatch.IntegrationTests.Storage;

/// <summary>The PostgreSQL migrator: idempotent, upgrades in place without loss, refuses a newer database, safe when silos start together.</summary>
public sealed class PostgresSchemaTests : IAsyncLifetime
{
    private const string Applied = "SELECT script, checksum, appliedon FROM dispatchschema ORDER BY script;";

    private PostgresDatabase database = null!;

    public async Task InitializeAsync() => database = await PostgresDatabase.CreateAsync();

    public async Task DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public void The_scripts_are_the_five_embedded_ones_in_order()
    {
        Assert.Equal(["0001-grain-storage.sql", "0002-reminders.sql", "0003-clustering.sql", "0010-query-store.sql", "0011-query-resident-rating.sql"], PostgresSchema.Scripts);
    }

    [Fact]
    public async Task Applying_twice_changes_nothing()
    {
        Assert.Equal(PostgresSchema.Scripts.Count, await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance));
        var recorded = await database.RowsAsync(Applied);
        Assert.Equal(PostgresSchema.Scripts, recorded.Select(r => (string)r[0]!));
        Assert.Equal(21L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansQuery;")); // 4 storage, 7 reminder, 10 membership queries.
        await WriteDataAsync();
        var data = await DataAsync();
        var queries = await database.RowsAsync("SELECT QueryKey, QueryText FROM OrleansQuery ORDER BY QueryKey;");

        var log = new ListLogger();
        Assert.Equal(PostgresSchema.Scripts.Count, await PostgresSchema.ApplyAsync(database.ConnectionString, log));

        Assert.Equal(recorded, await database.RowsAsync(Applied)); // same checksums, same appliedon: nothing ran
        Assert.Equal(data, await DataAsync());
        Assert.Equal(queries, await database.RowsAsync("SELECT QueryKey, QueryText FROM OrleansQuery ORDER BY QueryKey;"));
        Assert.Empty(log.Messages);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database());"));
    }

    [Fact]
    public async Task A_database_with_only_the_first_script_is_upgraded_without_loss()
    {
        // What an older build left: the bookkeeping table and 0001 (with its true checksum), and grain state in it.
        var first = PostgresSchema.Scripts[0];
        await database.ExecuteAsync("""
            CREATE TABLE dispatchschema (script text NOT NULL PRIMARY KEY, checksum text NOT NULL, appliedon timestamptz NOT NULL);
            """);
        await database.ExecuteAsync(ScriptText(first));
        await database.ExecuteAsync(
            "INSERT INTO dispatchschema (script, checksum, appliedon) VALUES (@script, @checksum, '2026-01-01T00:00:00Z');",
            ("script", first), ("checksum", Checksum(first)));
        await WriteGrainRowAsync();
        var grains = await database.RowsAsync("SELECT * FROM OrleansStorage ORDER BY GrainIdHash;");

        var log = new ListLogger();
        await PostgresSchema.ApplyAsync(database.ConnectionString, log);

        var recorded = await database.RowsAsync(Applied);
        Assert.Equal(PostgresSchema.Scripts, recorded.Select(r => (string)r[0]!));
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), recorded[0][2]); // 0001 was not run again
        Assert.Equal(
            [
                "Applied PostgreSQL schema script 0002-reminders.sql", "Applied PostgreSQL schema script 0003-clustering.sql",
                "Applied PostgreSQL schema script 0010-query-store.sql", "Applied PostgreSQL schema script 0011-query-resident-rating.sql",
            ],
            log.Messages);
        Assert.Equal(grains, await database.RowsAsync("SELECT * FROM OrleansStorage ORDER BY GrainIdHash;"));
        Assert.Equal(21L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansQuery;"));
    }

    [Fact]
    public async Task A_changed_script_is_applied_again_and_keeps_every_row()
    {
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance);
        await WriteDataAsync();
        var data = await DataAsync();

        // An older text of every script, and a query it got wrong.
        await database.ExecuteAsync("UPDATE OrleansQuery SET QueryText = 'broken' WHERE QueryKey IN ('ReadFromStorageKey', 'ReadRangeRows2Key', 'MembershipReadAllKey');");
        await database.ExecuteAsync("UPDATE dispatchschema SET checksum = 'older', appliedon = '2026-01-01T00:00:00Z';");

        var log = new ListLogger();
        await PostgresSchema.ApplyAsync(database.ConnectionString, log);

        Assert.Equal(PostgresSchema.Scripts.Select(s => $"Re-applied PostgreSQL schema script {s}, whose text changed"), log.Messages);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansQuery WHERE QueryText = 'broken';"));
        var recorded = await database.RowsAsync(Applied);
        Assert.Equal(PostgresSchema.Scripts.Select(Checksum), recorded.Select(r => (string)r[1]!));
        Assert.All(recorded, r => Assert.True((DateTime)r[2]! > new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(data, await DataAsync());
    }

    [Fact]
    public async Task A_database_upgraded_by_a_newer_build_is_refused_untouched()
    {
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance);
        await database.ExecuteAsync("INSERT INTO dispatchschema (script, checksum, appliedon) VALUES ('9999-from-the-future.sql', 'x', now());");
        await database.ExecuteAsync("UPDATE dispatchschema SET checksum = 'older' WHERE script = '0002-reminders.sql';");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance));

        Assert.Contains("9999-from-the-future.sql", refused.Message, StringComparison.Ordinal);
        Assert.Equal("older", await database.ScalarAsync<string>("SELECT checksum FROM dispatchschema WHERE script = '0002-reminders.sql';"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database());"));
    }

    [Fact]
    public async Task Silos_starting_together_apply_each_script_once()
    {
        var log = new ListLogger();
        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => PostgresSchema.ApplyAsync(database.ConnectionString, log))));

        Assert.All(versions, v => Assert.Equal(PostgresSchema.Scripts.Count, v));
        Assert.Equal(PostgresSchema.Scripts.Select(s => $"Applied PostgreSQL schema script {s}"), log.Messages.Order(StringComparer.Ordinal));
        Assert.Equal(PostgresSchema.Scripts, (await database.RowsAsync(Applied)).Select(r => (string)r[0]!));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database());"));
    }

    /// <summary>A grain's state, a reminder and a cluster member, written as the providers write them.</summary>
    private async Task WriteDataAsync()
    {
        await WriteGrainRowAsync();
        await database.ExecuteAsync("""
            INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
            VALUES ('dispatch', 'request/0123456789abcdef0123456789abcdef', 'deadlines', '2026-11-29T09:00:00Z', 60000, -5, 3);
            INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version) VALUES ('dispatch', now(), 7);
            INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime)
            VALUES ('dispatch', '127.0.0.1', 11111, 42, 'silo-1', 'host-a', 3, 30000, NULL, '2026-11-29T09:00:00Z', '2026-11-29T09:00:30Z');
            """);
    }

    private Task WriteGrainRowAsync() => database.ExecuteAsync("""
        INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        VALUES (11, 0, 0, 22, 'request', 'acct:li', 'dispatch', '\x0102', '2026-11-29T09:00:00Z', 5);
        """);

    private async Task<List<object?[]>> DataAsync()
    {
        var rows = new List<object?[]>();
        rows.AddRange(await database.RowsAsync("SELECT * FROM OrleansStorage ORDER BY GrainIdHash;"));
        rows.AddRange(await database.RowsAsync("SELECT * FROM OrleansRemindersTable ORDER BY GrainId;"));
        rows.AddRange(await database.RowsAsync("SELECT * FROM OrleansMembershipVersionTable ORDER BY DeploymentId;"));
        rows.AddRange(await database.RowsAsync("SELECT * FROM OrleansMembershipTable ORDER BY Port;"));
        Assert.Equal(4, rows.Count);
        return rows;
    }

    private static string ScriptText(string script)
    {
        using var stream = typeof(PostgresSchema).Assembly.GetManifestResourceStream($"Dispatch.Silo.Storage.PostgreSql.{script}")
            ?? throw new InvalidOperationException($"No embedded script {script}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    private static string Checksum(string script) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ScriptText(script))));

    /// <summary>Collects the formatted messages logged (from any thread).</summary>
    private sealed class ListLogger : ILogger
    {
        private readonly ConcurrentQueue<string> messages = new();

        public IReadOnlyList<string> Messages => messages.ToArray();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));
    }
}
