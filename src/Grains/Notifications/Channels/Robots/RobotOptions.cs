namespace Dispatch.Notifications.Channels.Robots;

/// <summary>
/// The group robots' limits and wire settings (<c>Dispatch:Notifications:Robots</c>). The robots
/// themselves (URL and secret) belong to a place's channel settings, not to this file.
/// </summary>
public sealed class RobotOptions
{
    public const string Section = "Dispatch:Notifications:Robots";

    /// <summary>WeCom allows 20 messages a minute per robot and 4,096 bytes of markdown.</summary>
    public RobotChannelOptions WeCom { get; set; } = new() { PerMinute = 18, MaxBytes = 4096 };

    /// <summary>DingTalk allows 20 messages a minute per robot.</summary>
    public RobotChannelOptions DingTalk { get; set; } = new() { PerMinute = 18, MaxBytes = 4096 };

    /// <summary>
    /// Feishu allows 5 messages a second and 100 a minute per robot, and a 20 KB request body; its
    /// <see cref="RobotChannelOptions.MaxBytes"/> counts the whole JSON body.
    /// </summary>
    public RobotChannelOptions Feishu { get; set; } = new() { PerSecond = 4, PerMinute = 90, MaxBytes = 18_000 };

    /// <summary>How long one call to a robot may take before it counts as "try again later".</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The title of a digest; <c>{0}</c> is the number of messages merged into it.</summary>
    public string DigestTitle { get; set; } = "通知汇总 Digest ({0})";

    public bool IsValid() =>
        WeCom.IsValid() && DingTalk.IsValid() && Feishu.IsValid()
        && RequestTimeout >= TimeSpan.FromSeconds(1) && RequestTimeout <= TimeSpan.FromMinutes(5)
        && !string.IsNullOrWhiteSpace(DigestTitle) && DigestTitle.Contains("{0}", StringComparison.Ordinal);
}

/// <summary>One vendor's budget per robot and the most bytes one message may carry.</summary>
public sealed class RobotChannelOptions
{
    /// <summary>Messages a robot may send in any one second; null for no per-second limit.</summary>
    public int? PerSecond { get; set; }

    /// <summary>Messages a robot may send in any one minute; null for no per-minute limit.</summary>
    public int? PerMinute { get; set; }

    /// <summary>The most UTF-8 bytes of text in one message; longer texts are split.</summary>
    public int MaxBytes { get; set; } = 4096;

    public IReadOnlyList<RateWindow> Windows()
    {
        var windows = new List<RateWindow>(2);
        if (PerSecond is { } perSecond) windows.Add(new RateWindow(perSecond, TimeSpan.FromSeconds(1)));
        if (PerMinute is { } perMinute) windows.Add(new RateWindow(perMinute, TimeSpan.FromMinutes(1)));
        return windows;
    }

    public bool IsValid() =>
        (PerSecond ?? 1) is >= 1 and <= 1000
        && (PerMinute ?? 1) is >= 1 and <= 10_000
        && (PerSecond is not null || PerMinute is not null)
        && MaxBytes is >= 256 and <= 1_000_000;
}

/// <summary>At most <paramref name="Messages"/> in any <paramref name="Span"/>.</summary>
public sealed record RateWindow(int Messages, TimeSpan Span);
