using Dispatch.Requests;

namespace Dispatch.Escalation;

/// <summary>
/// Configuration section <c>Dispatch:Escalation</c>: the default policy per urgency, used for
/// every kind until an admin sets one with <c>PUT /api/policies/{kind}/{urgency}</c>.
/// </summary>
public sealed class EscalationOptions
{
    public const string Section = "Dispatch:Escalation";

    public PolicySettings Normal { get; set; } = new()
    {
        ClaimWithin = TimeSpan.FromDays(1),
        StartWithin = TimeSpan.FromDays(1),
        CompleteWithin = TimeSpan.FromDays(3),
        VerifyWithin = TimeSpan.FromDays(2),
        EscalateEvery = TimeSpan.FromDays(1),
    };

    public PolicySettings Urgent { get; set; } = new()
    {
        ClaimWithin = TimeSpan.FromHours(4),
        StartWithin = TimeSpan.FromHours(4),
        CompleteWithin = TimeSpan.FromDays(1),
        VerifyWithin = TimeSpan.FromDays(1),
        EscalateEvery = TimeSpan.FromHours(4),
    };

    public PolicySettings Critical { get; set; } = new()
    {
        ClaimWithin = TimeSpan.FromHours(1),
        StartWithin = TimeSpan.FromHours(1),
        CompleteWithin = TimeSpan.FromHours(8),
        VerifyWithin = TimeSpan.FromHours(8),
        EscalateEvery = TimeSpan.FromHours(1),
    };

    public EscalationPolicy For(Urgency urgency) => (urgency switch
    {
        Urgency.Urgent => Urgent,
        Urgency.Critical => Critical,
        _ => Normal,
    }).ToPolicy();

    public sealed class PolicySettings
    {
        public TimeSpan ClaimWithin { get; set; }
        public TimeSpan StartWithin { get; set; }
        public TimeSpan CompleteWithin { get; set; }
        public TimeSpan VerifyWithin { get; set; }
        public TimeSpan EscalateEvery { get; set; }

        /// <summary>How long a dispatch offer waits for the volunteer's answer.</summary>
        public TimeSpan OfferWithin { get; set; } = EscalationPolicy.DefaultOfferWithin;

        public EscalationPolicy ToPolicy() => new(ClaimWithin, StartWithin, CompleteWithin, VerifyWithin, EscalateEvery, OfferWithin);
    }
}
