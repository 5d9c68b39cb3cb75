namespace Dispatch.WebHost.Residents;

/// <summary>Where a resident follows a need with its tracking code.</summary>
public static class TrackingApi
{
    /// <summary>The resident's page for a code.</summary>
    public static string PagePath(string code) => "/r/track/" + code;

    /// <summary>The API's answer for a code.</summary>
    public static string ApiPath(string code) => "/api/track/" + code;
}
