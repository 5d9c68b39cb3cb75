using Dispatch.Consoles;
using Dispatch.Statistics;

namespace Dispatch.Requests;

/// <summary>
/// The latest summary of each of a set of requests, their counts by status and the running sums
/// behind the statistics. A summary is taken only when its version is newer than the one held, so
/// summaries may arrive late, twice or out of order. Shared by the community board and the live feeds.
/// Finished requests may be retired (<see cref="Retire"/>): they leave the set, and what they count
/// for moves into a <see cref="RetiredTally"/> of fixed size, so the figures stay whole while the
/// set holds only live work.
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
    private int satisfied;
    private int basicallySatisfied;
    private int unsatisfied;
    private int pointsAwarded;
    private RetiredTally retired = RetiredTally.None;
    private readonly int[] retiredByStatus = new int[StatisticsTotals.StatusCount];

    public RequestTally()
        : this([])
    {
    }

    /// <summary>
    /// Counts over <paramref name="requests"/> (a board just loaded) and what the requests retired
    /// before count for, and keeps them up to date.
    /// </summary>
    public RequestTally(Dictionary<Guid, RequestSummary> requests, RetiredTally? retired = null)
    {
        this.requests = requests;
        foreach (var summary in requests.Values)
        {
            Count(summary, +1);
        }

        AddRetired(retired ?? RetiredTally.None);
    }

    /// <summary>The requests held: unfinished ones, and finished ones not retired yet.</summary>
    public IReadOnlyCollection<RequestSummary> Summaries => requests.Values;

    /// <summary>What the retired requests count for.</summary>
    public RetiredTally Retired => retired;

    /// <summary>When a request finished (verified or cancelled); null while it is not finished.</summary>
    public static DateTimeOffset? FinishedAt(RequestSummary summary) => summary.Status switch
    {
        RequestStatus.Verified => summary.VerifiedAt ?? summary.UpdatedAt,
        RequestStatus.Cancelled => summary.UpdatedAt,
        _ => null,
    };

    /// <summary>
    /// Retires the requests that finished before <paramref name="cutoff"/>: they are no longer held,
    /// and the counters and totals stay as they were. Returns how many were retired.
    /// </summary>
    public int Retire(DateTimeOffset cutoff)
    {
        var leaving = requests.Values.Where(r => FinishedAt(r) is { } finished && finished < cutoff).ToList();
        if (leaving.Count == 0)
        {
            return 0;
        }

        foreach (var summary in leaving)
        {
            Count(summary, -1);
            requests.Remove(summary.Id);
        }

        AddRetired(Of(leaving));
        return leaving.Count;
    }

    /// <summary>
    /// A finished request came back to work (a verification overturned): <paramref name="finished"/>
    /// is the summary it had when it finished, <paramref name="current"/> the one it has now. When
    /// the request was retired, what it counted for is taken out of the retired figures before it
    /// is held again. True when something changed.
    /// </summary>
    public bool Reopen(RequestSummary finished, RequestSummary current)
    {
        if (requests.ContainsKey(current.Id) || !finished.Status.IsFinal() || finished.Id != current.Id || finished.Version >= current.Version)
        {
            return Apply(current);
        }

        AddRetired(Of([finished]), subtract: true);
        requests[current.Id] = current;
        Count(current, +1);
        return true;
    }

    /// <summary>Adds what another board or feed retired (a feed rebuilding from those below it).</summary>
    public void AddRetired(RetiredTally more, bool subtract = false)
    {
        if (more.Count == 0 && more.Overdue == 0)
        {
            return;
        }

        retired = subtract ? retired.Subtract(more) : retired.Add(more);
        foreach (var status in Enum.GetValues<RequestStatus>())
        {
            retiredByStatus[(int)status] = retired.Totals.Count(status);
        }
    }

    private static RetiredTally Of(IEnumerable<RequestSummary> summaries)
    {
        var tally = new RequestTally();
        foreach (var summary in summaries)
        {
            tally.Apply(summary);
        }

        return new RetiredTally(tally.Totals(), tally.overdue);
    }

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

    public PlaceCounters Counters(int registeredVolunteers)
    {
        var wishes = byKindAndStatus[StatisticsTotals.Slot(RequestKind.Wish, RequestStatus.Verified)]
            + retired.Totals.ByKindAndStatus[StatisticsTotals.Slot(RequestKind.Wish, RequestStatus.Verified)];
        var verified = byStatus[(int)RequestStatus.Verified] + retiredByStatus[(int)RequestStatus.Verified];
        return new(
            byStatus[(int)RequestStatus.Open] + retiredByStatus[(int)RequestStatus.Open],
            byStatus[(int)RequestStatus.Claimed] + retiredByStatus[(int)RequestStatus.Claimed],
            byStatus[(int)RequestStatus.InProgress] + retiredByStatus[(int)RequestStatus.InProgress],
            byStatus[(int)RequestStatus.Completed] + retiredByStatus[(int)RequestStatus.Completed],
            verified,
            byStatus[(int)RequestStatus.Cancelled] + retiredByStatus[(int)RequestStatus.Cancelled],
            overdue + retired.Overdue,
            registeredVolunteers,
            offers + retired.Totals.Offers,
            wishes,
            verified - wishes);
    }

    /// <summary>The sums behind the statistics, retired requests included; the caller adds what requests do not know (volunteers, organisations, ledgers).</summary>
    public StatisticsTotals Totals() => LiveTotals().Add(retired.Totals);

    private StatisticsTotals LiveTotals() => StatisticsTotals.Empty with
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
        Satisfied = satisfied,
        BasicallySatisfied = basicallySatisfied,
        Unsatisfied = unsatisfied,
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

        // The resident's rating (群众评议), apart from staff's: the summary holds the latest one, so a
        // changed rating replaces the old one when the held summary is taken out and the new one in.
        switch (summary.ResidentRating)
        {
            case ResidentRating.Satisfied:
                satisfied += delta;
                break;
            case ResidentRating.BasicallySatisfied:
                basicallySatisfied += delta;
                break;
            case ResidentRating.Unsatisfied:
                unsatisfied += delta;
                break;
        }

        if (summary.Status == RequestStatus.Verified && summary.EscalationLevel == 0)
        {
            verifiedOnTime += delta;
        }

        pointsAwarded += summary.PointsAwarded * delta;
    }
}
