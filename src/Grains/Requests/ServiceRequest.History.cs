using System.Collections.Immutable;

namespace Dispatch.Requests;

/// <summary>
/// The bounded history: the request keeps its latest entries, the query store keeps them all
/// (<c>query_history</c>). Entries are numbered 1, 2, … for good; <see cref="HistoryTrimmed"/>
/// counts those no longer kept here, so <see cref="Version"/> still counts every entry.
/// </summary>
public sealed partial class ServiceRequest
{
    /// <summary>How many of the oldest entries were dropped from <see cref="History"/> once the query store held them.</summary>
    [Id(50)] public int HistoryTrimmed { get; private set; }

    /// <summary>
    /// Drops the oldest entries beyond <paramref name="keep"/>, but only those the query store
    /// holds (<paramref name="archivedThrough"/>: every entry up to that number is stored there).
    /// Not a change of the request: <see cref="Version"/> stays. Returns how many were dropped.
    /// </summary>
    public int TrimHistory(int keep, int archivedThrough)
    {
        var drop = HistoryWindow.Droppable(History, keep, archivedThrough);
        if (drop > 0)
        {
            History = History.RemoveRange(0, drop);
            HistoryTrimmed += drop;
        }

        return drop;
    }
}

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
