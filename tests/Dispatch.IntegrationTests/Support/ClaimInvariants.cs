using System.Net;
using System.Text.Json.Nodes;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Support;

/// <summary>
/// The rules of claiming, checked on what a host has stored: read back through the API, the
/// requests are the authority, and each volunteer's record must agree with them.
/// </summary>
public static class ClaimInvariants
{
    /// <summary>What the requests and the volunteers' records hold, read through <paramref name="staff"/>.</summary>
    public static async Task<ClaimHoldings> Read(DispatchClient staff, IEnumerable<Guid> requests, IEnumerable<string> volunteers)
    {
        var views = new Dictionary<Guid, RequestView>();
        foreach (var id in requests.Distinct())
        {
            views[id] = await staff.GetOk<RequestView>($"/api/requests/{id}");
        }

        var records = new Dictionary<string, Guid[]>(StringComparer.Ordinal);
        var reinstated = new Dictionary<string, Guid[]>(StringComparer.Ordinal);
        foreach (var username in volunteers.Distinct())
        {
            var profile = await staff.GetOk<JsonObject>($"/api/volunteers/{username}");
            records[username] = [.. profile["activeClaims"]!.AsArray().Select(n => n!.GetValue<Guid>()).Order()];

            // The requests whose latest event in the volunteer's history is a reinstated claim.
            reinstated[username] = [.. profile["history"]!.AsArray()
                .Where(e => e!["requestId"] is not null)
                .GroupBy(e => e!["requestId"]!.GetValue<Guid>())
                .Where(g => g.Last()!["action"]!.GetValue<string>() == "claimReinstated")
                .Select(g => g.Key)];
        }

        return new ClaimHoldings(views, records, reinstated);
    }

    /// <summary>
    /// Asserts that no request has more claimed places than it has or a volunteer twice, that no
    /// volunteer holds more than <paramref name="limit"/> active claims counted on the requests,
    /// and that every volunteer's record lists exactly the claims the requests give them. A claim
    /// that an overturned verification reinstated comes back whatever the limit, so it is not counted.
    /// </summary>
    public static async Task<ClaimHoldings> AssertHold(DispatchClient staff, IEnumerable<Guid> requests, IEnumerable<string> volunteers, int limit)
    {
        var holdings = await Read(staff, requests, volunteers);
        foreach (var request in holdings.Requests.Values)
        {
            Assert.True(request.Claims.Sum(c => c.PlaceCount) <= request.Places, $"Request {request.Id} has {request.Claims.Sum(c => c.PlaceCount)} places claimed of {request.Places}.");
            Assert.Equal(request.Claimants.Length, request.Claimants.Distinct().Count());
        }

        foreach (var (username, record) in holdings.Records)
        {
            var held = holdings.ActiveOn(username);
            var claimed = held.Except(holdings.Reinstated[username]).Count();
            Assert.True(claimed <= limit, $"{username} holds {claimed} active claims on the requests (besides reinstated ones), above the limit of {limit}.");
            Assert.True(held.SequenceEqual(record), $"{username}'s record lists [{string.Join(", ", record)}] but the requests give [{string.Join(", ", held)}].");
        }

        return holdings;
    }

    /// <summary>A 409's reason, or "won" for a 200; anything else fails.</summary>
    public static async Task<string> Answer(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return "won";
        }

        var problem = await DispatchClient.Problem(response, HttpStatusCode.Conflict);
        return problem["reason"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"A 409 without a reason: {problem}");
    }
}

/// <summary>The requests and the volunteers' records, as stored.</summary>
public sealed record ClaimHoldings(
    IReadOnlyDictionary<Guid, RequestView> Requests,
    IReadOnlyDictionary<string, Guid[]> Records,
    IReadOnlyDictionary<string, Guid[]> Reinstated)
{
    /// <summary>Whether every volunteer's record lists exactly the claims the requests give them.</summary>
    public bool Agree => Records.All(r => ActiveOn(r.Key).SequenceEqual(r.Value));

    /// <summary>The requests on which <paramref name="username"/> holds an active claim (not verified or cancelled), in order.</summary>
    public Guid[] ActiveOn(string username) =>
        [.. Requests.Values.Where(r => !r.Status.IsFinal() && r.Claimants.Contains(username, StringComparer.Ordinal)).Select(r => r.Id).Order()];
}
