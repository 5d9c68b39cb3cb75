using System.Net;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dispatch.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>The ADO.NET invariant under which the Orleans providers load Microsoft.Data.Sqlite.</summary>
    public const string SqliteInvariant = "System.Data.SQLite";

    /// <summary>
    /// Runs a Dispatch silo in this host: the grains, localhost clustering, and grain state and
    /// reminders in the embedded SQLite store under <c>Dispatch:DataDir</c>, whose schema is applied
    /// before the silo starts.
    /// </summary>
    public static IHostApplicationBuilder AddDispatchSilo(this IHostApplicationBuilder builder)
    {
        var storage = builder.AddDispatchStorage();
        var orleans = builder.Configuration.GetSection(OrleansOptions.Section).Get<OrleansOptions>() ?? new OrleansOptions();

        builder.Services.AddDispatchGrainServices(builder.Configuration);

        // Registered before UseOrleans so that it runs, and finishes, before the silo starts.
        builder.Services.AddHostedService<SqliteSchemaInitializer>();

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                orleans.SiloPort,
                orleans.GatewayPort,
                orleans.PrimarySiloPort is { } primary ? new IPEndPoint(IPAddress.Loopback, primary) : null,
                serviceId: orleans.ServiceId,
                clusterId: orleans.ClusterId);
            silo.AddAdoNetGrainStorage(StorageNames.Dispatch, options =>
            {
                options.Invariant = SqliteInvariant;
                options.ConnectionString = storage.SqliteConnectionString;
            });

            // Reminders wake requests whose deadlines pass while they are not in memory.
            silo.UseAdoNetReminderService(options =>
            {
                options.Invariant = SqliteInvariant;
                options.ConnectionString = storage.SqliteConnectionString;
            });
        });

        // Grain state is stored with Orleans' own binary serializer: it honours [Id] members
        // (private setters included) and tolerates added fields, where the JSON default would
        // silently drop every property without a public setter.
        builder.Services.AddOptions<AdoNetGrainStorageOptions>(StorageNames.Dispatch)
            .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));

        return builder;
    }

    /// <summary>Resolves and creates the data folder (relative paths are taken from the content root).</summary>
    public static DispatchStorageOptions AddDispatchStorage(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration[DispatchStorageOptions.DataDirKey];
        var dataDir = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured, builder.Environment.ContentRootPath);
        Directory.CreateDirectory(dataDir);
        var storage = new DispatchStorageOptions { DataDir = dataDir };
        builder.Services.AddSingleton(storage);
        return storage;
    }
}
