using System.Collections.Immutable;

namespace Dispatch.Points;

/// <summary>What a posting is for.</summary>
public enum PostingKind
{
    /// <summary>Points for a verified request, from the request's community pool.</summary>
    Earning,

    /// <summary>An earning taken back because its verification was overturned.</summary>
    Reversal,

    /// <summary>A correction by staff, in either direction, with a reason.</summary>
    Adjustment,

    /// <summary>Points spent on an item of the points shop.</summary>
    Redemption,

    /// <summary>A redemption given back because its order was cancelled.</summary>
    Refund,
}

/// <summary>What kind of thing a posting is about.</summary>
public enum PostingTopic
{
    /// <summary>A request: its verification earned the points, or its overturning took them back.</summary>
    Request,

    /// <summary>A group activity attended.</summary>
    Activity,

    /// <summary>An item of the points shop: redeemed, or its order cancelled and refunded.</summary>
    ShopItem,

    /// <summary>A standing role (楼栋长, 网格员) paid for a month.</summary>
    StandingRole,
}

/// <summary>
/// What a posting is about, as data: readers word the entry in their own language from it, where
/// <see cref="PointsPosting.Reason"/> is one English sentence for logs and exports.
/// </summary>
/// <param name="Name">The request's or activity's title, the item's name, the role.</param>
/// <param name="Note">What else the reader is told: why an order was cancelled; the month of a role.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.PostingSubject")]
public sealed record PostingSubject(PostingTopic Topic, string Name, string? Note = null);

/// <summary>
/// One posting to make on a volunteer's account: <paramref name="Amount"/> points move between the
/// volunteer's account and the pool of <paramref name="PoolCommunityId"/>. Positive credits the
/// volunteer (pool → volunteer), negative debits them (volunteer → pool).
/// </summary>
/// <param name="Key">Idempotency: a posting whose key was posted before is not posted again; the first entry is returned.</param>
/// <param name="Reference">What the posting is about: a request id, an order id, an adjustment id.</param>
/// <param name="AllowPartialDebit">
/// For a reversal: debit what the balance allows (never below zero) instead of refusing; the
/// shortfall is stated in the entry's reason.
/// </param>
/// <param name="Under">The scheme rule that produced an earning, with its cap; null for postings no rule produced.</param>
/// <param name="EarnedAt">When the points were earned (an activity's start, a role's month): the period its cap counts in; null: now.</param>
/// <param name="Subject">What it is about, for readers in any language; null for a staff adjustment (its reason is as typed).</param>
/// <param name="Reverses">
/// For a reversal: the key of the earning it takes back. The debit is then at most what that
/// earning actually credited (a cap may have cut it), and nothing when it credited nothing
/// (<c>nothingToReverse</c>); null: the amount as given (reversals older than this field).
/// </param>
[GenerateSerializer, Immutable, Alias("Dispatch.PointsPosting")]
public sealed record PointsPosting(
    string Key,
    string PoolCommunityId,
    int Amount,
    PostingKind Kind,
    string Reference,
    string Reason,
    string By,
    bool AllowPartialDebit = false,
    PostingRule? Under = null,
    DateTimeOffset? EarnedAt = null,
    PostingSubject? Subject = null,
    string? Reverses = null);

/// <summary>The rule of a points scheme a posting is made under: its name, the scheme (place and version) and its cap.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PostingRule")]
public sealed record PostingRule(string Rule, string SchemePlaceId, int SchemeVersion, int? Cap, Schemes.CapPeriod Period)
{
    public static PostingRule Of(Schemes.EffectiveRule rule) =>
        new(rule.Rule, rule.SchemePlaceId, rule.SchemeVersion, rule.Cap, rule.Period);
}

/// <summary>
/// One posting as recorded: double-entry, <paramref name="Amount"/> (always positive) moves from
/// account <paramref name="From"/> to account <paramref name="To"/>; accounts are named
/// <c>volunteer:{username}</c> and <c>pool:{communityId}</c>.
/// </summary>
/// <param name="Change">The same movement signed from the volunteer's side (+ credit, − debit).</param>
/// <param name="BalanceAfter">The volunteer's balance after this posting.</param>
/// <param name="Rule">The scheme rule that produced it (<c>activity.attend</c>, <c>role.楼栋长</c>); null for entries no rule produced, and for entries older than schemes.</param>
/// <param name="SchemeVersion">The version of the scheme of <paramref name="SchemePlaceId"/> the rule came from.</param>
/// <param name="EarnedAt">When the points were earned, if not when posted (an activity's start, a role's month).</param>
/// <param name="Subject">What it is about, for readers to word in their language; null for adjustments and for entries older than it.</param>
/// <param name="Asked">The points the posting asked to move, when a cap or the balance let fewer move; null when all moved.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.LedgerEntry")]
public sealed record LedgerEntry(
    long Seq,
    DateTimeOffset At,
    string Key,
    string From,
    string To,
    int Amount,
    int Change,
    PostingKind Kind,
    string Reference,
    string Reason,
    string By,
    int BalanceAfter,
    string? Rule = null,
    int? SchemeVersion = null,
    string? SchemePlaceId = null,
    DateTimeOffset? EarnedAt = null,
    PostingSubject? Subject = null,
    int? Asked = null);

/// <summary>A volunteer's points: the balance derived from the postings, and the postings, newest first.</summary>
/// <param name="Earned">Net points earned: earnings − reversals ± adjustments.</param>
/// <param name="Redeemed">Net points spent: redemptions − refunds.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.PointsStatement")]
public sealed record PointsStatement(
    string Username,
    int Balance,
    int Earned,
    int Redeemed,
    int TotalEntries,
    ImmutableArray<LedgerEntry> Entries);

/// <summary>
/// A volunteer's running totals, sent by their ledger to their home community's board for
/// statistics and leaderboards. Absolute, with a version, so late or repeated copies are harmless.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PointsTotals")]
public sealed record PointsTotals(string Username, string CommunityId, long Version, int Balance, int Earned, int Redeemed);

/// <summary>The names of the two sides of every posting.</summary>
public static class PointsAccounts
{
    public static string Volunteer(string username) => "volunteer:" + username;

    public static string Pool(string communityId) => "pool:" + communityId;
}
