using System.Net;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Dashboard;
using Orleans.Serialization;
using Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Dispatch.Silo.QueryStore;
using Dispatch.Silo.Storage;

namespace Dispatch.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>Whether silos (and client-mode web hosts) run the Orleans dashboard: <c>true</c> unless set to false.</summary>
    public const string DashboardSetting = "Dispatch:Telemetry:Dashboard";

    /// <summary>The dashboard's data costs CPU on every silo (it polls every Orleans instrument each second): it can be turned off.</summary>
    public static bool DashboardEnabled(this IConfiguration configuration) => configuration.GetValue(DashboardSetting, defaultValue: true);

    /// <summary>
    /// The clock and the grains' settings, bound and validated at start, without a silo: a
    /// client-mode web host calls it so that it fails to start on the same settings a silo would.
    /// </summary>
    public static IHostApplicationBuilder AddDispatchGrainSettings(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDispatchGrainServices(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Runs a Dispatch silo in this host: the grains, with grain state and reminders in the store
    /// that <c>Dispatch:Storage:Provider</c> names, whose schema is applied before the silo starts.
    /// On SQLite the silo clusters with the silos of this machine only; on PostgreSQL membership
    /// lives in the database, and silos on any machine that share it form one cluster.
    /// </summary>
    public static IHostApplicationBuilder AddDispatchSilo(this IHostApplicationBuilder builder)
    {
        builder.AddDispatchRedaction();
        var storage = builder.AddDispatchStorage();
        var orleans = builder.GetOrleansOptions();

        builder.Services.AddDispatchGrainServices(builder.Configuration);

        // In cluster mode the silo listens on every address unless it advertises loopback; without
        // a certificate it then refuses to start (unless AllowInsecure). Localhost clustering
        // (SQLite) listens on loopback only.
        var exposed = storage.Provider == StorageProvider.PostgreSQL && !IPAddress.IsLoopback(orleans.AdvertisedAddress());
        var tls = ClusterTransport.Prepare(builder, orleans, exposed, "This silo");

        // Registered before UseOrleans so that it runs, and finishes, before the silo starts.
        builder.Services.AddHostedService<SchemaInitializer>();

        // Idempotency-Key answers leave the store after 24 hours.
        builder.Services.AddSingleton<Storage.IdempotencySweeper>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Storage.IdempotencySweeper>());

        builder.UseOrleans(silo =>
        {
            if (storage.Provider == StorageProvider.PostgreSQL)
            {
                silo.Configure<ClusterOptions>(orleans.ApplyTo);
                silo.UseAdoNetClustering(options =>
                {
                    options.Invariant = storage.Invariant;
                    options.ConnectionString = storage.ConnectionString;
                });
                silo.ConfigureEndpoints(orleans.AdvertisedAddress(), orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: exposed);

                // How fast a dead silo is noticed (probe timeout, missed probes, votes…): Orleans'
                // defaults unless set under Dispatch:Orleans:Membership.
                silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection(OrleansOptions.Section + ":Membership"));
            }
            else
            {
                // One machine, usually one silo, whose directory is its own: a cache of it saves
                // little, holds an entry per active grain, and the dashboard's metrics reader counts
                // it by walking it every second (docs/BENCHMARKS.md, "Armed deadlines").
                silo.Configure<GrainDirectoryOptions>(options => options.CachingStrategy = GrainDirectoryOptions.CachingStrategyType.None);
                silo.UseLocalhostClustering(
                    orleans.SiloPort,
                    orleans.GatewayPort,
                    orleans.PrimarySiloPort is { } primary ? new IPEndPoint(IPAddress.Loopback, primary) : null,
                    serviceId: orleans.ServiceId,
                    clusterId: orleans.ClusterId);
            }

            if (tls is { } t)
            {
                silo.UseTls(t.Certificate, options => ClusterTransport.Configure(options, t.Certificate, t.Authorities, TimeProvider.System));
            }

            silo.AddAdoNetGrainStorage(StorageNames.Dispatch, options =>
            {
                options.Invariant = storage.Invariant;
                options.ConnectionString = storage.ConnectionString;
            });

            // Reminders wake requests whose deadlines pass while they are not in memory.
            silo.UseAdoNetReminderService(options =>
            {
                options.Invariant = storage.Invariant;
                options.ConnectionString = storage.ConnectionString;
            });

            // Grain calls as trace spans, and the Orleans dashboard's data (the web host serves it to admins).
            silo.AddActivityPropagation();
            if (builder.Configuration.DashboardEnabled())
            {
                silo.AddDashboard();
            }
        });

        // One writer at a time on the SQLite file, so that no write waits on another's lock.
        builder.Services.AddSqliteWriteGate(storage);

        // Request changes projected into the query store (lists, search, statistics by period, exports).
        builder.AddDispatchQueryStore();

        // Grain state is stored with Orleans' own binary serializer: it honours [Id] members
        // (private setters included) and tolerates added fields, where the JSON default would
        // silently drop every property without a public setter.
        builder.Services.AddOptions<AdoNetGrainStorageOptions>(StorageNames.Dispatch)
            .Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));

        return builder;
    }

    /// <summary>
    /// Resolves the store (<c>Dispatch:Storage:Provider</c>, <c>ConnectionStrings:Dispatch</c>) and
    /// creates the data folder, its owner's alone (relative paths are taken from the content root; <see cref="DataFolder"/>).
    /// </summary>
    public static DispatchStorageOptions AddDispatchStorage(this IHostApplicationBuilder builder)
    {
        var storage = ReadStorage(builder.Configuration, builder.Environment.ContentRootPath);
        DataFolder.Prepare(storage);
        builder.Services.AddSingleton(storage);
        return storage;
    }

    /// <summary>The store as configured; throws with the key at fault when the configuration is not usable.</summary>
    public static DispatchStorageOptions ReadStorage(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration[DispatchStorageOptions.DataDirKey];
        var dataDir = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "data" : configured, contentRoot);
        var providerName = configuration[DispatchStorageOptions.ProviderKey];
        var provider = StorageProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerName) && !Enum.TryParse(providerName, ignoreCase: true, out provider))
        {
            throw new InvalidOperationException(
                $"{DispatchStorageOptions.ProviderKey} must be Sqlite or PostgreSQL, not '{providerName}'.");
        }

        var connectionString = configuration.GetConnectionString(DispatchStorageOptions.ConnectionStringName);
        if (provider == StorageProvider.PostgreSQL && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"{DispatchStorageOptions.ProviderKey}=PostgreSQL needs ConnectionStrings:{DispatchStorageOptions.ConnectionStringName} " +
                "(e.g. \"Host=db;Database=dispatch;Username=dispatch;Password=…\").");
        }

        return new DispatchStorageOptions { Provider = provider, DataDir = dataDir, PostgresConnectionString = connectionString };
    }

    /// <summary>The section <c>Dispatch:Orleans</c>, checked.</summary>
    public static OrleansOptions GetOrleansOptions(this IHostApplicationBuilder builder)
    {
        var orleans = builder.Configuration.GetSection(OrleansOptions.Section).Get<OrleansOptions>() ?? new OrleansOptions();
        _ = orleans.AdvertisedAddress();
        return orleans;
    }

    /// <summary>Names the cluster and the service the same way for silos and clients.</summary>
    public static void ApplyTo(this OrleansOptions orleans, ClusterOptions options)
    {
        options.ClusterId = orleans.ClusterId;
        options.ServiceId = orleans.ServiceId;
    }

    /// <summary>The address to advertise in the membership table: <c>AdvertisedIP</c>, or loopback.</summary>
    public static IPAddress AdvertisedAddress(this OrleansOptions orleans) =>
        string.IsNullOrWhiteSpace(orleans.AdvertisedIP)
            ? IPAddress.Loopback
            : IPAddress.TryParse(orleans.AdvertisedIP, out var address)
                ? address
                : throw new InvalidOperationException($"{OrleansOptions.Section}:AdvertisedIP must be an IP address, not '{orleans.AdvertisedIP}'.");
}
