using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Points;

namespace Dispatch.Requests;

/// <summary>
/// Points and service hours for verified work, kept as outboxes: decided in the same change (and
/// the same write) as the verification, then the grain posts them to the claimants' ledgers and
/// hours records and drops them once answered. Keys are fixed by the verification's history entry
/// (points) or the request (hours), and both ignore a key posted before, so a retry after a crash
/// is credited once.
/// </summary>
public sealed partial class ServiceRequest
{
    /// <summary>Postings decided but not yet confirmed by the ledgers, in the order they must be posted.</summary>
    [Id(35)] public ImmutableArray<PendingPosting> PendingPostings { get; private set; } = [];

    /// <summary>The history entry of the verification whose points stand; null when none do.</summary>
    [Id(37)] public int? EarnedAtSeq { get; private set; }

    /// <summary>Points credited for this request as it stands (zero once a verification is overturned).</summary>
    [Id(40)] public int PointsAwarded { get; private set; }

    /// <summary>
    /// The scheme rule the <see cref="Award"/> was set by when the request was created (or its
    /// urgency changed): its earnings name it and count against its cap. Null without a rule, and
    /// for requests older than schemes: they post as before.
    /// </summary>
    [Id(72)] public PostingRule? AwardRule { get; private set; }

    /// <summary>Service hours confirmed at the verification, waiting for the claimants' hours records.</summary>
    [Id(71)] public ImmutableArray<PendingHours> PendingHours { get; private set; } = [];

    /// <summary>Removes the credits the hours records of <paramref name="volunteers"/> answered. False when none of them were pending.</summary>
    public bool MarkHoursRecorded(IEnumerable<string> volunteers)
    {
        var recorded = volunteers.ToHashSet(StringComparer.Ordinal);
        var remaining = PendingHours.RemoveAll(h => recorded.Contains(h.Volunteer));
        if (remaining.Length == PendingHours.Length)
        {
            return false;
        }

        PendingHours = remaining;
        return true;
    }

    /// <summary>Removes postings the ledgers confirmed. False when none of them were pending.</summary>
    public bool MarkPosted(IEnumerable<string> keys)
    {
        if (Outbox.Confirm(keys) is not { } remaining)
        {
            return false;
        }

        PendingPostings = remaining.Postings;
        return true;
    }

    /// <summary>The postings waiting for the ledgers.</summary>
    public PointsOutbox Outbox => new(PendingPostings);

    private RequestPoints PointsOf => new(Id, CommunityId, Kind, Title, Award, AwardRule);

    /// <summary>
    /// Owes the claimants the earnings of the verification just recorded and, rated highly under
    /// a <c>rating.high</c> rule (<paramref name="bonus"/>), its bonus: stored with the verification.
    /// </summary>
    private void EarnPoints(string by, int? rating = null, RatingBonus? bonus = null)
    {
        var (seq, at) = (History[^1].Seq, History[^1].At);
        var earnings = PointsOutbox.Earnings(PointsOf, Claims, Participants, seq, by, at);
        EarnedAtSeq = seq;
        PointsAwarded = earnings.Sum(p => p.Posting.Amount);
        PendingPostings = Outbox.Add(earnings).Add(PointsOutbox.Bonuses(PointsOf, Claims, Participants, rating, bonus, at, by)).Postings;
    }

    /// <summary>Owes each claimant the <paramref name="minutes"/> just confirmed by the verification (the last history entry).</summary>
    private void OweHours(int minutes, string by)
    {
        var owed = ConfirmedHours.Credits(PointsOf, Claims, minutes, History[^1].At, by);
        PendingHours = (PendingHours.IsDefault ? [] : PendingHours).AddRange(owed);
    }

    /// <summary>
    /// The credits of service hours staff confirm after the verification (for every claimant, or
    /// the one named): <paramref name="minutes"/> each, at most their time from claim to verification.
    /// </summary>
    public Failure? HoursAfterVerification(Actor actor, int minutes, string? volunteer, out ImmutableArray<PendingHours> credits)
    {
        credits = [];
        if (!actor.IsStaff)
        {
            return StaffOnly("confirm the hours of");
        }

        if (Status != RequestStatus.Verified || Verification is not { Approved: true } verification)
        {
            return Failure.Conflict("notVerified", "Hours are confirmed once the request's completion is verified.");
        }

        var claims = Claims.Where(c => volunteer is null || c.Volunteer == volunteer).ToImmutableArray();
        if (claims.IsEmpty)
        {
            return Failure.Invalid("volunteer", $"'{volunteer}' did not claim this request.");
        }

        credits = [.. claims.Select(c => new PendingHours(c.Volunteer, ConfirmedHours.For(PointsOf, c, minutes, ConfirmedHours.Served(c.At, verification.At), actor.Username)))];
        return null;
    }

    /// <summary>Takes back what the standing verification credited; what a claimant already spent cannot be, and the entry says so.</summary>
    private void ReversePoints(string by)
    {
        if (EarnedAtSeq is not { } seq)
        {
            return;
        }

        PendingPostings = Outbox.Add(PointsOutbox.Reversals(PointsOf, Claims, Participants, seq, by)).Postings;
        EarnedAtSeq = null;
        PointsAwarded = 0;
    }
}
