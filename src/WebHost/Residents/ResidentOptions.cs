namespace Dispatch.WebHost.Residents;

/// <summary>The <c>Dispatch:Residents</c> settings: the public filing form's defences against scripts.</summary>
public sealed class ResidentOptions
{
    public const string Section = "Dispatch:Residents";

    /// <summary>
    /// How long a form must have been open before it is accepted. A person reading and typing
    /// takes far longer; a script posting at once is refused (<c>tooFast</c>).
    /// </summary>
    public TimeSpan MinimumFillTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a form token stays good: a resident may leave the page open over a day, then must reload it.</summary>
    public TimeSpan FormLifetime { get; set; } = TimeSpan.FromDays(1);

    public IEnumerable<string> Problems()
    {
        if (MinimumFillTime < TimeSpan.Zero || MinimumFillTime > TimeSpan.FromMinutes(10))
        {
            yield return $"{Section}:{nameof(MinimumFillTime)} must be between 0 and 10 minutes.";
        }

        if (FormLifetime < TimeSpan.FromMinutes(10) || FormLifetime > TimeSpan.FromDays(30))
        {
            yield return $"{Section}:{nameof(FormLifetime)} must be between 10 minutes and 30 days.";
        }
    }
}
