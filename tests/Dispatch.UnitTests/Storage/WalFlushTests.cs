using Dispatch.Silo.Storage;

namespace Dispatch.UnitTests.Storage;

/// <summary>
/// Group commit: a writer is answered only after a sync that began after it asked, and writers who
/// ask while a sync runs share the next one. The sync is held by the test to see who waits for which.
/// </summary>
public sealed class WalFlushTests
{
    [Fact]
    public async Task A_flush_completes_after_one_sync()
    {
        var syncs = new HeldSyncs();
        var flush = new WalFlush(syncs.Sync);

        var flushed = flush.FlushAsync();
        await syncs.Started(1);
        Assert.False(flushed.IsCompleted);

        syncs.Release();
        await flushed;
        Assert.Equal(1, flush.Syncs);
    }

    [Fact]
    public async Task Writers_who_ask_during_a_sync_wait_for_the_next_and_share_it()
    {
        var syncs = new HeldSyncs();
        var flush = new WalFlush(syncs.Sync);

        var first = flush.FlushAsync();
        await syncs.Started(1);

        // These committed after the running sync began: it does not cover them.
        var later = new[] { flush.FlushAsync(), flush.FlushAsync(), flush.FlushAsync() };
        syncs.Release();
        await first;
        await syncs.Started(2);
        Assert.All(later, task => Assert.False(task.IsCompleted));

        syncs.Release();
        await Task.WhenAll(later);
        Assert.Equal(2, flush.Syncs);
    }

    [Fact]
    public async Task A_failed_sync_fails_the_writers_it_covered_and_the_next_writer_syncs_again()
    {
        var syncs = new HeldSyncs { FailNext = true };
        var flush = new WalFlush(syncs.Sync);

        var failed = flush.FlushAsync();
        await syncs.Started(1);
        syncs.Release();
        await Assert.ThrowsAsync<IOException>(() => failed);

        var next = flush.FlushAsync();
        await syncs.Started(2);
        syncs.Release();
        await next;
        Assert.Equal(1, flush.Syncs);
    }

    /// <summary>Syncs that block until the test releases each one, counting those that began.</summary>
    private sealed class HeldSyncs
    {
        private readonly SemaphoreSlim released = new(0);
        private readonly SemaphoreSlim began = new(0);
        private int started;

        public bool FailNext { get; set; }

        public void Sync()
        {
            Interlocked.Increment(ref started);
            began.Release();
            released.Wait();
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("The disk refused the sync.");
            }
        }

        public void Release() => released.Release();

        /// <summary>Waits until <paramref name="count"/> syncs in all have begun.</summary>
        public async Task Started(int count)
        {
            while (Volatile.Read(ref started) < count)
            {
                await began.WaitAsync();
            }
        }
    }
}
