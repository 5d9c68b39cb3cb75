using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Dispatch.Notifications;

/// <summary>How many of something wait, and the titles of the oldest few.</summary>
public sealed record DigestLine(int Count, ImmutableArray<string> Oldest)
{
    public static DigestLine None { get; } = new(0, []);
}

/// <summary>What a place's morning digest counts: requests overdue, requests waiting verification, report-ins waiting approval.</summary>
public sealed record DigestFigures(string PlaceName, DigestLine Overdue, DigestLine WaitingVerification, DigestLine WaitingApproval);

/// <summary>
/// The morning digest (每日待办汇总) as plain C#: when it is due and what it says. Times are China
/// standard time (UTC+8, no daylight saving), the offices' clock. It names requests by their title
/// and report-ins by the applicant's name only, as the alerts do: never a beneficiary, a resident or
/// anyone's contact.
/// </summary>
public static class MorningDigest
{
    /// <summary>How many of the oldest titles each line lists.</summary>
    public const int TitlesShown = 3;

    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>The dedupe key of a place's digest of one day: one digest per place and day, whichever silo sends it.</summary>
    public static string Key(string placeId, DateOnly date) =>
        $"digest:{placeId}:{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>The China date of <paramref name="now"/>.</summary>
    public static DateOnly DateOf(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(ChinaOffset).DateTime);

    /// <summary>The digest time on <paramref name="date"/>, as an instant.</summary>
    public static DateTimeOffset TimeOn(DateOnly date, TimeSpan digestTime) =>
        new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), ChinaOffset) + digestTime;

    /// <summary>
    /// The date whose digest is due at <paramref name="now"/>: today's once its time has passed and
    /// it was not sent (<paramref name="lastSent"/>); null when none is. A day slept through is not
    /// sent late the next day: only today's counts are worth reading.
    /// </summary>
    public static DateOnly? Due(DateTimeOffset now, TimeSpan digestTime, DateOnly? lastSent)
    {
        var today = DateOf(now);
        return now >= TimeOn(today, digestTime) && (lastSent is null || lastSent < today) ? today : null;
    }

    /// <summary>When the next digest is due after what was sent: today's time if today's is still to come, else tomorrow's.</summary>
    public static DateTimeOffset Next(DateTimeOffset now, TimeSpan digestTime, DateOnly? lastSent)
    {
        var today = DateOf(now);
        if (lastSent is null || lastSent < today)
        {
            var todays = TimeOn(today, digestTime);
            return todays > now ? todays : now;
        }

        return TimeOn(today.AddDays(1), digestTime);
    }

    /// <summary>The digest's title and markdown text, in Chinese with a short English line.</summary>
    public static (string Title, string Text) Compose(DateOnly date, DigestFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var day = date.ToString("M月d日", CultureInfo.InvariantCulture);
        var title = $"【每日汇总】{figures.PlaceName} {day}";
        var text = new StringBuilder();
        Line(text, "已超期的需求", figures.Overdue);
        Line(text, "待核验的需求", figures.WaitingVerification);
        Line(text, "待审核的报到申请", figures.WaitingApproval);
        if (figures.Overdue.Count + figures.WaitingVerification.Count + figures.WaitingApproval.Count == 0)
        {
            text.Append("今日无待办事项。\n");
        }

        text.Append(CultureInfo.InvariantCulture,
            $"\nDaily digest: {figures.Overdue.Count} overdue, {figures.WaitingVerification.Count} waiting verification, {figures.WaitingApproval.Count} report-ins waiting approval.");
        return (title, text.ToString());
    }

    private static void Line(StringBuilder text, string label, DigestLine line)
    {
        text.Append(CultureInfo.InvariantCulture, $"**{label}：{line.Count} 件**\n");
        foreach (var title in line.Oldest.Take(TitlesShown))
        {
            text.Append(CultureInfo.InvariantCulture, $"- {title}\n");
        }

        if (line.Count > Math.Min(line.Oldest.Length, TitlesShown))
        {
            text.Append(CultureInfo.InvariantCulture, $"- ……另有 {line.Count - Math.Min(line.Oldest.Length, TitlesShown)} 件\n");
        }
    }
}
