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
    /// The earnings of a verification (history entry <paramref name="seq"/>): each share of
    /// <see cref="Participation.Shares"/>, one posting per volunteer (an organisation's places
    /// credit its confirmed participants once each, never one member per place).
    /// </summary>
    public static ImmutableArray<PendingPosting> Earnings(RequestPoints request, IEnumerable<ClaimRecord> claims, ImmutableArray<string> participants, int seq, string by) =>
        [.. Participation.Shares(request.Award, claims, participants)
            .Select(share => new PendingPosting(share.Volunteer, new PointsPosting(
                $"request:{request.Id}:earn:{seq}:{share.Volunteer}", request.CommunityId, share.Amount, PostingKind.Earning,
                request.Id.ToString(), $"{request.Kind} \"{request.Title}\" verified", by, Subject: new PostingSubject(PostingTopic.Request, request.Title))))];

    /// <summary>What reverses the earnings of verification <paramref name="seq"/> (the same shares); what a claimant already spent cannot be taken back.</summary>
    public static ImmutableArray<PendingPosting> Reversals(RequestPoints request, IEnumerable<ClaimRecord> claims, ImmutableArray<string> participants, int seq, string by) =>
        [.. Participation.Shares(request.Award, claims, participants)
            .Select(share => new PendingPosting(share.Volunteer, new PointsPosting(
                $"request:{request.Id}:reverse:{seq}:{share.Volunteer}", request.CommunityId, -share.Amount, PostingKind.Reversal,
                request.Id.ToString(), $"verification of \"{request.Title}\" overturned", by, AllowPartialDebit: true,
                Subject: new PostingSubject(PostingTopic.Request, request.Title))))];

    public PointsOutbox Add(ImmutableArray<PendingPosting> postings) => new(Postings.AddRange(postings));

    /// <summary>The outbox without the postings the ledgers confirmed; null when none of them were in it.</summary>
    public PointsOutbox? Confirm(IEnumerable<string> keys)
    {
        var posted = keys.ToHashSet(StringComparer.Ordinal);
        var remaining = Postings.RemoveAll(p => posted.Contains(p.Posting.Key));
        return remaining.Length == Postings.Length ? null : new PointsOutbox(remaining);
    }
}

/// <summary>What of a request its postings name: the request, its community, and the award per place.</summary>
public readonly record struct RequestPoints(Guid Id, string CommunityId, RequestKind Kind, string Title, int Award)
{
    public int AwardFor(ClaimRecord claim) => Award * claim.PlaceCount;
}
