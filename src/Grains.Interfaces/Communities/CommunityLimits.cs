namespace Dispatch.Communities;

/// <summary>Limits of a community's board shared by the web host and the community grain.</summary>
public static class CommunityLimits
{
    /// <summary>The most requests one page of the board holds.</summary>
    public const int MaxPageSize = 100;
}
