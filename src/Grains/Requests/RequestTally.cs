using Dispatch.Consoles;

namespace Dispatch.Requests;

/// <summary>
/// The latest summary of each of a set of requests and their counts by status. A summary is taken
/// only when its version is newer than the one held, so summaries may arrive late, twice or out of
/// order. Shared by the community board and the live feeds.
/// </summary>
public sealed class RequestTally
{
    private readonly Dictionary<Guid, RequestSummary> requests;
    private readonly int[] byStatus = new int[Enum.GetValues<RequestStatus>().Length];
    private int overdue;

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
        registeredVolunteers);

    private void Count(RequestSummary summary, int delta)
    {
        byStatus[(int)summary.Status] += delta;
        overdue += summary.Overdue ? delta : 0;
    }
}
