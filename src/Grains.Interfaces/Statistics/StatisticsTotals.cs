using System.Collections.Immutable;
using Dispatch.Requests;

namespace Dispatch.Statistics;

/// <summary>
/// The raw sums behind a place's statistics: counts and totals only, so that the figures of
/// several communities add up to those of their town, county or region. Rates and averages are
/// worked out from these at the end (<see cref="StatisticsTotals.Add"/> never averages averages).
/// </summary>
/// <param name="ByKindAndStatus">Requests per kind and status, at <c>kind * StatusCount + status</c>.</param>
/// <param name="OffersPending">Requests with an offer waiting for an answer now.</param>
/// <param name="Claimed">Requests that were ever claimed; <paramref name="TicksToClaim"/> sums their creation-to-first-claim times.</param>
/// <param name="Completed">Requests reported done; <paramref name="TicksToComplete"/> sums their creation-to-completion times.</param>
/// <param name="VerifiedOnTime">Verified requests that never escalated.</param>
/// <param name="PointsAwarded">Points the requests' verifications credit, as they stand.</param>
/// <param name="PointsIssued">Net points the ledgers of the place's volunteers earned (earnings, reversals, adjustments).</param>
/// <param name="PointsRedeemed">Net points those volunteers spent in the points shop.</param>
/// <remarks>
/// The residents' ratings (群众评议) are properties rather than constructor parameters, with ids
/// past the positional ones, so that totals stored before they existed still read (as none).
/// </remarks>
[GenerateSerializer, Immutable, Alias("Dispatch.StatisticsTotals")]
public sealed record StatisticsTotals(
    ImmutableArray<int> ByKindAndStatus,
    int Offers,
    int OffersAccepted,
    int OffersDeclined,
    int OffersLapsed,
    int OffersPending,
    int Claimed,
    long TicksToClaim,
    int Completed,
    long TicksToComplete,
    int Rated,
    int RatingSum,
    int VerifiedOnTime,
    int PointsAwarded,
    int RegisteredVolunteers,
    int Organisations,
    int PointsIssued,
    int PointsRedeemed)
{
    public static readonly int StatusCount = Enum.GetValues<RequestStatus>().Length;
    public static readonly int KindCount = Enum.GetValues<RequestKind>().Length;

    public static readonly StatisticsTotals Empty = new(
        [.. new int[KindCount * StatusCount]], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public static int Slot(RequestKind kind, RequestStatus status) => ((int)kind * StatusCount) + (int)status;

    public int Count(RequestKind kind, RequestStatus status) => ByKindAndStatus[Slot(kind, status)];

    public int Count(RequestStatus status) => Enum.GetValues<RequestKind>().Sum(kind => Count(kind, status));

    public int Count(RequestKind kind) => Enum.GetValues<RequestStatus>().Sum(status => Count(kind, status));

    public int Total => ByKindAndStatus.Sum();

    /// <summary>Requests the resident rated 满意 (satisfied).</summary>
    [Id(100)] public int Satisfied { get; init; }

    /// <summary>Requests the resident rated 基本满意 (basically satisfied).</summary>
    [Id(101)] public int BasicallySatisfied { get; init; }

    /// <summary>Requests the resident rated 不满意 (unsatisfied).</summary>
    [Id(102)] public int Unsatisfied { get; init; }

    /// <summary>Requests a resident rated, whatever the rating.</summary>
    public int ResidentRated => Satisfied + BasicallySatisfied + Unsatisfied;

    /// <summary>Every figure with its sign turned: adding it takes these totals away again.</summary>
    public StatisticsTotals Negate() => new(
        [.. ByKindAndStatus.Select(count => -count)],
        -Offers,
        -OffersAccepted,
        -OffersDeclined,
        -OffersLapsed,
        -OffersPending,
        -Claimed,
        -TicksToClaim,
        -Completed,
        -TicksToComplete,
        -Rated,
        -RatingSum,
        -VerifiedOnTime,
        -PointsAwarded,
        -RegisteredVolunteers,
        -Organisations,
        -PointsIssued,
        -PointsRedeemed)
    {
        Satisfied = -Satisfied,
        BasicallySatisfied = -BasicallySatisfied,
        Unsatisfied = -Unsatisfied,
    };

    public StatisticsTotals Add(StatisticsTotals other) => new(
        [.. ByKindAndStatus.Zip(other.ByKindAndStatus, (a, b) => a + b)],
        Offers + other.Offers,
        OffersAccepted + other.OffersAccepted,
        OffersDeclined + other.OffersDeclined,
        OffersLapsed + other.OffersLapsed,
        OffersPending + other.OffersPending,
        Claimed + other.Claimed,
        TicksToClaim + other.TicksToClaim,
        Completed + other.Completed,
        TicksToComplete + other.TicksToComplete,
        Rated + other.Rated,
        RatingSum + other.RatingSum,
        VerifiedOnTime + other.VerifiedOnTime,
        PointsAwarded + other.PointsAwarded,
        RegisteredVolunteers + other.RegisteredVolunteers,
        Organisations + other.Organisations,
        PointsIssued + other.PointsIssued,
        PointsRedeemed + other.PointsRedeemed)
    {
        Satisfied = Satisfied + other.Satisfied,
        BasicallySatisfied = BasicallySatisfied + other.BasicallySatisfied,
        Unsatisfied = Unsatisfied + other.Unsatisfied,
    };
}
