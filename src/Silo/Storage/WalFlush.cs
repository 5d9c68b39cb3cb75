namespace Dispatch.Silo.Storage;

/// <summary>
/// Group commit for the embedded SQLite file. Writers commit with <c>synchronous=NORMAL</c> (the
/// write-ahead log is not synced at each commit) and then wait here: one <c>fsync</c> of the log
/// makes every transaction committed before it durable, so a burst of writers shares one sync
/// instead of paying one each (on these machines a sync costs about 4 ms: 275 commits/s with
/// <c>FULL</c> against about 20,000 without). A writer is answered only after a sync that began
/// after its commit, which is the guarantee <c>synchronous=FULL</c> gives.
/// </summary>
public sealed class WalFlush
{
    private readonly Action flush;
    private readonly object sync = new();
    private TaskCompletionSource? waiting;
    private bool flushing;
    private long syncs;

    /// <summary>Syncs the write-ahead log of <paramref name="databasePath"/>.</summary>
    public WalFlush(string databasePath)
        : this(() => SyncFile(databasePath + "-wal"))
    {
    }

    /// <summary>With the sync itself given (tests hold it to see who waits for which).</summary>
    public WalFlush(Action flush) => this.flush = flush;

    /// <summary>Syncs done so far (each covering every commit that asked before it began).</summary>
    public long Syncs => Interlocked.Read(ref syncs);

    /// <summary>Completes once a sync that began after this call has finished; faults when it failed.</summary>
    public Task FlushAsync()
    {
        lock (sync)
        {
            waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var covered = waiting.Task;
            if (!flushing)
            {
                flushing = true;
                _ = Task.Run(SyncWhileAsked);
            }

            return covered;
        }
    }

    /// <summary>Syncs for everyone who asked before each sync began, until nobody waits.</summary>
    private void SyncWhileAsked()
    {
        while (true)
        {
            TaskCompletionSource batch;
            lock (sync)
            {
                if (waiting is null)
                {
                    flushing = false;
                    return;
                }

                batch = waiting;
                waiting = null;
            }

            try
            {
                flush();
                Interlocked.Increment(ref syncs);
                batch.SetResult();
            }
            catch (Exception exception)
            {
                batch.SetException(exception);
            }
        }
    }

    /// <summary>
    /// fsync of the file's data, whoever wrote it. No log file means nothing waits in one: SQLite
    /// removes it only after checkpointing it into the database and syncing that.
    /// </summary>
    private static void SyncFile(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            file.Flush(flushToDisk: true);
        }
        catch (FileNotFoundException)
        {
        }
    }
}
