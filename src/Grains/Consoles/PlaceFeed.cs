using System.Collections.Immutable;
using Dispatch.Requests;

namespace Dispatch.Consoles;

/// <summary>
/// A place's view of the requests at or below it, as plain C#: the latest summary of each request
/// (newer versions win, so summaries may arrive late, twice or out of order), counters derived
/// from them, a gap-free sequence of the changes it accepted, and the last
/// <see cref="Capacity"/> of those changes for consoles that reconnect.
/// </summary>
public sealed class PlaceFeed(string placeId, long firstSeq, int capacity = PlaceFeed.DefaultCapacity)
{
    public const int DefaultCapacity = 1024;

    private readonly RequestTally requests = new();
    private readonly Dictionary<string, int> volunteers = new(StringComparer.Ordinal);
    private readonly Queue<ConsoleEvent> recent = new();

    public string PlaceId { get; } = placeId;

    public int Capacity { get; } = capacity;

    /// <summary>The sequence number of the last change; the first change gets <c>firstSeq + 1</c>.</summary>
    public long Seq { get; private set; } = firstSeq;

    public PlaceCounters Counters => requests.Counters(volunteers.Values.Sum());

    /// <summary>Loads what a rebuild found, without numbering it as changes.</summary>
    public void Load(FeedExport export)
    {
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
    public ConsoleEvent? Apply(RequestSummary summary, DateTimeOffset now) =>
        requests.Apply(summary) ? Next(summary, now) : null;

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

    public FeedExport Export() => new([.. requests.Summaries], volunteers.ToImmutableDictionary(StringComparer.Ordinal));

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
