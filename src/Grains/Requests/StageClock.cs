using System.Collections.Immutable;
using Dispatch.Escalation;

namespace Dispatch.Requests;

/// <summary>
/// The clock of a request's stages, built from its stored fields (<see cref="ServiceRequest.EscalationLevel"/>,
/// <see cref="ServiceRequest.StageSince"/>, <see cref="ServiceRequest.OverdueStage"/>,
/// <see cref="ServiceRequest.Acknowledged"/>, <see cref="ServiceRequest.NextClimbAt"/>): when the
/// current stage began, whether a deadline was missed, and when the request climbs next.
/// </summary>
/// <remarks>
/// Each stage (claim, start, complete, verify) must be done within the policy's time from when it
/// began. A missed deadline makes the request overdue and climbs one level; while it stays overdue
/// and nobody acknowledges it, it climbs again every <see cref="EscalationPolicy.EscalateEvery"/>
/// until the top. Moving on to a later stage ends the alert; falling back restarts the stage's
/// clock but keeps the alert. The level never goes down.
/// </remarks>
public readonly record struct StageClock(int Level, DateTimeOffset Since, Stage? OverdueStage, bool Acknowledged, DateTimeOffset? NextClimbAt)
{
    public bool Overdue => OverdueStage is not null;

    /// <summary>Overdue and nobody has taken the alert up: the request keeps climbing.</summary>
    public bool Alerting => Overdue && !Acknowledged;

    /// <summary>The stage a request of <paramref name="status"/> is in, or null once it is verified or cancelled.</summary>
    public static Stage? StageOf(RequestStatus status) => status switch
    {
        RequestStatus.Open => Stage.Claim,
        RequestStatus.Claimed => Stage.Start,
        RequestStatus.InProgress => Stage.Complete,
        RequestStatus.Completed => Stage.Verify,
        _ => null,
    };

    /// <summary>
    /// Every pending deadline of a request of <paramref name="status"/>, soonest first: the stage's
    /// own (unless it was missed already), the next climb while alerting, a pending offer's expiry
    /// while open, and each claim's start deadline before the work starts.
    /// </summary>
    public ImmutableArray<Deadline> Deadlines(RequestStatus status, EscalationPolicy policy, DispatchOffer? offer, ImmutableArray<ClaimRecord> claims)
    {
        if (StageOf(status) is not { } stage)
        {
            return [];
        }

        var deadlines = ImmutableArray.CreateBuilder<Deadline>();
        if (OverdueStage != stage)
        {
            deadlines.Add(new Deadline(DeadlineKind.Stage, stage, Since + policy.Within(stage)));
        }

        if (Alerting && NextClimbAt is { } climb && Level < EscalationLadder.MaxLevel)
        {
            deadlines.Add(new Deadline(DeadlineKind.Escalation, stage, climb, Level: Level + 1));
        }

        if (status == RequestStatus.Open && offer is not null)
        {
            deadlines.Add(new Deadline(DeadlineKind.OfferExpiry, Stage.Claim, offer.ExpiresAt, offer.Volunteer));
        }

        if (status is RequestStatus.Open or RequestStatus.Claimed)
        {
            foreach (var claim in claims)
            {
                deadlines.Add(new Deadline(DeadlineKind.ClaimExpiry, Stage.Start, claim.At + policy.StartWithin, claim.Volunteer));
            }
        }

        // Simultaneous deadlines apply in kind order: a missed start escalates before the claim expires.
        return [.. deadlines.OrderBy(d => d.Due).ThenBy(d => d.Kind)];
    }

    /// <summary>The deadline of <paramref name="stage"/> passed: overdue, and an earlier acknowledgement no longer quiets it.</summary>
    public StageClock Missed(Stage stage) => this with { OverdueStage = stage, Acknowledged = false };

    /// <summary>One level up for a deadline due at <paramref name="due"/>; the next climb counts from it, none at the top.</summary>
    public StageClock Climbed(DateTimeOffset due, EscalationPolicy policy)
    {
        var level = EscalationLadder.Above(Level);
        return this with { Level = level, NextClimbAt = level < EscalationLadder.MaxLevel ? due + policy.EscalateEvery : null };
    }

    /// <summary>Staff took the alert up: the climb stops until a later deadline is missed.</summary>
    public StageClock Acknowledge() => Overdue ? this with { Acknowledged = true } : this;

    /// <summary>
    /// The request moved from stage <paramref name="before"/> to <paramref name="after"/> at
    /// <paramref name="clock"/>: a new stage's clock starts; moving forward (or ending) ends the
    /// alert, falling back keeps it. The same stage changes nothing.
    /// </summary>
    public StageClock Moved(Stage? before, Stage? after, DateTimeOffset clock)
    {
        if (before == after)
        {
            return this;
        }

        return after is null || before is null || after > before
            ? this with { Since = clock, OverdueStage = null, Acknowledged = false, NextClimbAt = null }
            : this with { Since = clock };
    }
}
