using Dispatch.Consoles;
using Dispatch.Statistics;

namespace Dispatch.Requests;

/// <summary>
/// The latest summary of each of a set of requests, their counts by status and the running sums
/// behind the statistics. A summary is taken only when its version is newer than the one held, so
/// summaries may arrive late, twice or out of order. Shared by the community board and the live feeds.
/// </summary>
public sealed class RequestTally
{
    private readonly Dictionary<Guid, RequestSummary> requests;
    private readonly int[] byKindAndStatus = new int[StatisticsTotals.KindCount * StatisticsTotals.StatusCount];
    private readonly int[] byStatus = new int[StatisticsTotals.StatusCount];
    private int overdue;
    private int offers;
    private int accepted;
    private int declined;
    private int lapsed;
    private int pending;
    private int claimed;
    private long ticksToClaim;
    private int completed;
    private long ticksToComplete;
    private int rated;
    private int ratingSum;
    private int verifiedOnTime;
    private int pointsAwarded;

    public RequestTally()
        : this([])
    {
    }

    /// <summary>Counts over <paramref name="requests"/> (a board just loaded) and keeps them up to date.</summary>
    public RequestTally(Dictionary<Guid, RequestSummary> requests)
    {
        this.requests = requests;
        foreach (var summary in requests.Values)
        {
            Count(summary, +1);
        }
    }

    public IReadOnlyCollection<RequestSummary> Summaries => requests.Values;

    /// <summary>Takes the summary if it is newer than the one held. True when something changed.</summary>
    public bool Apply(RequestSummary summary)
    {
        if (requests.TryGetValue(summary.Id, out var held))
        {
            if (held.Version >= summary.Version)
            {
                return false;
            }

            Count(held, -1);
        }

        requests[summary.Id] = summary;
        Count(summary, +1);
        return true;
    }

    public PlaceCounters Counters(int registeredVolunteers) => new(
        byStatus[(int)RequestStatus.Open],
        byStatus[(int)RequestStatus.Claimed],
        byStatus[(int)RequestStatus.InProgress],
        byStatus[(int)RequestStatus.Completed],
        byStatus[(int)RequestStatus.Verified],
        byStatus[(int)RequestStatus.Cancelled],
        overdue,
        registeredVolunteers,
        offers,
        byKindAndStatus[StatisticsTotals.Slot(RequestKind.Wish, RequestStatus.Verified)],
        byStatus[(int)RequestStatus.Verified] - byKindAndStatus[StatisticsTotals.Slot(RequestKind.Wish, RequestStatus.Verified)]);

    /// <summary>The sums behind the statistics; the caller adds what requests do not know (volunteers, organisations, ledgers).</summary>
    public StatisticsTotals Totals() => StatisticsTotals.Empty with
    {
        ByKindAndStatus = [.. byKindAndStatus],
        Offers = offers,
        OffersAccepted = accepted,
        OffersDeclined = declined,
        OffersLapsed = lapsed,
        OffersPending = pending,
        Claimed = claimed,
        TicksToClaim = ticksToClaim,
        Completed = completed,
        TicksToComplete = ticksToComplete,
        Rated = rated,
        RatingSum = ratingSum,
        VerifiedOnTime = verifiedOnTime,
        PointsAwarded = pointsAwarded,
    };

    private void Count(RequestSummary summary, int delta)
    {
        byStatus[(int)summary.Status] += delta;
        byKindAndStatus[StatisticsTotals.Slot(summary.Kind, summary.Status)] += delta;
        overdue += summary.Overdue ? delta : 0;

        // Summaries stored before these figures existed read as none.
        if (summary.Dispatches is { } dispatches)
        {
            offers += dispatches.Offers * delta;
            accepted += dispatches.Accepted * delta;
            declined += dispatches.Declined * delta;
            lapsed += dispatches.Lapsed * delta;
        }

        pending += summary.OfferTo is null ? 0 : delta;
        if (summary.FirstClaimedAt is { } firstClaimed)
        {
            claimed += delta;
            ticksToClaim += (firstClaimed - summary.CreatedAt).Ticks * delta;
        }

        if (summary.CompletedAt is { } completedAt)
        {
            completed += delta;
            ticksToComplete += (completedAt - summary.CreatedAt).Ticks * delta;
        }

        if (summary.Rating is { } rating)
        {
            rated += delta;
            ratingSum += rating * delta;
        }

        if (summary.Status == RequestStatus.Verified && summary.EscalationLevel == 0)
        {
            verifiedOnTime += delta;
        }

        pointsAwarded += summary.PointsAwarded * delta;
    }
}
