using Dispatch.Requests;

namespace Dispatch.Points;

/// <summary>
/// Configuration section <c>Dispatch:Points</c>: how a request's points are weighted by its
/// urgency when it is created (the weighted figure is the request's <c>award</c>).
/// </summary>
public sealed class PointsOptions
{
    public const string Section = "Dispatch:Points";

    public const double MaxMultiplier = 100;

    public double NormalMultiplier { get; set; } = 1.0;

    public double UrgentMultiplier { get; set; } = 1.5;

    public double CriticalMultiplier { get; set; } = 2.0;

    /// <summary>Points each claimant earns per place when a request of this urgency is verified.</summary>
    public int Award(int points, Urgency urgency) => (int)Math.Round(points * urgency switch
    {
        Urgency.Urgent => UrgentMultiplier,
        Urgency.Critical => CriticalMultiplier,
        _ => NormalMultiplier,
    }, MidpointRounding.AwayFromZero);

    public bool IsValid() =>
        new[] { NormalMultiplier, UrgentMultiplier, CriticalMultiplier }.All(m => m is >= 0 and <= MaxMultiplier);
}
