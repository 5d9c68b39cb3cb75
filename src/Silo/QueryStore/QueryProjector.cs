using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace Dispatch.Silo.QueryStore;

/// <summary>Whether this process's projection has caught up with the grain storage since it started (readiness).</summary>
public interface IQueryStoreStatus
{
    bool CaughtUp { get; }
}

/// <summary>
/// Projects request changes into the query store, off the grains' path: <see cref="Enqueue"/>
/// keeps the newest captured row per request in memory (so memory is bounded by the requests
/// changed, not by the changes), and a thread of its own writes them in batches of up to
/// <see cref="QueryStoreCatchUp.BatchSize"/>, one transaction each. At start it first catches up
/// with the grain storage (a request changed before a crash, never projected) and only then says
/// <see cref="CaughtUp"/>, which readiness waits for. A batch that fails is kept and tried again;
/// a grain write whose outcome is unknown asks for a catch-up sweep. On PostgreSQL, where a silo
/// of the cluster may die with changes unwritten, a sweep also runs every
/// <see cref="SweepInterval"/>.
/// </summary>
public sealed partial class QueryProjector(
    QueryStoreDatabase database,
    QueryStoreWriter writer,
    IOptionsMonitor<AdoNetGrainStorageOptions> storageOptions,
    IOptions<ClusterOptions> cluster,
    ILogger<QueryProjector> logger) : IHostedService, IQueryStoreStatus, IDisposable
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly Lock gate = new();
    private readonly Dictionary<Guid, RequestRow> pending = [];
    private readonly AutoResetEvent signal = new(false);
    private readonly CancellationTokenSource stopping = new();
    private Thread? thread;
    private volatile bool caughtUp;
    private volatile bool sweepRequested;
    private long projected;

    public bool CaughtUp => caughtUp;

    /// <summary>Rows written since start (newer than what the store held).</summary>
    public long Projected => Interlocked.Read(ref projected);

    /// <summary>Requests changed and not yet written.</summary>
    public int Pending
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    /// <summary>Takes a row captured at a successful state write; an older one than already waiting is dropped.</summary>
    public void Enqueue(RequestRow row)
    {
        lock (gate)
        {
            if (pending.TryGetValue(row.Id, out var waiting) && waiting.StateVersion >= row.StateVersion)
            {
                return;
            }

            pending[row.Id] = row;
        }

        signal.Set();
    }

    /// <summary>Asks for a comparison with the grain storage (a write whose outcome is unknown).</summary>
    public void SweepSoon()
    {
        sweepRequested = true;
        signal.Set();
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        thread = new Thread(Run) { IsBackground = true, Name = "Dispatch query projector" };
        thread.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // What is waiting is written before the thread ends (the silo has stopped its grains by now).
        stopping.Cancel();
        signal.Set();
        thread?.Join(TimeSpan.FromSeconds(10));
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        stopping.Dispose();
        signal.Dispose();
    }

    private QueryStoreCatchUp CatchUp() => new(
        database, writer, storageOptions.Get(StorageNames.Dispatch).GrainStorageSerializer, cluster.Value.ServiceId, logger);

    private void Run()
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!caughtUp && !stopping.IsCancellationRequested)
        {
            try
            {
                CatchUp().Run(rebuild: false, stopping.Token);
                caughtUp = true;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogCatchUpFailed(logger, exception, delay);
                signal.WaitOne(delay);
                delay = Next(delay);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var nextSweep = DateTime.UtcNow + SweepInterval;
        delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            var stop = stopping.IsCancellationRequested;
            try
            {
                while (Take() is { Count: > 0 } batch)
                {
                    try
                    {
                        Interlocked.Add(ref projected, writer.Write(batch));
                    }
                    catch
                    {
                        Return(batch);
                        throw;
                    }
                }

                if (!stop && (sweepRequested || (database.IsPostgres && DateTime.UtcNow >= nextSweep)))
                {
                    sweepRequested = false;
                    nextSweep = DateTime.UtcNow + SweepInterval;
                    Interlocked.Add(ref projected, CatchUp().Run(rebuild: false, stopping.Token));
                }

                delay = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception exception)
            {
                LogWriteFailed(logger, exception, Pending, delay);
                if (stop)
                {
                    return; // The next start catches up.
                }

                signal.WaitOne(delay);
                delay = Next(delay);
                continue;
            }

            if (stop)
            {
                return;
            }

            signal.WaitOne(database.IsPostgres ? SweepInterval : Timeout.InfiniteTimeSpan);
        }
    }

    private List<RequestRow> Take()
    {
        lock (gate)
        {
            var batch = new List<RequestRow>(Math.Min(pending.Count, QueryStoreCatchUp.BatchSize));
            foreach (var (id, row) in pending)
            {
                batch.Add(row);
                if (batch.Count == QueryStoreCatchUp.BatchSize)
                {
                    break;
                }
            }

            foreach (var row in batch)
            {
                pending.Remove(row.Id);
            }

            return batch;
        }
    }

    /// <summary>Puts a batch that could not be written back, unless newer rows arrived meanwhile.</summary>
    private void Return(List<RequestRow> batch)
    {
        lock (gate)
        {
            foreach (var row in batch)
            {
                pending.TryAdd(row.Id, row);
            }
        }
    }

    private static TimeSpan Next(TimeSpan delay) => delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;

    [LoggerMessage(Level = LogLevel.Error, Message = "The query store could not catch up with the grain storage; trying again in {Delay}")]
    private static partial void LogCatchUpFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "The query store could not be written ({Pending} request(s) waiting); trying again in {Delay}")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int pending, TimeSpan delay);
}
