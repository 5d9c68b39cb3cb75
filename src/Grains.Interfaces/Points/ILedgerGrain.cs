using Dispatch.Common;

namespace Dispatch.Points;

/// <summary>
/// One volunteer's points account, keyed by <see cref="GrainKeys.Ledger"/>. Its balance is derived
/// from its postings and never goes below zero; postings are idempotent by key, so a caller that
/// is unsure whether a posting happened posts it again.
/// </summary>
public interface ILedgerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Records a posting once it is stored. Refused with <c>insufficientPoints</c> (a conflict)
    /// when a debit exceeds the balance, unless it allows a partial debit.
    /// </summary>
    Task<Outcome<LedgerEntry>> Post(PointsPosting posting);

    /// <summary>The balance and the newest <paramref name="limit"/> entries.</summary>
    Task<PointsStatement> GetStatement(int limit);

    /// <summary>Net points earned (earnings, reversals, adjustments) between <paramref name="from"/> and <paramref name="to"/> (exclusive), by when they were earned.</summary>
    Task<int> GetEarned(DateTimeOffset from, DateTimeOffset to);
}
