using Dispatch.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Dispatch.Silo.Storage;

/// <summary>Grain storage whose writes and clears take their turn at the <see cref="SqliteWriteGate"/> and are durable when they complete; reads pass straight through.</summary>
public sealed class GatedGrainStorage(IGrainStorage inner, SqliteWriteGate gate) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.RunDurable(() => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        gate.RunDurable(() => inner.ClearStateAsync(stateName, grainId, grainState));

    public void Participate(ISiloLifecycle lifecycle) =>
        (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}

/// <summary>The reminder table, its changes in turn at the <see cref="SqliteWriteGate"/> and durable when they complete; reads pass straight through.</summary>
public sealed class GatedReminderTable(IReminderTable inner, SqliteWriteGate gate) : IReminderTable
{
#pragma warning disable CS0618 // Still a member of the interface; forwarded as it is.
    public Task Init() => inner.Init();
#pragma warning restore CS0618

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) => inner.ReadRows(grainId, cancellationToken);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) => inner.ReadRows(begin, end, cancellationToken);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => inner.ReadRow(grainId, reminderName);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        inner.ReadRow(grainId, reminderName, cancellationToken);

    public Task<string?> UpsertRow(ReminderEntry entry) => gate.RunDurable(() => inner.UpsertRow(entry));

    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken) =>
        gate.RunDurable(() => inner.UpsertRow(entry, cancellationToken));

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        gate.RunDurable(() => inner.RemoveRow(grainId, reminderName, eTag));

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken) =>
        gate.RunDurable(() => inner.RemoveRow(grainId, reminderName, eTag, cancellationToken));

    public Task TestOnlyClearTable() => gate.Run(inner.TestOnlyClearTable);

    public Task TestOnlyClearTable(CancellationToken cancellationToken) => gate.Run(() => inner.TestOnlyClearTable(cancellationToken));
}

public static class SqliteWriteGateHostingExtensions
{
    /// <summary>
    /// One writer at a time on the SQLite file (<see cref="SqliteWriteGate"/>): the grain storage
    /// named <see cref="StorageNames.Dispatch"/> and the reminder table are wrapped so that their
    /// writes take turns. Call after both are added; on PostgreSQL it only registers an open gate.
    /// </summary>
    public static IServiceCollection AddSqliteWriteGate(this IServiceCollection services, DispatchStorageOptions storage)
    {
        var gate = new SqliteWriteGate(storage);
        services.AddSingleton(gate);
        if (!gate.Active)
        {
            return services;
        }

        var storageDescriptor = services.LastOrDefault(d =>
            d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, StorageNames.Dispatch))
            ?? throw new InvalidOperationException($"The grain storage '{StorageNames.Dispatch}' must be added before the write gate.");
        var createStorage = storageDescriptor.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"The grain storage '{StorageNames.Dispatch}' is not made by a factory.");
        services.Remove(storageDescriptor);
        services.AddKeyedSingleton<IGrainStorage>(StorageNames.Dispatch, (sp, key) =>
            new GatedGrainStorage((IGrainStorage)createStorage(sp, key), gate));

        var reminders = services.LastOrDefault(d => d.ServiceType == typeof(IReminderTable) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("The reminder table must be added before the write gate.");
        services.Remove(reminders);
        services.AddSingleton<IReminderTable>(sp => new GatedReminderTable(Create<IReminderTable>(sp, reminders), gate));
        return services;
    }

    private static T Create<T>(IServiceProvider services, ServiceDescriptor descriptor) where T : class =>
        (T)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));
}
