namespace Dispatch.IntegrationTests.Support;

/// <summary>Escalation policy bodies for <c>PUT /api/policies/{kind}/{urgency}</c>.</summary>
public static class Policies
{
    /// <summary>Two seconds for every stage and every climb: a request escalates while a test watches.</summary>
    public static object TwoSeconds { get; } = new
    {
        claimWithin = "00:00:02",
        startWithin = "00:00:02",
        completeWithin = "00:00:02",
        verifyWithin = "00:00:02",
        escalateEvery = "00:00:02",
    };
}
