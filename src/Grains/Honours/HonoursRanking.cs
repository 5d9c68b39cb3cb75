using System.Collections.Immutable;
using Dispatch.Hours;

namespace Dispatch.Honours;

/// <summary>
/// Ranks people or units for an honour list, as plain C#: by hours, points or average rating,
/// highest first; equal figures share a rank (1, 2, 2, 4); nobody with nothing to rank by is
/// listed (no hours, no points, no rating). A unit's figures are its members' summed (its hours
/// its members' hours as their lines show them, as the unit's report sums them, so that the two
/// agree and the lines add up; its rating the average of all their ratings). At most
/// <see cref="MaxLines"/> lines.
/// </summary>
public static class HonoursRanking
{
    public const int MaxLines = 100;

    /// <param name="names">Display names by username or organisation id; a key without one shows itself.</param>
    /// <param name="units">Organisation id → (name, members).</param>
    public static ImmutableArray<HonoursLine> Rank(
        IEnumerable<HonoursFigures> people,
        HonoursBy by,
        HonoursOf of,
        IReadOnlyDictionary<string, (string Name, ImmutableArray<string> Members)> units,
        IReadOnlyDictionary<string, string> names)
    {
        var figures = people.ToDictionary(p => p.Username, StringComparer.Ordinal);
        var rows = of == HonoursOf.People
            ? figures.Values.Select(p => Row(p.Username, names.GetValueOrDefault(p.Username, p.Username), p.CommunityId, [p]))
            : units.Select(u => Row(u.Key, u.Value.Name, null, [.. u.Value.Members.Select(m => figures.GetValueOrDefault(m)).OfType<HonoursFigures>()]));

        var ranked = rows
            .Where(r => Score(r, by) is > 0)
            .OrderByDescending(r => Score(r, by))
            .ThenByDescending(r => by == HonoursBy.Rating ? r.Ratings : r.Points)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .Take(MaxLines)
            .ToList();
        var lines = ImmutableArray.CreateBuilder<HonoursLine>(ranked.Count);
        for (var i = 0; i < ranked.Count; i++)
        {
            var rank = i > 0 && Score(ranked[i], by) == Score(ranked[i - 1], by) ? lines[i - 1].Rank : i + 1;
            lines.Add(ranked[i] with { Rank = rank });
        }

        return lines.MoveToImmutable();
    }

    private static HonoursLine Row(string key, string name, string? communityId, IReadOnlyList<HonoursFigures> members)
    {
        var hours = members.Sum(m => HoursLimits.ToHours(m.Minutes));
        var ratings = members.Sum(m => m.Ratings);
        var sum = members.Sum(m => m.RatingSum);
        return new HonoursLine(
            0, key, name, communityId, hours, members.Sum(m => m.Points),
            ratings == 0 ? null : Math.Round((decimal)sum / ratings, 2, MidpointRounding.AwayFromZero), ratings,
            members.Count(m => m.Minutes > 0 || m.Points > 0 || m.Ratings > 0));
    }

    private static decimal? Score(HonoursLine line, HonoursBy by) => by switch
    {
        HonoursBy.Points => line.Points,
        HonoursBy.Rating => line.Rating,
        _ => line.Hours,
    };
}
