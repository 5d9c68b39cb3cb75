using System.Collections.Immutable;
using System.Text.Json;
using Dispatch.Requests;
using Dispatch.Statistics;

namespace Dispatch.WebHost.Statistics;

/// <summary>
/// The rows of a statistics export: the place's figures first, then one row per group, with the
/// columns of <see cref="PeriodStatistics"/> flattened (requests by status and by kind, averages in hours,
/// the residents' ratings and their satisfaction share last).
/// </summary>
public static class StatisticsExport
{
    private static readonly string[] Statuses = [.. Enum.GetValues<RequestStatus>().Select(Name)];

    private static readonly string[] Kinds = [.. Enum.GetValues<RequestKind>().Select(Name)];

    public static readonly ImmutableArray<string> Header =
    [
        "key", "name", "communities", "requests",
        .. Statuses.Select(s => "requests." + s),
        .. Kinds.Select(k => "byKind." + k),
        "dispatches", "dispatchesAccepted", "dispatchesDeclined", "dispatchesLapsed", "wishesFulfilled", "mattersDone",
        "pointsAwarded", "completionRate", "onTimeRate", "averageHoursToClaim", "averageHoursToComplete", "averageRating", "ratings",
        "satisfied", "basicallySatisfied", "unsatisfied", "residentSatisfaction",
    ];

    /// <summary>The place's own row: its id and name.</summary>
    public static object?[] Row(PeriodStatistics place, string name) => Row(
        place.PlaceId, name, place.Communities, place.Requests, place.ByKind, place.Dispatches, place.DispatchAnswers,
        place.WishesFulfilled, place.MattersDone, place.PointsAwarded, place.CompletionRate, place.OnTimeRate,
        place.AverageTimeToClaim, place.AverageTimeToComplete, place.AverageRating, place.Ratings,
        new ResidentRatings(place.Satisfied, place.BasicallySatisfied, place.Unsatisfied, place.ResidentSatisfaction));

    public static object?[] Row(StatisticsGroup group) => Row(
        group.Key, group.Name, group.Communities, group.Requests, group.ByKind, group.Dispatches, group.DispatchAnswers,
        group.WishesFulfilled, group.MattersDone, group.PointsAwarded, group.CompletionRate, group.OnTimeRate,
        group.AverageTimeToClaim, group.AverageTimeToComplete, group.AverageRating, group.Ratings,
        new ResidentRatings(group.Satisfied, group.BasicallySatisfied, group.Unsatisfied, group.ResidentSatisfaction));

    private static object?[] Row(
        string key, string name, int? communities, RequestCounts requests, ImmutableSortedDictionary<string, RequestCounts> byKind,
        int dispatches, DispatchAnswers answers, int wishesFulfilled, int mattersDone, int pointsAwarded, double? completionRate,
        double? onTimeRate, TimeSpan? toClaim, TimeSpan? toComplete, double? averageRating, int ratings, ResidentRatings residents) =>
    [
        key, name, communities, requests.Total,
        .. Statuses.Select(s => (object?)requests.ByStatus.GetValueOrDefault(s)),
        .. Kinds.Select(k => (object?)(byKind.TryGetValue(k, out var counts) ? counts.Total : 0)),
        dispatches, answers.Accepted, answers.Declined, answers.Lapsed, wishesFulfilled, mattersDone,
        pointsAwarded, completionRate, onTimeRate, toClaim?.TotalHours, toComplete?.TotalHours, averageRating, ratings,
        residents.Satisfied, residents.BasicallySatisfied, residents.Unsatisfied, residents.Satisfaction,
    ];

    /// <summary>The residents' own ratings (群众评议), apart from staff's verification rating: the same figures as the statistics JSON.</summary>
    private sealed record ResidentRatings(int Satisfied, int BasicallySatisfied, int Unsatisfied, double? Satisfaction);

    private static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
