using System.CommandLine;
using Dispatch.Silo.Backup;
using Dispatch.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Dispatch.Silo.Commands;

/// <summary>
/// The grains, for a command that must act through them (so that a running Dispatch sees the
/// change at once): as an Orleans client of the running cluster, found as a client-mode web host
/// finds it (the PostgreSQL membership table, or this machine's gateway port with the embedded
/// store); or, when nothing runs on the embedded store, through a silo of the command's own on it.
/// </summary>
public sealed class ClusterAccess : IAsyncDisposable
{
    /// <summary>How long to wait for the running cluster to answer before concluding that none runs.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly IHost host;

    private ClusterAccess(IHost host, string via)
    {
        this.host = host;
        Via = via;
    }

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>How the grains were reached, for the operator.</summary>
    public string Via { get; }

    public static async Task<ClusterAccess> ConnectAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var builder = SiloCommandContext.Builder(result);
        var storage = SiloHostingExtensions.ReadStorage(builder.Configuration, builder.Environment.ContentRootPath);
        var orleans = builder.GetOrleansOptions();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(orleans.ApplyTo);
            if (storage.Provider == StorageProvider.PostgreSQL)
            {
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = storage.Invariant;
                    options.ConnectionString = storage.ConnectionString;
                });
            }
            else
            {
                client.UseLocalhostClustering(orleans.GatewayPort, orleans.ServiceId, orleans.ClusterId);
            }
        });

        var client = builder.Build();
        try
        {
            // A gateway that is there answers within a second; without one, the client would keep trying.
            using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connecting.CancelAfter(ConnectTimeout);
            await client.StartAsync(connecting.Token);
            return new ClusterAccess(client, storage.Provider == StorageProvider.PostgreSQL
                ? "the running cluster"
                : $"the running Dispatch (gateway port {orleans.GatewayPort})");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            if (storage.Provider == StorageProvider.PostgreSQL)
            {
                throw new CommandException($"No silo of the cluster answered ({e.Message}): start one, then run the command again.", e);
            }
        }

        // Nothing answers on this machine's gateway port: unless the store is open elsewhere (a
        // Dispatch with another gateway port), a silo of our own may use it for a moment.
        var database = Path.Combine(storage.DataDir, DispatchStorageOptions.DatabaseFileName);
        if (!File.Exists(database))
        {
            throw new CommandException($"There is no store at {database}: give the data folder (--Dispatch:DataDir=…).");
        }

        try
        {
            await SqliteBackup.RequireNotInUseAsync(database, cancellationToken);
        }
        catch (BackupException e)
        {
            throw new CommandException(
                $"The store {database} is in use, but no Dispatch answered on gateway port {orleans.GatewayPort}: " +
                "give the running one's port (--Dispatch:Orleans:GatewayPort=…), or stop it.", e);
        }

        var siloBuilder = SiloCommandContext.Builder(result);
        siloBuilder.Configuration[SiloHostingExtensions.DashboardSetting] = "false";
        siloBuilder.AddDispatchSilo();
        var silo = siloBuilder.Build();
        try
        {
            await silo.StartAsync(cancellationToken);
        }
        catch
        {
            silo.Dispose();
            throw;
        }

        return new ClusterAccess(silo, $"a silo of its own on {database}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            host.Dispose();
        }
    }
}
