namespace Dispatch.Requests;

/// <summary>Configuration section <c>Dispatch:Requests</c>: rules of a request that operators may tune.</summary>
public sealed class RequestOptions
{
    public const string Section = "Dispatch:Requests";

    public static readonly TimeSpan MaxReclaimCoolDown = TimeSpan.FromDays(1);

    public static readonly TimeSpan MinIdleDeactivation = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan MaxIdleDeactivation = TimeSpan.FromDays(1);

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

    /// <summary>
    /// How long a request grain stays in memory without a call before Orleans deactivates it. Its
    /// reminder brings it back for its next deadline; boards and feeds keep its summary meanwhile.
    /// </summary>
    public TimeSpan IdleDeactivation { get; set; } = TimeSpan.FromMinutes(10);

    public bool IsValid() =>
        ReclaimCoolDown >= TimeSpan.Zero && ReclaimCoolDown <= MaxReclaimCoolDown
        && HistoryKept is >= MinHistoryKept and <= MaxHistoryKept
        && IdleDeactivation >= MinIdleDeactivation && IdleDeactivation <= MaxIdleDeactivation;
}
