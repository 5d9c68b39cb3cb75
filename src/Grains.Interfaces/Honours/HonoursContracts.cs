using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using Dispatch.Common;
using Dispatch.Schemes;

namespace Dispatch.Honours;

/// <summary>What an honour list ranks by.</summary>
public enum HonoursBy
{
    Hours,
    Points,
    Rating,
}

/// <summary>Whom an honour list ranks: volunteers, or units (organisations reporting in, over their members).</summary>
public enum HonoursOf
{
    People,
    Units,
}

/// <summary>
/// A month (<c>2026-11</c>), a quarter (<c>2026-Q4</c>) or a year (<c>2026</c>), in China time
/// (<see cref="PointsCalendar"/>): <paramref name="From"/> inclusive, <paramref name="To"/> exclusive.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.HonoursPeriod")]
public sealed partial record HonoursPeriod(string Key, DateTimeOffset From, DateTimeOffset To)
{
    public static Outcome<HonoursPeriod> Parse(string? value, string field = "period")
    {
        var match = value is null ? null : Shape().Match(value);
        if (match is not { Success: true })
        {
            return Failure.Invalid(field, $"'{field}' must be a month (2026-11), a quarter (2026-Q4) or a year (2026).");
        }

        var year = int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture);
        var (first, months) = match.Groups["month"].Success ? (int.Parse(match.Groups["month"].Value, CultureInfo.InvariantCulture), 1)
            : match.Groups["quarter"].Success ? ((int.Parse(match.Groups["quarter"].Value, CultureInfo.InvariantCulture) * 3) - 2, 3)
            : (1, 12);
        if (year is < 2000 or > 2100 || first is < 1 or > 12)
        {
            return Failure.Invalid(field, $"'{field}' is not a month, quarter or year this service keeps.");
        }

        var start = new DateOnly(year, first, 1);
        return new HonoursPeriod(value!, PointsCalendar.StartOf(start), PointsCalendar.StartOf(start.AddMonths(months)));
    }

    public bool Contains(DateTimeOffset at) => at >= From && at < To;

    [GeneratedRegex(@"^(?<year>\d{4})(-(?<month>\d{2})|-Q(?<quarter>[1-4]))?$")]
    private static partial Regex Shape();
}

/// <summary>One volunteer's figures for a period at a place: hours served in its communities, points earned, ratings of their verified work.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.HonoursFigures")]
public sealed record HonoursFigures(string Username, string CommunityId, int Minutes, int Points, int Ratings, int RatingSum);

/// <summary>A line of an honour list: its rank (equal figures share one), who, and their figures.</summary>
/// <param name="Key">A username or an organisation id.</param>
/// <param name="Name">The person's or unit's name, as shown.</param>
/// <param name="Rating">The average rating (1–5) of the period's rated completions; null when none.</param>
/// <param name="Members">For a unit: its members with any figures in the period.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.HonoursLine")]
public sealed record HonoursLine(int Rank, string Key, string Name, string? CommunityId, decimal Hours, int Points, decimal? Rating, int Ratings, int Members);

[GenerateSerializer, Immutable, Alias("Dispatch.HonoursList")]
public sealed record HonoursList(string PlaceId, string Period, DateTimeOffset From, DateTimeOffset To, HonoursBy By, HonoursOf Of, ImmutableArray<HonoursLine> Lines);

/// <summary>A ratings tally of one volunteer, read from the query store by the caller.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RatingTally")]
public sealed record RatingTally(string Username, int Ratings, int Sum);

/// <summary>Builds a place's honour list (stateless): its communities' volunteers' hours and ledgers, its units.</summary>
public interface IHonoursGrain : IGrainWithIntegerKey
{
    Task<HonoursList> Rank(Places.PlaceInfo place, HonoursPeriod period, HonoursBy by, HonoursOf of, ImmutableArray<RatingTally> ratings);
}
