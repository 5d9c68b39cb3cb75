using System.Collections.Immutable;

namespace Dispatch.Suggestions;

/// <summary>One department's figures for a period: the suggestions handed to it in the period and what became of them.</summary>
/// <param name="Escalated">Handed over in the period and past their deadline unanswered at some point (answered late, or not yet).</param>
/// <param name="Satisfaction">满意 and 基本满意 as a share of the rated answers; null when none was rated.</param>
public sealed record DepartmentSuggestionFigures(
    string DepartmentId,
    int HandedOver,
    int Answered,
    int AnsweredOnTime,
    int Escalated,
    int Rated,
    int Satisfied,
    int BasicallySatisfied,
    int Dissatisfied,
    double? Satisfaction);

/// <summary>The suggestions about a place handed over in a period, and how many of them were answered (on time).</summary>
public sealed record SuggestionTotals(int HandedOver, int Answered, int AnsweredOnTime)
{
    public static readonly SuggestionTotals None = new(0, 0, 0);
}

/// <summary>
/// Counts suggestions per department for a period, plain C#. A suggestion counts in the period in
/// which it was handed over (集中交办 is the event the figures follow), and there with what has
/// become of it since: answered, on time, rated.
/// </summary>
public static class SuggestionStatistics
{
    public static ImmutableArray<DepartmentSuggestionFigures> ByDepartment(IEnumerable<SuggestionView> suggestions, DateTimeOffset from, DateTimeOffset to) =>
        [.. suggestions
            .Where(s => s.DepartmentId is not null && s.HandedOverAt is { } at && at >= from && at < to)
            .GroupBy(s => s.DepartmentId!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Figures(g.Key, [.. g]))];

    /// <summary>
    /// The suggestions concerning <paramref name="placeId"/> or a place below it handed over in
    /// [<paramref name="from"/>, <paramref name="to"/>) (either end open when null), and what
    /// became of them since, as <see cref="ByDepartment"/> counts them.
    /// </summary>
    public static SuggestionTotals Totals(IEnumerable<SuggestionView> suggestions, string placeId, DateTimeOffset? from, DateTimeOffset? to)
    {
        var handed = suggestions
            .Where(s => s.DepartmentId is not null && s.HandedOverAt is { } at && (from is null || at >= from) && (to is null || at < to))
            .Where(s => s.PlacePath.Contains(placeId, StringComparer.Ordinal))
            .ToList();
        return new SuggestionTotals(handed.Count, handed.Count(s => s.Status == SuggestionStatus.Answered), handed.Count(s => s.AnsweredOnTime));
    }

    private static DepartmentSuggestionFigures Figures(string departmentId, IReadOnlyList<SuggestionView> handed)
    {
        var satisfied = handed.Count(s => s.Rating == SuggestionRating.Satisfied);
        var basically = handed.Count(s => s.Rating == SuggestionRating.BasicallySatisfied);
        var rated = handed.Count(s => s.Rating is not null);
        return new DepartmentSuggestionFigures(
            departmentId,
            handed.Count,
            handed.Count(s => s.Status == SuggestionStatus.Answered),
            handed.Count(s => s.AnsweredOnTime),
            handed.Count(s => s.Overdue),
            rated,
            satisfied,
            basically,
            handed.Count(s => s.Rating == SuggestionRating.Dissatisfied),
            rated == 0 ? null : (double)(satisfied + basically) / rated);
    }
}
