using Dispatch.Silo.Hosting;
using Dispatch.Silo.Storage;
using Microsoft.Data.Sqlite;
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

/// <summary>Ready when the embedded store opens and carries this build's schema.</summary>
public sealed class SqliteStorageHealthCheck(DispatchStorageOptions storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new SqliteConnection(storage.SqliteConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM DispatchSchema;";
            var applied = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            return applied == SqliteSchema.Scripts.Count
                ? HealthCheckResult.Healthy($"Schema version {applied}.")
                : HealthCheckResult.Unhealthy($"Schema version {applied}, expected {SqliteSchema.Scripts.Count}.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store could not be read.", exception);
        }
    }
}
