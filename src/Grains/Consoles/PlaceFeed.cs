using System.Collections.Immutable;
using Dispatch.Requests;

namespace Dispatch.Consoles;

/// <summary>
/// A place's view of the requests at or below it, as plain C#: the latest summary of each request
/// (newer versions win, so summaries may arrive late, twice or out of order), counters derived
/// from them, a gap-free sequence of the changes it accepted, and the last
/// <see cref="Capacity"/> of those changes for consoles that reconnect. Like the boards it holds
/// live work only: requests finished longer than <paramref name="finishedWindow"/> ago are retired
/// (checked at most every <see cref="RetireEvery"/>), their figures kept in the counters.
/// </summary>
public sealed class PlaceFeed(string placeId, long firstSeq, int capacity = PlaceFeed.DefaultCapacity, TimeSpan? finishedWindow = null)
{
    public const int DefaultCapacity = 1024;

    /// <summary>How often at most the feed looks for finished requests to retire (a pass reads every request held).</summary>
    public static readonly TimeSpan RetireEvery = TimeSpan.FromMinutes(10);

    private readonly TimeSpan window = finishedWindow ?? TimeSpan.FromDays(7);
    private DateTimeOffset nextRetire = DateTimeOffset.MinValue;

    private readonly RequestTally requests = new();
    private readonly Dictionary<string, int> volunteers = new(StringComparer.Ordinal);
    private readonly Queue<ConsoleEvent> recent = new();

    public string PlaceId { get; } = placeId;

    public int Capacity { get; } = capacity;

    /// <summary>The sequence number of the last change; the first change gets <c>firstSeq + 1</c>.</summary>
    public long Seq { get; private set; } = firstSeq;

    public PlaceCounters Counters => requests.Counters(volunteers.Values.Sum());

    /// <summary>How many requests the feed holds (the live ones).</summary>
    public int RequestCount => requests.Summaries.Count;

    /// <summary>Loads what a rebuild found, without numbering it as changes.</summary>
    public void Load(FeedExport export)
    {
        requests.AddRetired(export.Retired ?? RetiredTally.None);
        foreach (var summary in export.Requests)
        {
            requests.Apply(summary);
        }

        foreach (var (community, count) in export.VolunteersByCommunity)
        {
            volunteers[community] = count;
        }
    }

    /// <summary>Records a newer summary as the next change; null when it is not newer than what is known.</summary>
    public ConsoleEvent? Apply(RequestSummary summary, DateTimeOffset now)
    {
        RetireIfDue(now);
        return requests.Apply(summary) ? Next(summary, now) : null;
    }

    /// <summary>A finished request came back to work (see <see cref="RequestTally.Reopen"/>); null when nothing changed.</summary>
    public ConsoleEvent? Reopen(RequestSummary finished, RequestSummary current, DateTimeOffset now)
    {
        RetireIfDue(now);
        return requests.Reopen(finished, current) ? Next(current, now) : null;
    }

    /// <summary>Retires the requests finished before the window, when a pass is due. Returns how many.</summary>
    public int RetireIfDue(DateTimeOffset now)
    {
        if (now < nextRetire)
        {
            return 0;
        }

        nextRetire = now + RetireEvery;
        return requests.Retire(now - window);
    }

    /// <summary>Records a community's volunteer count; null when unchanged.</summary>
    public ConsoleEvent? ApplyVolunteers(string communityId, int count, DateTimeOffset now)
    {
        if (volunteers.TryGetValue(communityId, out var known) && known == count)
        {
            return null;
        }

        volunteers[communityId] = count;
        return Next(null, now);
    }

    public FeedSnapshot Snapshot() => new(
        PlaceId,
        Counters,
        [.. requests.Summaries.Where(r => !r.Status.IsFinal())
            .OrderByDescending(r => r.UpdatedAt).ThenBy(r => r.Id)],
        [.. requests.Summaries.Where(r => r.Overdue)
            .OrderByDescending(r => r.EscalationLevel).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id)],
        Seq);

    /// <summary>The changes after <paramref name="seq"/>, or null when some of them are no longer kept (or the number is not this feed's).</summary>
    public ImmutableArray<ConsoleEvent>? Since(long seq)
    {
        if (seq == Seq)
        {
            return [];
        }

        if (seq > Seq || recent.Count == 0 || seq < recent.Peek().Seq - 1)
        {
            return null;
        }

        return [.. recent.Where(e => e.Seq > seq)];
    }

    public FeedExport Export() => new([.. requests.Summaries], volunteers.ToImmutableDictionary(StringComparer.Ordinal), requests.Retired);

    private ConsoleEvent Next(RequestSummary? summary, DateTimeOffset now)
    {
        var next = new ConsoleEvent(PlaceId, ++Seq, now, summary, Counters);
        recent.Enqueue(next);
        while (recent.Count > Capacity)
        {
            recent.Dequeue();
        }

        return next;
    }
}
