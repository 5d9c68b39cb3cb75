using Dispatch.Silo.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dispatch.Silo.Hosting;

/// <summary>Brings the store's schema up to this build before the silo starts (it is registered ahead of Orleans).</summary>
public sealed class SchemaInitializer(DispatchStorageOptions storage, ILogger<SchemaInitializer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Migrate(storage, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Applies the schema scripts this build carries; returns the schema version.</summary>
    public static Task<int> Migrate(DispatchStorageOptions storage, ILogger logger, CancellationToken cancellationToken) =>
        storage.Provider == StorageProvider.PostgreSQL
            ? PostgresSchema.ApplyAsync(storage.ConnectionString, logger, cancellationToken)
            : SqliteSchema.ApplyAsync(storage.ConnectionString, logger, cancellationToken);
}
