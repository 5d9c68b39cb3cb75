using System.Data.Common;
using Dispatch.Idempotency;
using Dispatch.Silo.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace Dispatch.Silo.Storage;

/// <summary>
/// Removes the stored answers of <c>Idempotency-Key</c>s older than
/// <see cref="IdempotencyGrain.Retention"/> (24 hours) from the store, on SQLite and PostgreSQL
/// alike: every <see cref="Period"/>, a few minutes after the silo starts, and when called. The
/// age is read from each answer (its <c>CompletedAt</c>, on the silo's clock), and a row is
/// deleted only at the version read, so an answer written meanwhile stays. A grain still in memory
/// whose row went notices at its next use (<see cref="IdempotencyGrain"/> reads its state again).
/// Every silo sweeps; they delete the same rows, at most once.
/// </summary>
public sealed partial class IdempotencySweeper(
    DispatchStorageOptions storage,
    IOptions<ClusterOptions> cluster,
    IOptionsMonitor<AdoNetGrainStorageOptions> storageOptions,
    TimeProvider time,
    SqliteWriteGate gate,
    ILogger<IdempotencySweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    /// <summary>The grain state's name: the provider stores it as the row's grain type.</summary>
    public const string StateName = "idempotency";

    private readonly SemaphoreSlim oneAtATime = new(1, 1);

    /// <summary>Deletes every expired answer now; returns how many rows went.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await oneAtATime.WaitAsync(cancellationToken);
        try
        {
            var serializer = storageOptions.Get(StorageNames.Dispatch).GrainStorageSerializer
                ?? throw new InvalidOperationException("The grain storage has no serializer configured.");
            var cutoff = time.GetUtcNow() - IdempotencyGrain.Retention;
            await using var connection = Open();
            await connection.OpenAsync(cancellationToken);

            var expired = new List<Row>();
            await using (var select = Command(connection,
                "SELECT GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainIdExtensionString, Version, PayloadBinary " +
                "FROM OrleansStorage WHERE GrainTypeString = @type AND ServiceId = @service"))
            {
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var payload = reader.IsDBNull(6) ? null : (byte[])reader.GetValue(6);
                    var completed = payload is null ? null
                        : serializer.Deserialize<IdempotencyGrain.State>(new BinaryData(payload))?.CompletedAt;
                    if (completed is null || completed <= cutoff)
                    {
                        expired.Add(new Row(
                            Long(reader, 0), Long(reader, 1), Long(reader, 2), Long(reader, 3),
                            reader.IsDBNull(4) ? null : reader.GetString(4), Long(reader, 5)));
                    }
                }
            }

            var deleted = 0;
            foreach (var row in expired)
            {
                await using var delete = Command(connection,
                    "DELETE FROM OrleansStorage WHERE GrainIdHash = @hash AND GrainTypeHash = @typeHash AND GrainIdN0 = @n0 AND GrainIdN1 = @n1 " +
                    "AND GrainTypeString = @type AND ServiceId = @service AND Version = @version AND " +
                    (row.Extension is null ? "GrainIdExtensionString IS NULL" : "GrainIdExtensionString = @extension"));
                Add(delete, "hash", row.Hash);
                Add(delete, "typeHash", row.TypeHash);
                Add(delete, "n0", row.N0);
                Add(delete, "n1", row.N1);
                Add(delete, "version", row.Version);
                if (row.Extension is not null)
                {
                    Add(delete, "extension", row.Extension);
                }

                using var turn = await gate.EnterAsync(cancellationToken);
                deleted += await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            if (deleted > 0)
            {
                LogSwept(deleted);
            }

            return deleted;
        }
        finally
        {
            oneAtATime.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is DbException or InvalidOperationException)
            {
                LogSweepFailed(exception); // The next period tries again.
            }
        }
    }

    private DbConnection Open() => storage.Provider == StorageProvider.PostgreSQL
        ? new NpgsqlConnection(storage.PostgresConnectionString)
        : new SqliteConnection(storage.SqliteConnectionString);

    private DbCommand Command(DbConnection connection, string text)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        Add(command, "type", StateName);
        Add(command, "service", cluster.Value.ServiceId);
        return command;
    }

    private static long Long(DbDataReader reader, int column) =>
        Convert.ToInt64(reader.GetValue(column), System.Globalization.CultureInfo.InvariantCulture);

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} Idempotency-Key answers older than 24 hours")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove expired Idempotency-Key answers; trying again next period")]
    private partial void LogSweepFailed(Exception exception);

    private sealed record Row(long Hash, long N0, long N1, long TypeHash, string? Extension, long Version);
}
