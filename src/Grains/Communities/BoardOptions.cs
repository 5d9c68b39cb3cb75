namespace Dispatch.Communities;

/// <summary>Configuration section <c>Dispatch:Boards</c>: what community boards and place feeds hold.</summary>
public sealed class BoardOptions
{
    public const string Section = "Dispatch:Boards";

    public static readonly TimeSpan MinFinishedWindow = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan MaxFinishedWindow = TimeSpan.FromDays(366);

    /// <summary>
    /// How long a finished (verified or cancelled) request stays on its community's board and in
    /// the live feeds; older ones are read from the query store. Counters and statistics count them all.
    /// </summary>
    public TimeSpan FinishedWindow { get; set; } = TimeSpan.FromDays(7);

    public bool IsValid() => FinishedWindow >= MinFinishedWindow && FinishedWindow <= MaxFinishedWindow;
}
