using Dispatch.Requests;

namespace Dispatch.Escalation;

/// <summary>The four stages a request must get through in time, in order.</summary>
public enum Stage
{
    /// <summary>Open: waiting for a claimant (for an activity, for its last place).</summary>
    Claim,

    /// <summary>Claimed: waiting for the work to start.</summary>
    Start,

    /// <summary>In progress: waiting for the work to be reported done.</summary>
    Complete,

    /// <summary>Completed: waiting for staff to verify it.</summary>
    Verify,
}

/// <summary>
/// How long each stage may take for one kind and urgency of request, how often an overdue
/// request climbs one more level of the hierarchy, and how long a dispatch offer waits for an answer.
/// </summary>
/// <param name="OfferWithin">Policies stored before offers existed hold zero here; read <see cref="OfferTimeout"/>.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.EscalationPolicy")]
public sealed record EscalationPolicy(
    TimeSpan ClaimWithin,
    TimeSpan StartWithin,
    TimeSpan CompleteWithin,
    TimeSpan VerifyWithin,
    TimeSpan EscalateEvery,
    TimeSpan OfferWithin)
{
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromDays(365);

    /// <summary>How long an offer waits when the policy does not say.</summary>
    public static readonly TimeSpan DefaultOfferWithin = TimeSpan.FromMinutes(30);

    /// <summary>A policy for requests without one: a day for each stage, climbing daily.</summary>
    public static readonly EscalationPolicy Relaxed = new(
        TimeSpan.FromDays(1), TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(2), TimeSpan.FromDays(1), DefaultOfferWithin);

    /// <summary>How long a dispatch offer waits for the volunteer's answer before it lapses.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan OfferTimeout => OfferWithin > TimeSpan.Zero ? OfferWithin : DefaultOfferWithin;

    public TimeSpan Within(Stage stage) => stage switch
    {
        Stage.Claim => ClaimWithin,
        Stage.Start => StartWithin,
        Stage.Complete => CompleteWithin,
        Stage.Verify => VerifyWithin,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };
}

/// <summary>The policy in force for one kind and urgency.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PolicyEntry")]
public sealed record PolicyEntry(RequestKind Kind, Urgency Urgency, EscalationPolicy Policy, string? ChangedBy, DateTimeOffset? ChangedAt);

public enum DeadlineKind
{
    /// <summary>The current stage must be done by then, or the request escalates.</summary>
    Stage,

    /// <summary>An overdue request climbs one more level then, unless acknowledged.</summary>
    Escalation,

    /// <summary>A claim not started by then is released.</summary>
    ClaimExpiry,

    /// <summary>A dispatch offer not answered by then lapses (and the cascade moves on).</summary>
    OfferExpiry,
}

/// <summary>One pending deadline of a request.</summary>
/// <param name="Volunteer">For a claim expiry, whose claim; for an offer expiry, whose offer.</param>
/// <param name="Level">For an escalation, the level it climbs to.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.Deadline")]
public sealed record Deadline(DeadlineKind Kind, Stage Stage, DateTimeOffset Due, string? Volunteer = null, int? Level = null);
