using System.Collections.Immutable;
using Dispatch.Points;

namespace Dispatch.Requests;

/// <summary>
/// The postings a request owes the ledgers, in the order they must be posted
/// (<see cref="ServiceRequest.PendingPostings"/>, as stored). Keys are fixed by the history entry
/// of the verification, and a ledger ignores a key posted before, so posting again is harmless.
/// </summary>
public readonly record struct PointsOutbox(ImmutableArray<PendingPosting> Postings)
{
    public bool IsEmpty => Postings.IsDefaultOrEmpty;

    /// <summary>
    /// The earnings of a verification (history entry <paramref name="seq"/>, made at <paramref name="at"/>):
    /// each share of <see cref="Participation.Shares"/>, one posting per volunteer (an
    /// organisation's places credit its confirmed participants once each, never one member per
    /// place). Under the request's rule (<see cref="RequestPoints.Under"/>) each names it, and its
    /// cap counts them in the period of the verification.
    /// </summary>
    public static ImmutableArray<PendingPosting> Earnings(RequestPoints request, IEnumerable<ClaimRecord> claims, ImmutableArray<string> participants, int seq, string by, DateTimeOffset? at = null) =>
        [.. Participation.Shares(request.Award, claims, participants)
            .Select(share => new PendingPosting(share.Volunteer, new PointsPosting(
                EarningKey(request.Id, seq, share.Volunteer), request.CommunityId, share.Amount, PostingKind.Earning,
                request.Id.ToString(), $"{request.Kind} \"{request.Title}\" verified", by,
                Under: request.Under, EarnedAt: request.Under is null ? null : at,
                Subject: new PostingSubject(PostingTopic.Request, request.Title))))];

    /// <summary>
    /// What reverses the earnings of verification <paramref name="seq"/> (the same shares): each
    /// names the earning it takes back, so the ledger debits what was credited (a cap may have cut
    /// it), never more; what a claimant already spent cannot be taken back.
    /// </summary>
    public static ImmutableArray<PendingPosting> Reversals(RequestPoints request, IEnumerable<ClaimRecord> claims, ImmutableArray<string> participants, int seq, string by) =>
        [.. Participation.Shares(request.Award, claims, participants)
            .Select(share => new PendingPosting(share.Volunteer, new PointsPosting(
                $"request:{request.Id}:reverse:{seq}:{share.Volunteer}", request.CommunityId, -share.Amount, PostingKind.Reversal,
                request.Id.ToString(), $"verification of \"{request.Title}\" overturned", by, AllowPartialDebit: true,
                Subject: new PostingSubject(PostingTopic.Request, request.Title), Reverses: EarningKey(request.Id, seq, share.Volunteer))))];

    /// <summary>
    /// The high-rating bonus of a verification rated <paramref name="rating"/> (<see cref="RatingBonus"/>):
    /// the rule's points to each volunteer the verification credits, once per request and
    /// volunteer (key <c>rating:{requestId}:{username}</c>, so a later verification never posts
    /// it again); none below the threshold or without the rule.
    /// </summary>
    public static ImmutableArray<PendingPosting> Bonuses(
        RequestPoints request, IEnumerable<ClaimRecord> claims, ImmutableArray<string> participants, int? rating, RatingBonus? bonus, DateTimeOffset at, string by) =>
        bonus is { } rule && RatingBonus.Earns(rating)
            ? [.. Participation.Shares(request.Award, claims, participants)
                .Select(share => new PendingPosting(share.Volunteer, new PointsPosting(
                    RatingBonus.Key(request.Id, share.Volunteer), request.CommunityId, rule.Points, PostingKind.Earning,
                    request.Id.ToString(), $"{request.Kind} \"{request.Title}\" rated {rating} stars", by,
                    Under: rule.Under, EarnedAt: at, Subject: new PostingSubject(PostingTopic.Request, request.Title))))]
            : [];

    private static string EarningKey(Guid requestId, int seq, string volunteer) => $"request:{requestId}:earn:{seq}:{volunteer}";

    public PointsOutbox Add(ImmutableArray<PendingPosting> postings) => new(Postings.AddRange(postings));

    /// <summary>The outbox without the postings the ledgers confirmed; null when none of them were in it.</summary>
    public PointsOutbox? Confirm(IEnumerable<string> keys)
    {
        var posted = keys.ToHashSet(StringComparer.Ordinal);
        var remaining = Postings.RemoveAll(p => posted.Contains(p.Posting.Key));
        return remaining.Length == Postings.Length ? null : new PointsOutbox(remaining);
    }
}

/// <summary>What of a request its postings name: the request, its community, the award per place and the rule it was set by (null: none, or a request older than schemes).</summary>
public readonly record struct RequestPoints(Guid Id, string CommunityId, RequestKind Kind, string Title, int Award, PostingRule? Under = null)
{
    public int AwardFor(ClaimRecord claim) => Award * claim.PlaceCount;
}

/// <summary>
/// The scheme's <c>rating.high</c> rule as a verification finds it in force: a bonus of
/// <paramref name="Points"/> for a completion staff rate at least <see cref="Threshold"/> stars.
/// </summary>
/// <remarks>
/// Schemes carry no threshold of their own: the bonus is for the top rating, 5 stars. It is given
/// once per request and volunteer and stays: a later verification (after an overturn) rated lower
/// does not take it back, and an overturn reverses the request's own earnings only.
/// </remarks>
public readonly record struct RatingBonus(PostingRule Under, int Points)
{
    /// <summary>The lowest rating (of staff's 1 to 5) that earns the bonus.</summary>
    public const int Threshold = 5;

    public static bool Earns(int? rating) => rating >= Threshold;

    /// <summary>The ledger key of a volunteer's bonus for a request: one per request, whatever its verifications.</summary>
    public static string Key(Guid requestId, string volunteer) => $"rating:{requestId}:{volunteer}";
}

/// <summary>A posting waiting in a request's outbox, with the volunteer whose ledger takes it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PendingPosting")]
public sealed record PendingPosting(string Volunteer, PointsPosting Posting);
