using System.Collections.Immutable;
using Dispatch.Points;

namespace Dispatch.Requests;

/// <summary>
/// Points for verified work, kept as an outbox: the postings are decided in the same change (and
/// the same write) as the verification, then the grain posts them to the claimants' ledgers and
/// drops them once posted. Keys are fixed by the verification's history entry, and ledgers ignore
/// a key posted before, so a posting retried after a crash is credited once.
/// </summary>
public sealed partial class ServiceRequest
{
    /// <summary>Postings decided but not yet confirmed by the ledgers, in the order they must be posted.</summary>
    [Id(35)] public ImmutableArray<PendingPosting> PendingPostings { get; private set; } = [];

    /// <summary>The history entry of the verification whose points stand; null when none do.</summary>
    [Id(37)] public int? EarnedAtSeq { get; private set; }

    /// <summary>Points credited for this request as it stands (zero once a verification is overturned).</summary>
    [Id(40)] public int PointsAwarded { get; private set; }

    /// <summary>Removes postings the ledgers confirmed. False when none of them were pending.</summary>
    public bool MarkPosted(IEnumerable<string> keys)
    {
        var posted = keys.ToHashSet(StringComparer.Ordinal);
        var remaining = PendingPostings.RemoveAll(p => posted.Contains(p.Posting.Key));
        if (remaining.Length == PendingPostings.Length)
        {
            return false;
        }

        PendingPostings = remaining;
        return true;
    }

    private int AwardFor(ClaimRecord claim) => Award * claim.PlaceCount;

    private void EarnPoints(string by)
    {
        var seq = History[^1].Seq;
        var earnings = Claims.Where(c => AwardFor(c) > 0)
            .Select(c => new PendingPosting(c.Volunteer, new PointsPosting(
                $"request:{Id}:earn:{seq}:{c.Volunteer}", CommunityId, AwardFor(c), PostingKind.Earning, Id.ToString(),
                $"{Kind} \"{Title}\" verified", by)))
            .ToImmutableArray();
        EarnedAtSeq = seq;
        PointsAwarded = earnings.Sum(p => p.Posting.Amount);
        PendingPostings = PendingPostings.AddRange(earnings);
    }

    /// <summary>Takes back what the standing verification credited; what a claimant already spent cannot be, and the entry says so.</summary>
    private void ReversePoints(string by)
    {
        if (EarnedAtSeq is not { } seq)
        {
            return;
        }

        PendingPostings = PendingPostings.AddRange(Claims.Where(c => AwardFor(c) > 0)
            .Select(c => new PendingPosting(c.Volunteer, new PointsPosting(
                $"request:{Id}:reverse:{seq}:{c.Volunteer}", CommunityId, -AwardFor(c), PostingKind.Reversal, Id.ToString(),
                $"verification of \"{Title}\" overturned", by, AllowPartialDebit: true))));
        EarnedAtSeq = null;
        PointsAwarded = 0;
    }
}

/// <summary>A posting waiting in a request's outbox, with the volunteer whose ledger takes it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PendingPosting")]
public sealed record PendingPosting(string Volunteer, PointsPosting Posting);
