using System.Collections.Immutable;

namespace Dispatch.Requests;

/// <summary>
/// The candidates of an automatic dispatch waiting their turn (<see cref="ServiceRequest.OfferQueue"/>,
/// as stored): a decline or a lapse offers the request to the next who holds no claim on it.
/// </summary>
public readonly record struct CandidateLine(ImmutableArray<string> Queue)
{
    public static readonly CandidateLine Empty = new([]);

    /// <summary>The candidates in order, each once, without those <paramref name="holds"/> says hold a claim already.</summary>
    public static CandidateLine Of(IEnumerable<string> candidates, Func<string, bool> holds) =>
        new([.. candidates.Distinct(StringComparer.Ordinal).Where(c => !holds(c))]);

    public bool IsEmpty => Queue.IsDefaultOrEmpty;

    /// <summary>The first candidate who holds no claim (by <paramref name="holds"/>) and the line after them; null and an empty line when nobody is left.</summary>
    public (string? Next, CandidateLine After) TakeNext(Func<string, bool> holds)
    {
        var queue = Queue.IsDefault ? [] : Queue;
        for (var i = 0; i < queue.Length; i++)
        {
            if (!holds(queue[i]))
            {
                return (queue[i], new CandidateLine(queue.RemoveRange(0, i + 1)));
            }
        }

        return (null, Empty);
    }
}
