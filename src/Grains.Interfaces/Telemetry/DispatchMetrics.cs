using System.Diagnostics.Metrics;
using Dispatch.Common;
using Dispatch.Requests;

namespace Dispatch;

/// <summary>
/// Dispatch's own meter, <c>Dispatch</c>: claims won and lost, escalations, offers, redemptions,
/// live consoles and their fan-out lag. Every tag value comes from a small fixed set (an outcome,
/// a reason, a level), never from a request's content, so the instruments carry no personal data
/// and their number of series stays bounded. Recording costs no allocation on the hot paths.
/// </summary>
public static class DispatchMetrics
{
    public const string MeterName = "Dispatch";

    private static readonly Meter Meter = new(MeterName, typeof(DispatchMetrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> Claims = Meter.CreateCounter<long>(
        "dispatch.claims", "{claim}", "Claim attempts answered: outcome won or lost, and for a lost one its reason.");

    private static readonly Histogram<int> ClaimBatches = Meter.CreateHistogram(
        "dispatch.claims.batch", "{claim}", "Claim attempts on one request sent to its grain in one call by this web host (they arrived while the previous call was in flight).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    private static readonly Counter<long> Escalations = Meter.CreateCounter<long>(
        "dispatch.escalations", "{escalation}", "Overdue requests climbing a level (0 community, 1 town, 2 county, 3 region), by the level reached.");

    private static readonly UpDownCounter<long> Consoles = Meter.CreateUpDownCounter<long>(
        "dispatch.consoles.active", "{connection}", "Console connections watching live feeds on this host.");

    private static readonly Histogram<double> Lag = Meter.CreateHistogram(
        "dispatch.fanout.lag", "ms", "Time from a console event's creation by its place feed to its sending to one console connection.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000] });

    private static readonly Histogram<double> StoreWriteWaits = Meter.CreateHistogram(
        "dispatch.store.write.wait", "ms", "Time a write to the embedded SQLite store waited for the writes before it (one writer at a time).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000] });

    private static readonly Counter<long> Redemptions = Meter.CreateCounter<long>(
        "dispatch.redemptions", "{redemption}", "Points shop redemptions answered: pending (debited and ordered), outOfStock, insufficientPoints.");

    private static readonly Counter<long> Offers = Meter.CreateCounter<long>(
        "dispatch.offers", "{offer}", "Dispatch offers to volunteers: offered, accepted, declined, lapsed.");

    private static readonly Counter<long> Rejections = Meter.CreateCounter<long>(
        "dispatch.limits.rejected", "{request}", "Requests refused with 429 by an abuse limit: tokenPerAddress, claimsPerVolunteer or concurrency.");

    private static readonly KeyValuePair<string, object?>[] Won = [new("outcome", "won")];

    // One tag array per reason, made once: a lost claim (almost every attempt in a storm) allocates nothing.
    private static readonly Dictionary<ClaimLoss, KeyValuePair<string, object?>[]> Lost =
        Enum.GetValues<ClaimLoss>().ToDictionary(loss => loss, loss => new KeyValuePair<string, object?>[] { new("outcome", "lost"), new("reason", ReasonOf(loss)) });

    private static readonly Dictionary<string, KeyValuePair<string, object?>[]> RedemptionTags = Outcomes(
        RedemptionOutcomes.Pending, RedemptionOutcomes.OutOfStock, RedemptionOutcomes.InsufficientPoints, RedemptionOutcomes.Other);

    private static readonly Dictionary<string, KeyValuePair<string, object?>[]> OfferTags = Outcomes(
        OfferOutcomes.Offered, OfferOutcomes.Accepted, OfferOutcomes.Declined, OfferOutcomes.Lapsed);

    // Tagged by the limit's name only: never the address or the volunteer it refused.
    private static readonly Dictionary<string, KeyValuePair<string, object?>[]> LimitTags =
        new[] { Limits.TokenPerAddress, Limits.ClaimsPerVolunteer, Limits.Concurrency, Limits.Open311ReadsPerAddress, Limits.ApplicationsPerAddress, Limits.ApplicationsPerPhone, Limits.IntakePerAddress, Limits.IntakePerPhone, Limits.ResidentReadsPerAddress, Limits.DirectoryReadsPerAddress, Limits.Other }
            .ToDictionary(l => l, l => new KeyValuePair<string, object?>[] { new("limit", l) }, StringComparer.Ordinal);

    /// <summary>A claim attempt won (a place, or an organisation's places).</summary>
    public static void ClaimWon() => Claims.Add(1, Won);

    /// <summary>Counts a claim's answer: won, or lost for one of the <see cref="ClaimRefusals"/> (an organisation's own refusals are not attempts that lost).</summary>
    public static void ClaimAnswered(Outcome<RequestView> outcome)
    {
        if (outcome.Succeeded)
        {
            ClaimWon();
        }
        else if (ClaimRefusals.LossOf(outcome.Failure) is { } loss)
        {
            ClaimLost(loss);
        }
    }

    /// <summary>A claim attempt lost, for <paramref name="loss"/>.</summary>
    public static void ClaimLost(ClaimLoss loss) => Claims.Add(1, Lost.TryGetValue(loss, out var tags) ? tags : Lost[ClaimLoss.NotFound]);

    /// <summary>A web host sent <paramref name="attempts"/> claim attempts on one request in one grain call.</summary>
    public static void ClaimBatch(int attempts) => ClaimBatches.Record(attempts);

    /// <summary>A request climbed to <paramref name="level"/> (or was found overdue again at the top).</summary>
    public static void Escalated(int level) => Escalations.Add(1, new KeyValuePair<string, object?>("level", Math.Clamp(level, 0, 9)));

    /// <summary>A console connection started (+1) or stopped (-1) watching on this host.</summary>
    public static void ConsoleWatching(int delta) => Consoles.Add(delta);

    /// <summary>A console event was sent to one console connection, <paramref name="lag"/> after the feed made it.</summary>
    public static void FanoutLag(TimeSpan lag) => Lag.Record(Math.Max(0, lag.TotalMilliseconds));

    /// <summary>A write to the SQLite store got its turn after <paramref name="waited"/>.</summary>
    public static void StoreWriteWaited(TimeSpan waited) => StoreWriteWaits.Record(waited.TotalMilliseconds);

    /// <summary>A redemption was answered: <c>pending</c>, <c>outOfStock</c> or <c>insufficientPoints</c> (anything else counts as <c>other</c>).</summary>
    public static void Redemption(string outcome) =>
        Redemptions.Add(1, RedemptionTags.TryGetValue(outcome, out var tags) ? tags : RedemptionTags[RedemptionOutcomes.Other]);

    /// <summary>An offer event: <c>offered</c>, <c>accepted</c>, <c>declined</c> or <c>lapsed</c> (anything else is not counted).</summary>
    public static void Offer(string outcome)
    {
        if (OfferTags.TryGetValue(outcome, out var tags))
        {
            Offers.Add(1, tags);
        }
    }

    /// <summary>A request was refused by the abuse limit <paramref name="limit"/> (one of <see cref="Limits"/>; anything else counts as <c>other</c>).</summary>
    public static void Rejected(string limit) =>
        Rejections.Add(1, LimitTags.TryGetValue(limit, out var tags) ? tags : LimitTags[Limits.Other]);

    /// <summary>
    /// Counts the offer events among history entries a change appended (<c>Offered</c>, including
    /// those the cascade makes after a decline or a lapse, <c>OfferAccepted</c>, <c>OfferDeclined</c>,
    /// <c>OfferLapsed</c>). Pass only the new entries: those numbered above the version before the change.
    /// </summary>
    public static void Appended(IEnumerable<HistoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            switch (entry.Action)
            {
                case RequestAction.Offered:
                    Offer(OfferOutcomes.Offered);
                    break;
                case RequestAction.OfferAccepted:
                    Offer(OfferOutcomes.Accepted);
                    break;
                case RequestAction.OfferDeclined:
                    Offer(OfferOutcomes.Declined);
                    break;
                case RequestAction.OfferLapsed:
                    Offer(OfferOutcomes.Lapsed);
                    break;
            }
        }
    }

    /// <summary>The reason as the API names it (the <c>reason</c> of a 409/403/404 claim answer).</summary>
    public static string ReasonOf(ClaimLoss loss) => ClaimRefusals.Of(loss).Code;

    private static Dictionary<string, KeyValuePair<string, object?>[]> Outcomes(params string[] outcomes) =>
        outcomes.ToDictionary(o => o, o => new KeyValuePair<string, object?>[] { new("outcome", o) }, StringComparer.Ordinal);

    /// <summary>The <c>outcome</c> values of <c>dispatch.redemptions</c>.</summary>
    public static class RedemptionOutcomes
    {
        public const string Pending = "pending";
        public const string OutOfStock = "outOfStock";
        public const string InsufficientPoints = "insufficientPoints";
        public const string Other = "other";
    }

    /// <summary>The <c>limit</c> values of <c>dispatch.limits.rejected</c>.</summary>
    public static class Limits
    {
        public const string TokenPerAddress = "tokenPerAddress";
        public const string ClaimsPerVolunteer = "claimsPerVolunteer";
        public const string Concurrency = "concurrency";
        public const string Open311ReadsPerAddress = "open311ReadsPerAddress";
        public const string ApplicationsPerAddress = "applicationsPerAddress";
        public const string ApplicationsPerPhone = "applicationsPerPhone";
        public const string IntakePerAddress = "intakePerAddress";
        public const string IntakePerPhone = "intakePerPhone";
        public const string ResidentReadsPerAddress = "residentReadsPerAddress";
        public const string DirectoryReadsPerAddress = "directoryReadsPerAddress";
        public const string Other = "other";
    }

    /// <summary>The <c>outcome</c> values of <c>dispatch.offers</c>.</summary>
    public static class OfferOutcomes
    {
        public const string Offered = "offered";
        public const string Accepted = "accepted";
        public const string Declined = "declined";
        public const string Lapsed = "lapsed";
    }
}
