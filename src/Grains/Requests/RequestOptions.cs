namespace Dispatch.Requests;

/// <summary>Configuration section <c>Dispatch:Requests</c>: rules of a request that operators may tune.</summary>
public sealed class RequestOptions
{
    public const string Section = "Dispatch:Requests";

    public static readonly TimeSpan MaxReclaimCoolDown = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a volunteer who released a request must wait before claiming it again (a claim
    /// → release loop would otherwise fill its history); zero turns the cool-down off. An offer
    /// staff make to them is not held back.
    /// </summary>
    public TimeSpan ReclaimCoolDown { get; set; } = TimeSpan.FromMinutes(10);

    public const int MinHistoryKept = 10;

    public const int MaxHistoryKept = 10_000;

    /// <summary>
    /// How many of its latest history entries a request keeps in its own state; older ones live in
    /// the query store only (every entry is still read through <c>GET …/history</c> with paging).
    /// </summary>
    public int HistoryKept { get; set; } = 100;

    public bool IsValid() =>
        ReclaimCoolDown >= TimeSpan.Zero && ReclaimCoolDown <= MaxReclaimCoolDown
        && HistoryKept is >= MinHistoryKept and <= MaxHistoryKept;
}
