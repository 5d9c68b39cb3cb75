using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Microsoft.Extensions.Time.Testing;
using Orleans.Reminders;
using Orleans.Runtime.Hosting;
using Orleans.TestingHost;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// Two silos in this process, with Dispatch's grains, one shared <see cref="TestGrainStorage"/>,
/// in-memory reminders, and (when asked) a fake clock for the grains, their timers and reminders.
/// </summary>
public class ClusterFixture : IAsyncLifetime
{
    public ClusterFixture()
        : this(null)
    {
    }

    protected ClusterFixture(FakeTimeProvider? clock) => Clock = clock;

    /// <summary>The grains' clock, when the fixture was made with one.</summary>
    public FakeTimeProvider? Clock { get; }

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
            if (Clock is not null)
            {
                // Grains, grain timers and reminders on the fake clock; the silo's own upkeep on real time.
                silo.Services.AddSingleton<TimeProvider>(Clock);
                silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
                silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, Clock);
            }

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

/// <summary>A <see cref="ClusterFixture"/> whose grains run on a fake clock that tests advance.</summary>
public sealed class FakeClockClusterFixture() : ClusterFixture(new FakeTimeProvider(DateTimeOffset.UtcNow));
