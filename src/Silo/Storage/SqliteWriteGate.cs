using System.Diagnostics;
using Dispatch.Silo.Hosting;

namespace Dispatch.Silo.Storage;

/// <summary>
/// One writer at a time for the embedded SQLite file. SQLite allows a single writer; a second
/// connection that tries to write meanwhile is refused "busy", and Microsoft.Data.Sqlite then
/// retries after a fixed pause of its own, holding its thread: in a claim storm that pause was the
/// p99 (docs/BENCHMARKS.md, "A regression found on 2026-12-06"). Every writer in this process
/// (grain state, reminders, the query store's projection, the idempotency sweep) takes its turn
/// here instead, so a write waits only for the writes before it, without a thread held. Writes
/// that are answered to someone (grain state, reminders) are then made durable together by one
/// <see cref="WalFlush"/>. On PostgreSQL, which has writers of its own, the gate lets everyone through.
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim turn = new(1, 1);
    private readonly WalFlush? durability;
    private int waiting;

    public SqliteWriteGate(DispatchStorageOptions storage)
        : this(storage.Provider == StorageProvider.Sqlite
            ? new WalFlush(Path.Combine(storage.DataDir, DispatchStorageOptions.DatabaseFileName))
            : null)
    {
    }

    internal SqliteWriteGate(WalFlush? durability)
    {
        this.durability = durability;
        Active = durability is not null;
    }

    /// <summary>A gate that never waits (a store that takes concurrent writers).</summary>
    public static SqliteWriteGate Open { get; } = new(durability: null);

    /// <summary>Whether writers take turns (the store is SQLite).</summary>
    public bool Active { get; }

    /// <summary>Syncs of the write-ahead log so far, each covering a group of durable writes.</summary>
    public long Syncs => durability?.Syncs ?? 0;

    /// <summary>Writers waiting for their turn now.</summary>
    public int Waiting => Volatile.Read(ref waiting);

    /// <summary>Waits for this writer's turn; dispose the answer when the write is over.</summary>
    public async ValueTask<Turn> EnterAsync(CancellationToken cancellationToken = default)
    {
        if (!Active)
        {
            return default;
        }

        var since = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref waiting);
        try
        {
            await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }

        DispatchMetrics.StoreWriteWaited(Stopwatch.GetElapsedTime(since));
        return new Turn(turn);
    }

    /// <summary>The same, for a writer on a thread of its own (the projector), in the same line as the others.</summary>
    public Turn Enter(CancellationToken cancellationToken = default) =>
        EnterAsync(cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="write"/> in a turn of its own.</summary>
    public async Task Run(Func<Task> write)
    {
        using var _ = await EnterAsync().ConfigureAwait(false);
        await write().ConfigureAwait(false);
    }

    /// <inheritdoc cref="Run(Func{Task})"/>
    public async Task<T> Run<T>(Func<Task<T>> write)
    {
        using var _ = await EnterAsync().ConfigureAwait(false);
        return await write().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a turn of its own, then waits until the log holding it is
    /// synced: for writes committed with <c>synchronous=NORMAL</c> that someone is answered about.
    /// </summary>
    public async Task RunDurable(Func<Task> write)
    {
        await Run(write).ConfigureAwait(false);
        await Synced().ConfigureAwait(false);
    }

    /// <inheritdoc cref="RunDurable(Func{Task})"/>
    public async Task<T> RunDurable<T>(Func<Task<T>> write)
    {
        var result = await Run(write).ConfigureAwait(false);
        await Synced().ConfigureAwait(false);
        return result;
    }

    private Task Synced() => durability?.FlushAsync() ?? Task.CompletedTask;

    public void Dispose() => turn.Dispose();

    /// <summary>A writer's turn; ends when disposed.</summary>
    public readonly struct Turn(SemaphoreSlim? turn) : IDisposable
    {
        public void Dispose() => turn?.Release();
    }
}
