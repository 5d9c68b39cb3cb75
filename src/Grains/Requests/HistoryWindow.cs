using System.Collections.Immutable;

namespace Dispatch.Requests;

/// <summary>The rule of the bounded history, kept apart so it can be read (and tested) on its own.</summary>
public static class HistoryWindow
{
    /// <summary>
    /// Whether the history has grown far enough past <paramref name="keep"/> to be worth trimming:
    /// a tenth of it (at least one entry), so the query store is asked once every few changes and
    /// not at every one.
    /// </summary>
    public static bool Due(int kept, int keep) => kept >= keep + Slack(keep);

    public static int Slack(int keep) => Math.Max(1, keep / 10);

    /// <summary>
    /// How many of the oldest <paramref name="history"/> entries may go: those beyond the latest
    /// <paramref name="keep"/>, and of them only the ones numbered at or below
    /// <paramref name="archivedThrough"/>. An entry the store has not confirmed is never dropped,
    /// so a crash between the request's write and the projection's loses nothing: the catch-up
    /// projects the stored state, which still holds it.
    /// </summary>
    public static int Droppable(ImmutableArray<HistoryEntry> history, int keep, int archivedThrough)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var drop = 0;
        while (history.Length - drop > keep && history[drop].Seq <= archivedThrough)
        {
            drop++;
        }

        return drop;
    }
}
