using Dispatch.Statistics;

namespace Dispatch.Requests;

/// <summary>
/// What the finished requests a board or feed no longer holds still count for: their sums and how
/// many of them were overdue. Fixed in size however many requests it stands for, so a board that
/// forgets old work keeps its counters and statistics exact at a cost that does not grow with history.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.RetiredTally")]
public sealed record RetiredTally(
    StatisticsTotals Totals,
    int Overdue)
{
    public static readonly RetiredTally None = new(StatisticsTotals.Empty, 0);

    public int Count => Totals.Total;

    public RetiredTally Add(RetiredTally other) => new(Totals.Add(other.Totals), Overdue + other.Overdue);

    public RetiredTally Subtract(RetiredTally other) => new(Totals.Add(other.Totals.Negate()), Overdue - other.Overdue);
}
