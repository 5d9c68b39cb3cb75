namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// Waits for a projection that is updated one-way (boards, counters) to catch up. It re-checks a
/// condition until it holds or a generous deadline passes; it never assumes how long that takes.
/// </summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> until, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var last = await read();
        while (!until(last))
        {
            if (deadline.IsCancellationRequested)
            {
                return last; // Let the caller's assertion report what was seen.
            }

            await Task.Delay(25, CancellationToken.None);
            last = await read();
        }

        return last;
    }
}
