using System.Collections.Immutable;
using Dispatch.Queries;
using Dispatch.Statistics;

namespace Dispatch.WebHost.Statistics;

/// <summary>
/// A place's figures for a period (requests created in it), as <see cref="PlaceStatistics"/> has
/// them, with a breakdown: read from the query store. <see cref="RegisteredVolunteers"/>,
/// <see cref="Organisations"/>, <see cref="PointsIssued"/> and <see cref="PointsRedeemed"/> are
/// standings (the place's now), not counts of the period.
/// </summary>
public sealed record PeriodStatistics(
    string PlaceId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    StatisticsGrouping? GroupBy,
    int Communities,
    int RegisteredVolunteers,
    int Organisations,
    RequestCounts Requests,
    ImmutableSortedDictionary<string, RequestCounts> ByKind,
    int Dispatches,
    DispatchAnswers DispatchAnswers,
    int WishesFulfilled,
    int MattersDone,
    int PointsIssued,
    int PointsRedeemed,
    int PointsAwarded,
    double? CompletionRate,
    double? OnTimeRate,
    TimeSpan? AverageTimeToClaim,
    TimeSpan? AverageTimeToComplete,
    double? AverageRating,
    int Ratings,
    int Satisfied,
    int BasicallySatisfied,
    int Unsatisfied,
    double? ResidentSatisfaction,
    ImmutableArray<StatisticsGroup> Groups)
{
    /// <summary>The period's requests by the highest level of the ladder each climbed to (1 the town, 2 the county, 3 the region), every level listed.</summary>
    public ImmutableArray<LevelCount> Escalations { get; init; } = [];

    /// <summary>The categories the most of the period's requests carry, most first (at most <see cref="TopCategoryCount"/>).</summary>
    public ImmutableArray<CategoryCount> TopCategories { get; init; } = [];

    public const int TopCategoryCount = 10;

    /// <summary>Service hours (志愿时长) done in the place's communities in the period, as <c>GET /api/places/{id}/hours</c> sums them.</summary>
    public decimal Hours { get; init; }

    /// <summary>Person-times (人次): activities attended and claimants' confirmed services of requests, in the period.</summary>
    public int PersonTimes { get; init; }

    /// <summary>Suggestions about the place or below handed over to departments in the period (集中交办).</summary>
    public int SuggestionsHandedOver { get; init; }

    /// <summary>Of those, the ones answered (办理结果), whenever.</summary>
    public int SuggestionsAnswered { get; init; }

    /// <summary>Of those, the ones answered before their deadline.</summary>
    public int SuggestionsAnsweredOnTime { get; init; }

    public static PeriodStatistics Of(PlaceStatistics figures, DateTimeOffset? from, DateTimeOffset? to, StatisticsGrouping? groupBy, ImmutableArray<StatisticsGroup> groups) => new(
        figures.PlaceId, from, to, groupBy, figures.Communities, figures.RegisteredVolunteers, figures.Organisations,
        figures.Requests, figures.ByKind, figures.Dispatches, figures.DispatchAnswers, figures.WishesFulfilled,
        figures.MattersDone, figures.PointsIssued, figures.PointsRedeemed, figures.PointsAwarded,
        figures.CompletionRate, figures.OnTimeRate, figures.AverageTimeToClaim, figures.AverageTimeToComplete,
        figures.AverageRating, figures.Ratings, figures.Satisfied, figures.BasicallySatisfied, figures.Unsatisfied,
        figures.ResidentSatisfaction, groups);

    /// <summary>The request figures of <paramref name="totals"/>, with the standings given.</summary>
    public static PlaceStatistics Figures(string placeId, int communities, RequestTotals? totals, StatisticsTotals standing) =>
        PlaceStatistics.From(placeId, communities, ToStatisticsTotals(totals, standing));

    private static StatisticsTotals ToStatisticsTotals(RequestTotals? t, StatisticsTotals standing) => t is null
        ? StatisticsTotals.Empty with
        {
            RegisteredVolunteers = standing.RegisteredVolunteers, Organisations = standing.Organisations,
            PointsIssued = standing.PointsIssued, PointsRedeemed = standing.PointsRedeemed,
        }
        : new StatisticsTotals(
            t.ByKindAndStatus, t.Offers, t.OffersAccepted, t.OffersDeclined, t.OffersLapsed, t.OffersPending,
            t.Claimed, t.TicksToClaim, t.Completed, t.TicksToComplete, t.Rated, t.RatingSum, t.VerifiedOnTime,
            t.PointsAwarded, standing.RegisteredVolunteers, standing.Organisations, standing.PointsIssued, standing.PointsRedeemed)
        {
            Satisfied = t.Satisfied,
            BasicallySatisfied = t.BasicallySatisfied,
            Unsatisfied = t.Unsatisfied,
        };
}

/// <summary>
/// One group of a <see cref="PeriodStatistics"/> breakdown: a community, town or county (key: its
/// id), a month (<c>2026-12</c>, UTC), a week (its Monday, <c>2026-11-30</c>) or a kind. The
/// standings are not broken down: null here.
/// </summary>
public sealed record StatisticsGroup(
    string Key,
    string Name,
    int? Communities,
    int? RegisteredVolunteers,
    int? Organisations,
    RequestCounts Requests,
    ImmutableSortedDictionary<string, RequestCounts> ByKind,
    int Dispatches,
    DispatchAnswers DispatchAnswers,
    int WishesFulfilled,
    int MattersDone,
    int? PointsIssued,
    int? PointsRedeemed,
    int PointsAwarded,
    double? CompletionRate,
    double? OnTimeRate,
    TimeSpan? AverageTimeToClaim,
    TimeSpan? AverageTimeToComplete,
    double? AverageRating,
    int Ratings,
    int Satisfied,
    int BasicallySatisfied,
    int Unsatisfied,
    double? ResidentSatisfaction)
{
    /// <summary>The group's service hours: for a community, town or county; null for months, weeks, days and kinds.</summary>
    public decimal? Hours { get; init; }

    /// <summary>The group's person-times (人次): for a community, town or county; null otherwise.</summary>
    public int? PersonTimes { get; init; }

    /// <summary>Suggestions about the group's place or below handed over in the period; null for months, weeks, days and kinds.</summary>
    public int? SuggestionsHandedOver { get; init; }

    public int? SuggestionsAnswered { get; init; }

    public int? SuggestionsAnsweredOnTime { get; init; }

    public static StatisticsGroup Of(string key, string name, int? communities, PlaceStatistics figures) => new(
        key, name, communities, null, null, figures.Requests, figures.ByKind, figures.Dispatches,
        figures.DispatchAnswers, figures.WishesFulfilled, figures.MattersDone, null, null, figures.PointsAwarded,
        figures.CompletionRate, figures.OnTimeRate, figures.AverageTimeToClaim, figures.AverageTimeToComplete,
        figures.AverageRating, figures.Ratings, figures.Satisfied, figures.BasicallySatisfied, figures.Unsatisfied,
        figures.ResidentSatisfaction);
}
