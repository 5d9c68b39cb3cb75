using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Points;

/// <summary>
/// One volunteer's points account as plain C#: the postings, double-entry against community pools,
/// and the totals derived from them. The ledger grain holds one and stores it after every posting
/// this class accepts.
/// </summary>
/// <remarks>
/// Rules: a posting's key is used once (the same key again returns the first entry and posts
/// nothing); the balance never goes below zero (a debit beyond it is refused, or, when the posting
/// allows it, cut down to the balance); each kind moves points one way only, except adjustments.
/// Only the entries are stored: the key index and the totals are folded from them after loading.
/// </remarks>
[GenerateSerializer, Alias("Dispatch.PointsLedger")]
public sealed class PointsLedger
{
    [Id(0)] private readonly List<LedgerEntry> entries = [];

    [NonSerialized] private Dictionary<string, LedgerEntry>? byKey;
    [NonSerialized] private LedgerTotals? totals;

    public PointsLedger()
    {
    }

    public PointsLedger(string username) => Username = username;

    [Id(1)] public string Username { get; private set; } = "";

    /// <summary>The postings, oldest first; entry n has <c>Seq</c> n.</summary>
    public IReadOnlyList<LedgerEntry> Entries => entries;

    public int Count => entries.Count;

    public int Balance => Totals.Balance;

    /// <summary>Net points earned: earnings, reversals and adjustments.</summary>
    public int Earned => Totals.Earned;

    /// <summary>Net points spent: redemptions less refunds.</summary>
    public int Redeemed => Totals.Redeemed;

    private LedgerTotals Totals => totals ??= Fold(entries);

    private Dictionary<string, LedgerEntry> ByKey => byKey ??= entries.ToDictionary(e => e.Key, StringComparer.Ordinal);

    /// <summary>The entry posted under <paramref name="key"/>, if any.</summary>
    public LedgerEntry? Find(string key) => ByKey.GetValueOrDefault(key);

    /// <summary>
    /// Records <paramref name="posting"/>, or returns the entry its key already recorded, or the
    /// reason it is refused (nothing changes then, and the key stays unused).
    /// </summary>
    public Outcome<LedgerEntry> Post(PointsPosting posting, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(posting.Key))
        {
            return Failure.Invalid("key", "A posting needs a key.");
        }

        if (Find(posting.Key) is { } first)
        {
            // A retry. The same key for something else is a caller's bug, not a retry: say so.
            return first.Kind == posting.Kind && first.Reference == posting.Reference
                ? first
                : Failure.Conflict("postingKeyReused", $"Key '{posting.Key}' was posted before for a {first.Kind} of '{first.Reference}'.");
        }

        if (Check(posting) is { } invalid)
        {
            return invalid;
        }

        var balance = Balance;
        long change = posting.Amount;
        var reason = posting.Reason;
        var (ruleName, version, schemePlace, earnedAt) = (posting.Under?.Rule, posting.Under?.SchemeVersion, posting.Under?.SchemePlaceId, posting.EarnedAt);
        if (posting is { Kind: PostingKind.Reversal, Reverses: { } reversed })
        {
            // Take back what the earning credited, never more (a cap may have cut it), under the
            // earning's rule and period, so its cap counts what stands.
            if (Find(reversed) is not { Change: > 0 } earning)
            {
                return Failure.Conflict("nothingToReverse", $"Nothing was credited under '{reversed}': there is nothing to take back.");
            }

            if (-change > earning.Change)
            {
                reason = $"{reason} ({earning.Change} of {-change} points: only {earning.Change} were credited)";
                change = -earning.Change;
            }

            if (earning.Rule is not null)
            {
                (ruleName, version, schemePlace, earnedAt) = (earning.Rule, earning.SchemeVersion, earning.SchemePlaceId, earning.EarnedAt ?? earning.At);
            }
        }

        // What the posting asks, once a reversal is held to its earning: less than that moving is stated as Asked.
        var asked = change;

        if (posting.Under is { Cap: { } cap } rule && change > 0)
        {
            var earned = EarnedUnder(rule.Rule, rule.Period, posting.EarnedAt ?? at);
            if (earned >= cap)
            {
                return Failure.Conflict("pointsCapReached", $"{earned} points were earned under '{rule.Rule}' in {Schemes.PointsCalendar.PeriodKey(posting.EarnedAt ?? at, rule.Period)}: its cap of {cap} is reached.");
            }

            if (earned + change > cap)
            {
                reason = $"{reason} ({cap - earned} of {change} points: the cap of {cap} for '{rule.Rule}' in {Schemes.PointsCalendar.PeriodKey(posting.EarnedAt ?? at, rule.Period)} allowed no more)";
                change = cap - earned;
            }
        }

        if (-change > balance)
        {
            if (!posting.AllowPartialDebit)
            {
                return Failure.Conflict("insufficientPoints", $"The balance is {balance} points; {-change} cannot be debited.");
            }

            reason = $"{reason} (only {balance} of {-change} points debited: the balance allowed no more; {-change - balance} short)";
            change = -balance;
        }

