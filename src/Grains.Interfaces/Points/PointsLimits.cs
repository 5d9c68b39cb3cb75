namespace Dispatch.Points;

/// <summary>Limits of the points API shared by the web host and the ledger grain.</summary>
public static class PointsLimits
{
    /// <summary>The most postings one statement lists (the newest first).</summary>
    public const int MaxStatementEntries = 500;
}
