using System.Globalization;
using Dispatch.Common;
using Dispatch.Queries;
using Dispatch.WebHost.Infrastructure;

namespace Dispatch.WebHost.Statistics;

/// <summary>
/// How a period's figures are broken down (<c>groupBy</c>) and on whose calendar days, weeks and
/// months fall (<c>utcOffset</c>, such as <c>+08:00</c> for Beijing; UTC without it). A breakdown
/// by day needs a period of at most <see cref="MaxDays"/> days, so that its answer stays small.
/// </summary>
public sealed record StatisticsBreakdown(StatisticsGrouping? GroupBy, TimeSpan UtcOffset)
{
    public const int MaxDays = 366;

    public static StatisticsBreakdown Parse(string? groupBy, string? utcOffset, DateTimeOffset? from, DateTimeOffset? to, ValidationErrors errors)
    {
        var grouping = Query.ParseEnum<StatisticsGrouping>(groupBy, "groupBy", errors);
        errors.Require(
            grouping != StatisticsGrouping.Day || (from is { } start && to is { } end && end - start <= TimeSpan.FromDays(MaxDays)),
            "groupBy", $"'groupBy=day' needs 'from' and 'to' at most {MaxDays} days apart.");
        return new StatisticsBreakdown(grouping, Offset(utcOffset, errors));
    }

    /// <summary>'+08:00', '-05:30' or '+00:00': whole quarter hours from −12:00 to +14:00, as time zones are.</summary>
    private static TimeSpan Offset(string? value, ValidationErrors errors)
    {
        if (value is null)
        {
            return TimeSpan.Zero;
        }

        if (value is { Length: 6 } && value[0] is '+' or '-' && value[3] == ':'
            && TimeSpan.TryParseExact(value[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var span) && span.Minutes % 15 == 0)
        {
            var offset = value[0] == '-' ? -span : span;
            if (offset >= TimeSpan.FromHours(-12) && offset <= TimeSpan.FromHours(14))
            {
                return offset;
            }
        }

        errors.Add("utcOffset", "'utcOffset' must be an offset from UTC such as +08:00 or -05:30.");
        return TimeSpan.Zero;
    }
}
