namespace Dispatch.Places;

public static class PlaceLimits
{
    /// <summary>How many security events a place keeps for its staff; older ones are dropped.</summary>
    public const int SecurityEventsKept = 200;
}
