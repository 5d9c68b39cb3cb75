using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Reminders;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>
/// Two silos like <see cref="ClusterFixture"/>, on a fake clock (so the shop's recovery reminder
/// fires when a test says), whose storage can fail one chosen write of one grain: the points and
/// shop tests crash a two-grain step exactly between its writes.
/// </summary>
public sealed class ShopClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public FaultyGrainStorage Storage { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        var configuration = new ConfigurationBuilder().Build();
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
            silo.Services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, Clock);
            silo.Services.AddDispatchGrainServices(configuration);
            silo.UseInMemoryReminderService();
            silo.Services.AddGrainStorage(StorageNames.Dispatch, (services, _) =>
            {
                // One store for both silos, as in production.
                Storage ??= new FaultyGrainStorage(new TestGrainStorage(services.GetRequiredService<Serializer>()));
                return Storage;
            });
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// A <see cref="TestGrainStorage"/> that can fail exactly one write, the n-th next one of a given
/// grain's state, with an <see cref="InjectedStorageFaultException"/>.
/// </summary>
public sealed class FaultyGrainStorage(TestGrainStorage inner) : IGrainStorage
{
    private readonly Lock gate = new();
    private (string State, string Key, int Skip, bool Outage)? fault;
    private (string State, string Key, TaskCompletionSource Started, Task Release)? hold;

    public TestGrainStorage Inner => inner;

    /// <summary>True until the planned failure has happened: false after it proves that it was used.</summary>
    public bool FaultPending
    {
        get
        {
            lock (gate)
            {
                return fault is not null;
            }
        }
    }

    /// <summary>
    /// Lets <paramref name="after"/> writes of <paramref name="stateName"/> by the grain whose id
    /// contains <paramref name="grainKey"/> through, fails the next one, then stores normally again.
    /// With <paramref name="outage"/> the failure is an <see cref="InjectedStorageOutageException"/>
    /// (the store could not be reached), which the runtime does not treat as a lost race.
    /// </summary>
    public void FailOneWrite(string stateName, string grainKey, int after = 0, bool outage = false)
    {
        lock (gate)
        {
            fault = (stateName, grainKey, after, outage);
        }
    }

    /// <summary>
    /// Holds the next write of <paramref name="stateName"/> by the grain whose id contains
    /// <paramref name="grainKey"/> until <paramref name="release"/> completes; the task returned
    /// completes when that write has begun (and is being held).
    /// </summary>
    public Task HoldNextWrite(string stateName, string grainKey, Task release)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            hold = (stateName, grainKey, started, release);
        }

        return started.Task;
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Task? release = null;
        lock (gate)
        {
            if (hold is { } held && held.State == stateName && grainId.ToString().Contains(held.Key, StringComparison.OrdinalIgnoreCase))
            {
                hold = null;
                held.Started.SetResult();
                release = held.Release;
            }
        }

        if (release is not null)
        {
            await release;
        }

        await WriteOrFail(stateName, grainId, grainState);
    }

    private Task WriteOrFail<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (gate)
        {
            if (fault is { } planned && planned.State == stateName
                && grainId.ToString().Contains(planned.Key, StringComparison.OrdinalIgnoreCase))
            {
                if (planned.Skip == 0)
                {
                    fault = null;
                    throw planned.Outage
                        ? new InjectedStorageOutageException(InjectedStorageFaultException.MessageFor(stateName, grainId))
                        : new InjectedStorageFaultException(InjectedStorageFaultException.MessageFor(stateName, grainId));
                }

                fault = planned with { Skip = planned.Skip - 1 };
            }
        }

        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
