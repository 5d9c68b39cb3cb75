using Dispatch.Silo.Backup;
using Dispatch.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dispatch.Silo;

/// <summary>
/// A dedicated silo without the web host, configured like the co-hosted one; or, with the command
/// <c>migrate</c>, only brings the store's schema up to this build and exits; <c>backup</c>,
/// <c>verify-backup</c> and <c>restore</c> handle backups of the embedded store (<see cref="BackupCommands"/>).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["migrate", .. var options])
        {
            return await Migrate(options);
        }

        if (args is [QueryStore.RebuildQueryStoreCommand.Name, .. var rebuildOptions])
        {
            return await QueryStore.RebuildQueryStoreCommand.RunAsync(rebuildOptions);
        }

        if (args.Length > 0 && BackupCommands.Names.Contains(args[0]))
        {
            return await BackupCommands.RunAsync(args, Console.Out, Console.Error);
        }

        var builder = Host.CreateApplicationBuilder(args);
        QuietFrameworkLogs(builder);
        builder.AddDispatchSilo();
        await builder.Build().RunAsync();
        return 0;
    }

    /// <summary>
    /// The silo runs from wherever it is started, usually without an appsettings.json: keep
    /// Orleans' and Polly's routine information out of its console, as the web host's settings do.
    /// More specific categories set in configuration (e.g. <c>Logging:LogLevel:Orleans.Runtime</c>) still apply.
    /// </summary>
    private static void QuietFrameworkLogs(HostApplicationBuilder builder)
    {
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
    }

    /// <summary>For operators who apply schema changes as a step of their own, before starting silos.</summary>
    private static async Task<int> Migrate(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        QuietFrameworkLogs(builder);
        var storage = builder.AddDispatchStorage();
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dispatch.Migrate");
        var version = await SchemaInitializer.Migrate(storage, logger, CancellationToken.None);
        Console.WriteLine($"Dispatch schema on {storage.Provider}: version {version}, up to date.");
        return 0;
    }
}
