using Dispatch.Silo.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace Dispatch.WebHost.Hosting;

public static class OrleansHostingExtensions
{
    /// <summary>
    /// Connects the web host to the grains as <c>Dispatch:Orleans:Mode</c> says: a silo in this
    /// process (<c>CoHosted</c>, the default), or an Orleans client of a cluster of dedicated silos
    /// (<c>Client</c>), found through the PostgreSQL membership table, or on this machine's
    /// gateway port with the embedded store.
    /// </summary>
    public static IHostApplicationBuilder AddDispatchOrleans(this IHostApplicationBuilder builder)
    {
        var orleans = builder.GetOrleansOptions();
        if (orleans.Mode == OrleansMode.CoHosted)
        {
            return builder.AddDispatchSilo();
        }

        var storage = builder.AddDispatchStorage();

        // The clock, and the silos' settings checked at start as a silo would.
        builder.AddDispatchGrainSettings();

        // With SQLite the gateway is on this machine's loopback address; through the membership
        // table the gateways' addresses are known only when connecting: checked then.
        var tls = ClusterTransport.Prepare(builder, orleans, exposed: false, "This web host's Orleans client");
        builder.UseOrleansClient(client =>
        {
            if (tls is { } t)
            {
                client.UseTls(t.Certificate, options => ClusterTransport.Configure(options, t.Certificate, t.Authorities, TimeProvider.System));
            }

            client.AddActivityPropagation();
            if (builder.Configuration.DashboardEnabled())
            {
                client.AddDashboard();
            }
            if (storage.Provider == StorageProvider.PostgreSQL)
            {
                client.Configure<ClusterOptions>(orleans.ApplyTo);
                client.UseAdoNetClustering(options =>
                {
                    options.Invariant = storage.Invariant;
                    options.ConnectionString = storage.ConnectionString;
                });
                if (tls is null && !orleans.AllowInsecure)
                {
                    client.Services.RefuseInsecureGateways(orleans);
                }
            }
            else
            {
                client.UseLocalhostClustering(orleans.GatewayPort, orleans.ServiceId, orleans.ClusterId);
            }
        });

        return builder;
    }
}
