namespace Dispatch.Volunteers;

/// <summary>Configuration section <c>Dispatch:Volunteers</c>.</summary>
public sealed class VolunteerOptions
{
    public const string Section = "Dispatch:Volunteers";

    /// <summary>How many requests a volunteer may hold claims on at once.</summary>
    public int ClaimLimit { get; set; } = 5;
}
