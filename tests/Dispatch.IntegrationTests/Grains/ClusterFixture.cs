using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Runtime.Hosting;
using Orleans.TestingHost;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>Two silos in this process, with Dispatch's grains and one shared <see cref="TestGrainStorage"/>.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public TestGrainStorage Storage { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Dispatch:Volunteers:ClaimLimit"] = "3" })
            .Build();
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddDispatchGrainServices(configuration);
            silo.UseInMemoryReminderService();
            silo.Services.AddGrainStorage(StorageNames.Dispatch, (services, _) =>
            {
                // Both silos use the first silo's storage instance: one store, as in production.
                Storage ??= new TestGrainStorage(services.GetRequiredService<Serializer>());
                return Storage;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
