using System.Collections.Immutable;
using System.Text.Json;
using Dispatch.Requests;

namespace Dispatch.Statistics;

/// <summary>Requests of one kind (or of every kind) by status.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RequestCounts")]
public sealed record RequestCounts(int Total, ImmutableSortedDictionary<string, int> ByStatus);

/// <summary>How the offers made to volunteers ended: answered, lapsed, withdrawn (the work started or the request was cancelled), or still waiting.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.DispatchAnswers")]
public sealed record DispatchAnswers(int Accepted, int Declined, int Lapsed, int Withdrawn, int Pending);

/// <summary>
/// A place's figures as staff read them: the seed's four (registered members, precise dispatches,
/// wishes fulfilled, matters done) and the rates and averages behind them, worked out from the
/// summed <see cref="StatisticsTotals"/> of the place's communities.
/// </summary>
/// <param name="Dispatches">Offers made, by staff or by the cascade (精准派单).</param>
/// <param name="WishesFulfilled">Verified wishes (微心愿).</param>
/// <param name="MattersDone">Verified errands, cases and activities (实事).</param>
/// <param name="CompletionRate">Verified requests among those not cancelled; null when there are none.</param>
/// <param name="OnTimeRate">Verified requests that never escalated, among the verified; null when none are verified.</param>
/// <param name="AverageTimeToClaim">From publication to the first claim, over the requests ever claimed.</param>
/// <param name="AverageTimeToComplete">From publication to the report of the work done, over the requests completed.</param>
/// <param name="AverageRating">Staff's verification rating (1 to 5), averaged; null when none.</param>
/// <param name="Satisfied">Requests the resident rated 满意.</param>
/// <param name="BasicallySatisfied">Requests the resident rated 基本满意.</param>
/// <param name="Unsatisfied">Requests the resident rated 不满意.</param>
/// <param name="ResidentSatisfaction">群众满意度: satisfied and basically satisfied among the requests residents rated; null when none rated.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.PlaceStatistics")]
public sealed record PlaceStatistics(
    string PlaceId,
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
    double? ResidentSatisfaction)
{
    /// <summary>Service hours (志愿时长) done in the place's communities; filled by the statistics route, null elsewhere.</summary>
    [Id(23)]
    public decimal? Hours { get; init; }

    /// <summary>Person-times (人次): activities attended and claimants' confirmed services of requests; filled by the statistics route, null elsewhere.</summary>
    [Id(24)]
    public int? PersonTimes { get; init; }

    /// <summary>Suggestions about the place (or below) handed over to departments (集中交办); filled by the statistics route, null elsewhere.</summary>
    [Id(25)]
    public int? SuggestionsHandedOver { get; init; }

    /// <summary>Of those, the ones the department answered (办理结果).</summary>
    [Id(26)]
    public int? SuggestionsAnswered { get; init; }

    /// <summary>Of those, the ones answered before their deadline.</summary>
    [Id(27)]
    public int? SuggestionsAnsweredOnTime { get; init; }

    public static PlaceStatistics From(string placeId, int communities, StatisticsTotals totals)
    {
        var verified = totals.Count(RequestStatus.Verified);
        var wishes = totals.Count(RequestKind.Wish, RequestStatus.Verified);
        var notCancelled = totals.Total - totals.Count(RequestStatus.Cancelled);
        var answered = totals.OffersAccepted + totals.OffersDeclined + totals.OffersLapsed;
        return new PlaceStatistics(
            placeId,
            communities,
            totals.RegisteredVolunteers,
            totals.Organisations,
            new RequestCounts(totals.Total, ByStatus(totals.Count)),
            Enum.GetValues<RequestKind>().ToImmutableSortedDictionary(
                Name,
                kind => new RequestCounts(totals.Count(kind), ByStatus(status => totals.Count(kind, status))),
                StringComparer.Ordinal),
            totals.Offers,
            new DispatchAnswers(
                totals.OffersAccepted, totals.OffersDeclined, totals.OffersLapsed,
                Math.Max(0, totals.Offers - answered - totals.OffersPending), totals.OffersPending),
            wishes,
            verified - wishes,
            totals.PointsIssued,
            totals.PointsRedeemed,
            totals.PointsAwarded,
            Ratio(verified, notCancelled),
            Ratio(totals.VerifiedOnTime, verified),
            Average(totals.TicksToClaim, totals.Claimed),
            Average(totals.TicksToComplete, totals.Completed),
            totals.Rated == 0 ? null : Math.Round((double)totals.RatingSum / totals.Rated, 2, MidpointRounding.AwayFromZero),
            totals.Rated,
            totals.Satisfied,
            totals.BasicallySatisfied,
            totals.Unsatisfied,
            Ratio(totals.Satisfied + totals.BasicallySatisfied, totals.ResidentRated));
    }

    private static ImmutableSortedDictionary<string, int> ByStatus(Func<RequestStatus, int> count) =>
        Enum.GetValues<RequestStatus>().ToImmutableSortedDictionary(Name, count, StringComparer.Ordinal);

    private static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static double? Ratio(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4, MidpointRounding.AwayFromZero);

    // Whole seconds: averages are read by people, and sub-second noise only distracts.
    private static TimeSpan? Average(long ticks, int count) =>
        count == 0 ? null : TimeSpan.FromSeconds(Math.Round(TimeSpan.FromTicks(ticks / count).TotalSeconds, MidpointRounding.AwayFromZero));
}
