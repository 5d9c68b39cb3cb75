namespace Dispatch;

/// <summary>The one way grains store their state: write it, or drop the activation.</summary>
public static class StateWrites
{
    /// <summary>
    /// Writes <paramref name="state"/>. If the write fails, the activation is dropped and the
    /// exception rethrown, so the next call reloads what is really stored: a failed write leaves
    /// memory ahead of storage, and answering from that memory would acknowledge a change that
    /// never was.
    /// </summary>
    /// <param name="failed">Runs when the write (or <paramref name="first"/>) fails, before the rethrow: logging, putting memory back.</param>
    /// <param name="first">Runs before the write, under the same rule: what must be in place before the state saying so is stored (a reminder brought forward).</param>
    public static async Task WriteOrReloadAsync<T>(
        this IPersistentState<T> state, IGrainBase grain, Action<Exception>? failed = null, Func<Task>? first = null)
    {
        try
        {
            if (first is not null)
            {
                await first();
            }

            await state.WriteStateAsync();
        }
        catch (Exception exception)
        {
            failed?.Invoke(exception);
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
