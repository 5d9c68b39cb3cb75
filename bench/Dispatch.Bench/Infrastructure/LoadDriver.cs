using System.Diagnostics;

namespace Dispatch.Bench.Infrastructure;

/// <summary>
/// Fires a fixed list of operations through a bounded pool of concurrent clients, each taking the
/// next one as soon as its last one is answered (a closed loop: the load never exceeds the pool).
/// </summary>
public static class LoadDriver
{
    /// <summary>Runs <paramref name="operation"/> once for each index below <paramref name="count"/>; returns the wall time of the whole run.</summary>
    public static async Task<TimeSpan> RunAsync(int count, int concurrency, Func<int, Task> operation, IProgress<int>? progress = null)
    {
        var next = -1;
        var done = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(concurrency, count))).Select(async _ =>
        {
            await Task.Yield();
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                await operation(index);
                var finished = Interlocked.Increment(ref done);
                if (progress is not null && finished % 5000 == 0)
                {
                    progress.Report(finished);
                }
            }
        });
        await Task.WhenAll(workers);
        return clock.Elapsed;
    }

    /// <summary>An HTTP client for load: keep-alive connections, no proxy, no cap below the pool's size.</summary>
    public static HttpClient CreateClient(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = Math.Max(connections, 1),
        UseProxy = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };
}