        if (balance + change > int.MaxValue)
        {
            return Failure.Invalid("amount", "The posting would take the balance beyond the largest number it can hold.");
        }

        // A credit moves points out of the pool, a debit (a zero partial debit included) into it.
        var volunteer = PointsAccounts.Volunteer(Username);
        var pool = PointsAccounts.Pool(posting.PoolCommunityId);
        var (from, to) = change > 0 ? (pool, volunteer) : (volunteer, pool);
        var entry = new LedgerEntry(
            entries.Count + 1, at, posting.Key, from, to, (int)Math.Abs(change), (int)change,
            posting.Kind, posting.Reference, reason, posting.By, (int)(balance + change),
            ruleName, version, schemePlace, earnedAt, posting.Subject,
            change == asked ? null : (int)Math.Abs(asked));
        entries.Add(entry);
        ByKey[entry.Key] = entry;
        totals = Totals.With(entry);
        return entry;
    }

    /// <summary>
    /// The points earned under <paramref name="rule"/> in the period (China time) that
    /// <paramref name="at"/> falls in, by when they were earned, less what reversals of them took
    /// back: what that rule's cap counts.
    /// </summary>
    public int EarnedUnder(string rule, Schemes.CapPeriod period, DateTimeOffset at)
    {
        var key = Schemes.PointsCalendar.PeriodKey(at, period);
        return entries
            .Where(e => e.Rule == rule && e.Kind is PostingKind.Earning or PostingKind.Reversal && Schemes.PointsCalendar.PeriodKey(e.EarnedAt ?? e.At, period) == key)
            .Sum(e => e.Change);
    }

    /// <summary>
    /// Net points earned (earnings, reversals, adjustments: what <see cref="Earned"/> counts) whose
    /// <c>EarnedAt</c> (else <c>At</c>) lies in [<paramref name="from"/>, <paramref name="to"/>): a period's points for honour lists.
    /// </summary>
    public int EarnedBetween(DateTimeOffset from, DateTimeOffset to) =>
        entries.Where(e => e.Kind is not (PostingKind.Redemption or PostingKind.Refund) && (e.EarnedAt ?? e.At) >= from && (e.EarnedAt ?? e.At) < to)
            .Sum(e => e.Change);

    /// <summary>The totals and the newest <paramref name="limit"/> entries, newest first.</summary>
    public PointsStatement ToStatement(int limit)
    {
        var take = Math.Clamp(limit, 0, entries.Count);
        var newest = ImmutableArray.CreateBuilder<LedgerEntry>(take);
        for (var i = entries.Count - 1; i >= entries.Count - take; i--)
        {
            newest.Add(entries[i]);
        }

        return new PointsStatement(Username, Balance, Earned, Redeemed, entries.Count, newest.MoveToImmutable());
    }

    /// <summary>The totals of a sequence of entries, added up from nothing: what the cached totals must always equal.</summary>
    public static LedgerTotals Fold(IEnumerable<LedgerEntry> entries) =>
        entries.Aggregate(new LedgerTotals(0, 0, 0), (sum, entry) => sum.With(entry));

    /// <summary>Whether a kind moves points to the volunteer (+1), from them (−1), or either way (0).</summary>
    public static int DirectionOf(PostingKind kind) => kind switch
    {
        PostingKind.Earning or PostingKind.Refund => 1,
        PostingKind.Reversal or PostingKind.Redemption => -1,
        _ => 0,
    };

    private static Failure? Check(PointsPosting posting)
    {
        if (!Enum.IsDefined(posting.Kind))
        {
            return Failure.Invalid("kind", $"Unknown posting kind {(int)posting.Kind}.");
        }

        if (string.IsNullOrWhiteSpace(posting.PoolCommunityId))
        {
            return Failure.Invalid("poolCommunityId", "A posting needs the community whose pool is its other side.");
        }

        if (posting.AllowPartialDebit)
        {
            // A partial debit of nothing is allowed: the balance may be zero already.
            return posting.Amount > 0 || DirectionOf(posting.Kind) > 0
                ? Failure.Invalid("amount", $"Only a debit may be partial; this {posting.Kind} of {posting.Amount} is not one.")
                : null;
        }

        if (posting.Amount == 0)
        {
            return Failure.Invalid("amount", "A posting must move at least one point.");
        }

        return DirectionOf(posting.Kind) * posting.Amount < 0
            ? Failure.Invalid("amount", $"A {posting.Kind} must be {(DirectionOf(posting.Kind) > 0 ? "positive" : "negative")}.")
            : null;
    }
}

/// <summary>A volunteer's totals: <c>Balance</c> = <c>Earned</c> − <c>Redeemed</c>.</summary>
public sealed record LedgerTotals(int Balance, int Earned, int Redeemed)
{
    public LedgerTotals With(LedgerEntry entry) => entry.Kind switch
    {
        PostingKind.Redemption or PostingKind.Refund => this with { Balance = Balance + entry.Change, Redeemed = Redeemed - entry.Change },
        _ => this with { Balance = Balance + entry.Change, Earned = Earned + entry.Change },
    };
}
