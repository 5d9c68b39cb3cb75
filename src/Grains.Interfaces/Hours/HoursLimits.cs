namespace Dispatch.Hours;

/// <summary>The bounds of hours added or corrected by hand.</summary>
public static class HoursLimits
{
    public const int MaxReason = 500;

    /// <summary>Star levels volunteers know (星级志愿者), in hours.</summary>
    public static readonly int[] StarHours = [100, 300, 600, 1000, 1500];

    /// <summary>Hours from minutes, to two decimals (1 h 20 min is 1.33).</summary>
    public static decimal ToHours(int minutes) => Math.Round(minutes / 60m, 2, MidpointRounding.AwayFromZero);

    public static int StarsFor(int totalMinutes) => StarHours.Count(h => totalMinutes >= h * 60);

    public static int? NextStarAt(int totalMinutes) => StarHours.Cast<int?>().FirstOrDefault(h => totalMinutes < h * 60);
}
