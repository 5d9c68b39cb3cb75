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
