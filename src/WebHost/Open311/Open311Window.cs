using System.Globalization;
using Dispatch.Common;

namespace Dispatch.WebHost.Open311;

/// <summary>GeoReport's date filters: W3C date-times, a 90-day span by default and at most, at most 1,000 items.</summary>
public static class Open311Window
{
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(90);

    /// <summary>The longest span a read may ask for: every read walks the jurisdiction's requests filed in it.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(90);

    public const int MaxItems = 1000;

    /// <summary>How many <c>service_request_id</c>s one read may name: each one is a grain to read.</summary>
    public const int MaxIds = 50;

    /// <summary>
    /// The span to search: both bounds as given; one bound and 90 days from it; neither, the last
    /// 90 days. Errors name the parameter at fault.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) Resolve(string? startDate, string? endDate, DateTimeOffset now, ValidationErrors errors)
    {
        var start = Parse(startDate, "start_date", errors);
        var end = Parse(endDate, "end_date", errors);
        var window = (start, end) switch
        {
            ({ } s, { } e) => (s, e),
            ({ } s, null) => (s, Shift(s, DefaultSpan)),
            (null, { } e) => (Shift(e, -DefaultSpan), e),
            _ => (Shift(now, -DefaultSpan), now),
        };

        errors.Require(window.Item1 <= window.Item2, "end_date", "'end_date' must not be before 'start_date'.");
        errors.Require(window.Item2 - window.Item1 <= MaxSpan, "end_date", $"'end_date' must be at most {MaxSpan.TotalDays:0} days after 'start_date': ask for a longer span in several reads.");
        return window;
    }

    /// <summary>Moves a time, stopping at the ends of the calendar instead of throwing (a client may ask for year 1 or 9999).</summary>
    public static DateTimeOffset Shift(DateTimeOffset time, TimeSpan by)
    {
        var ticks = Math.Clamp(time.UtcTicks + by.Ticks, DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>A date-time with its offset (UTC when it has none); null when absent or malformed (then an error).</summary>
    public static DateTimeOffset? Parse(string? value, string name, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }

        errors.Add(name, $"'{name}' must be a date and time such as 2026-01-31T08:00:00Z.");
        return null;
    }
}
