using Dispatch.Common;
using Dispatch.IntegrationTests.Support;
using Dispatch.Silo.Hosting;
using Dispatch.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Dispatch.IntegrationTests.Storage;

/// <summary>Our SQLite schema against the contract of the Orleans ADO.NET persistence provider.</summary>
public sealed class SqliteStorageTests : IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private InProcessTestCluster cluster = null!;

    private string ConnectionString => new DispatchStorageOptions { DataDir = directory.Path }.SqliteConnectionString;

    public async Task InitializeAsync()
    {
        await SqliteSchema.ApplyAsync(ConnectionString, NullLogger.Instance);
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAdoNetGrainStorage("probe", o =>
            {
                o.Invariant = DispatchStorageOptions.SqliteInvariant;
                o.ConnectionString = ConnectionString;
            });
            silo.AddAdoNetGrainStorage("probe-delete", o =>
            {
                o.Invariant = DispatchStorageOptions.SqliteInvariant;
                o.ConnectionString = ConnectionString;
                o.DeleteStateOnClear = true;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = DispatchStorageOptions.SqliteInvariant;
                o.ConnectionString = ConnectionString;
            });
        });
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        directory.Dispose();
    }

    [Theory]
    [InlineData("keep-1")]
    [InlineData("delete-1")]
    public async Task Write_read_update_clear_and_write_again_through_the_provider(string key)
    {
        var probe = cluster.Client.GetGrain<IStorageProbeGrain>(key);
        await probe.Write("first");                 // insert (no version yet)
        await probe.Write("second");                // update of version 1
        await probe.Deactivate();
        Assert.Equal("second", await probe.Read()); // read

        await probe.Clear();                        // clear (or delete when DeleteStateOnClear)
        await probe.Deactivate();
        Assert.Null(await probe.Read());

        await probe.Write("third");                 // the row's next version, or a new insert after a delete
        await probe.Deactivate();
        Assert.Equal("third", await probe.Read());
        Assert.Equal(1, await Rows(key.StartsWith("delete", StringComparison.Ordinal) ? "probe-deleted" : "probe"));
    }

    [Fact]
    public async Task Every_reminder_query_works_through_the_provider() =>
        await ReminderTableContract.VerifyEveryQuery(cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>());

    [Fact]
    public async Task String_keys_that_look_like_numbers_do_not_share_a_row()
    {
        // The provider stores "123" and "0123" (or "cafe" and "CAFE") under one numeric key; our prefixes prevent that.
        foreach (var (one, other) in new[] { ("123", "0123"), ("cafe", "CAFE") })
        {
            await cluster.Client.GetGrain<IStorageProbeGrain>(GrainKeys.Account(one)).Write(one);
            await cluster.Client.GetGrain<IStorageProbeGrain>(GrainKeys.Account(other)).Write(other);
            await cluster.Client.GetGrain<IStorageProbeGrain>(GrainKeys.Account(one)).Deactivate();
            Assert.Equal(one, await cluster.Client.GetGrain<IStorageProbeGrain>(GrainKeys.Account(one)).Read());
        }
    }

    [Fact]
    public async Task The_persistence_identity_is_unique_even_with_a_null_extension()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        const string insert = """
            INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
            VALUES (1, 2, 3, 4, 'state', NULL, 'svc', x'00', CURRENT_TIMESTAMP, 1);
            """;
        await Execute(connection, insert);
        var duplicate = await Assert.ThrowsAsync<SqliteException>(() => Execute(connection, insert));
        Assert.Equal(19, duplicate.SqliteErrorCode); // SQLITE_CONSTRAINT
    }

    [Fact]
    public async Task The_schema_applies_once_records_its_version_and_refuses_a_newer_database()
    {
        Assert.Equal(SqliteSchema.Scripts.Count, await SqliteSchema.ApplyAsync(ConnectionString, NullLogger.Instance));
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        Assert.Equal((long)SqliteSchema.Scripts.Count, await Scalar(connection, "SELECT COUNT(*) FROM DispatchSchema;"));
        Assert.Equal("wal", await Scalar(connection, "PRAGMA journal_mode;"));
        Assert.Equal(11L, await Scalar(connection, "SELECT COUNT(*) FROM OrleansQuery;")); // 4 storage, 7 reminder queries.

        // A corrected script reaches an existing database: a changed checksum makes it run again.
        await Execute(connection, "UPDATE OrleansQuery SET QueryText = 'broken' WHERE QueryKey = 'ReadFromStorageKey';");
        await Execute(connection, "UPDATE DispatchSchema SET Checksum = 'old' WHERE Script = '0001-grain-storage.sql';");
        await SqliteSchema.ApplyAsync(ConnectionString, NullLogger.Instance);
        Assert.NotEqual("broken", await Scalar(connection, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey';"));

        await Execute(connection, "INSERT INTO DispatchSchema (Script, Checksum, AppliedOn) VALUES ('9999-from-the-future.sql', 'x', 'now');");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteSchema.ApplyAsync(ConnectionString, NullLogger.Instance));
        Assert.Contains("9999-from-the-future.sql", refused.Message, StringComparison.Ordinal);
        await Execute(connection, "DELETE FROM DispatchSchema WHERE Script = '9999-from-the-future.sql';");
    }

    private async Task<long> Rows(string stateName)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = $name;";
        command.Parameters.AddWithValue("$name", stateName);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
