namespace Dispatch.Notifications;

/// <summary>How long and how many notices an inbox keeps (<c>Dispatch:Notifications</c>).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Dispatch:Notifications";

    /// <summary>Notices older than this leave the inbox.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The most notices one inbox keeps; the oldest go first.</summary>
    public int InboxCapacity { get; set; } = 500;

    /// <summary>When a place's morning digest goes out, China standard time (UTC+8).</summary>
    public TimeSpan DigestTime { get; set; } = TimeSpan.FromHours(8);

    public bool IsValid() =>
        DigestTime >= TimeSpan.Zero && DigestTime < TimeSpan.FromDays(1)
        && InboxRetention >= TimeSpan.FromDays(1) && InboxRetention <= TimeSpan.FromDays(3660)
        && InboxCapacity is >= 10 and <= 10_000;
}
