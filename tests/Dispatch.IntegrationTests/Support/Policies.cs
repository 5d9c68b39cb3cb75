using System.Net;

namespace Dispatch.IntegrationTests.Support;

public static class Policies
{
    public const string Day = "1.00:00:00";

    /// <summary>Two seconds for every stage and every climb: a request escalates while a test watches.</summary>
    public static object TwoSeconds { get; } = new
    {
        claimWithin = "00:00:02",
        startWithin = "00:00:02",
        completeWithin = "00:00:02",
        verifyWithin = "00:00:02",
        escalateEvery = "00:00:02",
    };

    /// <summary>
    /// A day for every stage and climb unless given: nothing happens on its own except what a test
    /// shortens (the claim deadline, or how long offers wait).
    /// </summary>
    public static Dictionary<string, string> Quiet(string claimWithin = Day, string? offerWithin = null)
    {
        var policy = new Dictionary<string, string>
        {
            ["claimWithin"] = claimWithin,
            ["startWithin"] = Day,
            ["completeWithin"] = Day,
            ["verifyWithin"] = Day,
            ["escalateEvery"] = Day,
        };
        if (offerWithin is not null)
        {
            policy["offerWithin"] = offerWithin;
        }

        return policy;
    }

    /// <summary>Sets the policy of a kind and urgency through the API (an admin's client).</summary>
    public static async Task Set(DispatchClient admin, string kind, string urgency, object policy) =>
        await DispatchClient.Expect(await admin.Put($"/api/policies/{kind}/{urgency}", policy), HttpStatusCode.OK);
}
