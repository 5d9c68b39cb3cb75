using System.Collections.Immutable;
using System.Text.Json;
using Dispatch.Requests;
using Dispatch.Statistics;

namespace Dispatch.WebHost.Statistics;

/// <summary>
/// The rows of a statistics export: the place's figures first, then one row per group, with the
/// columns of <see cref="PeriodStatistics"/> flattened (requests by status and by kind, averages in hours,
/// the residents' ratings and their satisfaction share, then the service hours, person-times and
/// suggestions).
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
        "hours", "personTimes", "suggestionsHandedOver", "suggestionsAnswered", "suggestionsAnsweredOnTime",
    ];

    /// <summary>The columns' names for a reader (<c>lang</c>); the requests by status are named as their statuses are.</summary>
    private static readonly Dictionary<string, (string Zh, string En)> HeaderNames = new Dictionary<string, (string Zh, string En)>(StringComparer.Ordinal)
    {
        ["key"] = ("编号", "Key"),
        ["name"] = ("名称", "Name"),
        ["communities"] = ("社区数", "Communities"),
        ["requests"] = ("需求总数", "Requests"),
        ["byKind.wish"] = ("微心愿", "Wishes"),
        ["byKind.errand"] = ("帮办代办", "Errands"),
        ["byKind.case"] = ("信访代办", "Cases"),
        ["byKind.activity"] = ("组团服务", "Group activities"),
        ["dispatches"] = ("派单数", "Dispatches"),
        ["dispatchesAccepted"] = ("派单已接受", "Dispatches accepted"),
        ["dispatchesDeclined"] = ("派单被婉拒", "Dispatches declined"),
        ["dispatchesLapsed"] = ("派单超时未答", "Dispatches lapsed"),
        ["wishesFulfilled"] = ("实现心愿", "Wishes fulfilled"),
        ["mattersDone"] = ("办结事项", "Matters done"),
        ["pointsAwarded"] = ("发放积分", "Points awarded"),
        ["completionRate"] = ("完成率", "Completion rate"),
        ["onTimeRate"] = ("按时率", "On-time rate"),
        ["averageHoursToClaim"] = ("平均认领用时（小时）", "Average hours to claim"),
        ["averageHoursToComplete"] = ("平均完成用时（小时）", "Average hours to complete"),
        ["averageRating"] = ("平均评分", "Average rating"),
        ["ratings"] = ("评分数", "Ratings"),
        ["satisfied"] = ("满意", "Satisfied"),
        ["basicallySatisfied"] = ("基本满意", "Basically satisfied"),
        ["unsatisfied"] = ("不满意", "Unsatisfied"),
        ["residentSatisfaction"] = ("群众满意度", "Resident satisfaction"),
        ["hours"] = ("服务时长（小时）", "Service hours"),
        ["personTimes"] = ("服务人次", "Person-times"),
        ["suggestionsHandedOver"] = ("交办建议", "Suggestions handed over"),
        ["suggestionsAnswered"] = ("已办理答复", "Suggestions answered"),
        ["suggestionsAnsweredOnTime"] = ("按期答复", "Answered on time"),
    }
    .Concat(Statuses.Select(s => KeyValuePair.Create("requests." + s, Infrastructure.ExportWords.NamesOf(s))))
    .ToDictionary(StringComparer.Ordinal);

    /// <summary>The header row in the reader's words (<see cref="Header"/> itself without a language).</summary>
    public static ImmutableArray<string> HeaderFor(Infrastructure.ExportWords words) => words.Header(Header, HeaderNames);

    /// <summary>The place's own row: its id and name.</summary>
    public static object?[] Row(PeriodStatistics place, string name) => Row(
        place.PlaceId, name, place.Communities, place.Requests, place.ByKind, place.Dispatches, place.DispatchAnswers,
        place.WishesFulfilled, place.MattersDone, place.PointsAwarded, place.CompletionRate, place.OnTimeRate,
        place.AverageTimeToClaim, place.AverageTimeToComplete, place.AverageRating, place.Ratings,
        new ResidentRatings(place.Satisfied, place.BasicallySatisfied, place.Unsatisfied, place.ResidentSatisfaction),
        new Service(place.Hours, place.PersonTimes, place.SuggestionsHandedOver, place.SuggestionsAnswered, place.SuggestionsAnsweredOnTime));

    public static object?[] Row(StatisticsGroup group) => Row(
        group.Key, group.Name, group.Communities, group.Requests, group.ByKind, group.Dispatches, group.DispatchAnswers,
        group.WishesFulfilled, group.MattersDone, group.PointsAwarded, group.CompletionRate, group.OnTimeRate,
        group.AverageTimeToClaim, group.AverageTimeToComplete, group.AverageRating, group.Ratings,
        new ResidentRatings(group.Satisfied, group.BasicallySatisfied, group.Unsatisfied, group.ResidentSatisfaction),
        new Service(group.Hours, group.PersonTimes, group.SuggestionsHandedOver, group.SuggestionsAnswered, group.SuggestionsAnsweredOnTime));

    private static object?[] Row(
        string key, string name, int? communities, RequestCounts requests, ImmutableSortedDictionary<string, RequestCounts> byKind,
        int dispatches, DispatchAnswers answers, int wishesFulfilled, int mattersDone, int pointsAwarded, double? completionRate,
        double? onTimeRate, TimeSpan? toClaim, TimeSpan? toComplete, double? averageRating, int ratings, ResidentRatings residents, Service service) =>
    [
        key, name, communities, requests.Total,
        .. Statuses.Select(s => (object?)requests.ByStatus.GetValueOrDefault(s)),
        .. Kinds.Select(k => (object?)(byKind.TryGetValue(k, out var counts) ? counts.Total : 0)),
        dispatches, answers.Accepted, answers.Declined, answers.Lapsed, wishesFulfilled, mattersDone,
        pointsAwarded, completionRate, onTimeRate, toClaim?.TotalHours, toComplete?.TotalHours, averageRating, ratings,
        residents.Satisfied, residents.BasicallySatisfied, residents.Unsatisfied, residents.Satisfaction,
        (double?)service.Hours, service.PersonTimes, service.HandedOver, service.Answered, service.AnsweredOnTime,
    ];

    /// <summary>The residents' own ratings (群众评议), apart from staff's verification rating: the same figures as the statistics JSON.</summary>
    private sealed record ResidentRatings(int Satisfied, int BasicallySatisfied, int Unsatisfied, double? Satisfaction);

    /// <summary>The service and the suggestions (null in groups of times and kinds: an empty cell).</summary>
    private sealed record Service(decimal? Hours, int? PersonTimes, int? HandedOver, int? Answered, int? AnsweredOnTime);

    private static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
