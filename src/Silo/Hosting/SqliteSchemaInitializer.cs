using Dispatch.Silo.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dispatch.Silo.Hosting;

/// <summary>Applies the SQLite schema before the silo starts (it is registered ahead of Orleans).</summary>
internal sealed class SqliteSchemaInitializer(DispatchStorageOptions storage, ILogger<SqliteSchemaInitializer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        SqliteSchema.ApplyAsync(storage.SqliteConnectionString, logger, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
