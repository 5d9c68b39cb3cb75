using Dispatch.Common;

namespace Dispatch.Escalation;

public static class PolicyLimits
{
    /// <summary>Each duration must lie between one second and a year.</summary>
    public static ValidationErrors Validate(EscalationPolicy policy)
    {
        var errors = new ValidationErrors();
        Check(policy.ClaimWithin, "claimWithin");
        Check(policy.StartWithin, "startWithin");
        Check(policy.CompleteWithin, "completeWithin");
        Check(policy.VerifyWithin, "verifyWithin");
        Check(policy.EscalateEvery, "escalateEvery");
        Check(policy.OfferWithin, "offerWithin");
        return errors;

        void Check(TimeSpan value, string field) => errors.Require(
            value >= EscalationPolicy.Shortest && value <= EscalationPolicy.Longest,
            field,
            $"'{field}' must be between 00:00:01 and 365.00:00:00.");
    }
}
