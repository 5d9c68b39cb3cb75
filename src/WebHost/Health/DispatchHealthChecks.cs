using Dispatch.Silo.Hosting;
using Dispatch.Silo.Storage;
using Dispatch.Silo.QueryStore;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Dispatch.WebHost.Health;

/// <summary>Ready when the cluster has an active silo that answers.</summary>
public sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s).")
                : HealthCheckResult.Unhealthy("No active silo.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The cluster did not answer.", exception);
        }
    }
}

/// <summary>Ready when the store (the embedded SQLite file, or the PostgreSQL database) answers and carries this build's schema.</summary>
public sealed class StorageHealthCheck(DispatchStorageOptions storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var expected = storage.Provider == StorageProvider.PostgreSQL ? PostgresSchema.Scripts.Count : SqliteSchema.Scripts.Count;
        try
        {
            await using DbConnection connection = storage.Provider == StorageProvider.PostgreSQL
                ? new NpgsqlConnection(storage.ConnectionString)
                : new SqliteConnection(storage.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM DispatchSchema;";
            var applied = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return applied == expected
                ? HealthCheckResult.Healthy($"{storage.Provider} schema version {applied}.")
                : HealthCheckResult.Unhealthy($"{storage.Provider} schema version {applied}, expected {expected}.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The {storage.Provider} store could not be read.", exception);
        }
    }
}

/// <summary>
/// Ready when this process's silo has brought the query store level with the grain storage since
/// it started (a change made before a crash and never projected is in it). A client-mode host has
/// no silo: the silos' projection keeps the store.
/// </summary>
public sealed class QueryStoreHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(services.GetService<IQueryStoreStatus>() switch
        {
            null => HealthCheckResult.Healthy("Projected by the silos."),
            { CaughtUp: true } => HealthCheckResult.Healthy("The query store is caught up."),
            _ => HealthCheckResult.Unhealthy("The query store is catching up with the grain storage."),
        });
}
