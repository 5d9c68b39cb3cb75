using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Open311;

/// <summary>
/// The test world with Open311 set up: locations for its communities (m2 is the one near the town
/// t1's centre, m1 to its south-west) and one API key each for m1, t1 and t2.
/// </summary>
public sealed class Open311Fixture : WorldFixture
{
    public static readonly (double Lat, double Long) M1 = (48.00, 124.00);
    public static readonly (double Lat, double Long) M2 = (48.50, 124.50);
    public static readonly (double Lat, double Long) M3 = (49.20, 119.80);

    public string KeyM1 { get; private set; } = "";

    public string KeyT1 { get; private set; } = "";

    public string KeyT2 { get; private set; } = "";

    public GeoReport Client() => new(App.CreateClient());

    public static async Task<(Guid Id, string Key)> IssueKey(DispatchClient admin, string jurisdictionId, string name)
    {
        var created = await admin.PostOk<JsonObject>("/api/open311/keys", new { jurisdictionId, name }, HttpStatusCode.Created);
        return (Guid.Parse(created["id"]!.GetValue<string>()), created["apiKey"]!.GetValue<string>());
    }

    protected override async Task ArrangeAsync()
    {
        foreach (var (community, at) in new[] { ("m1", M1), ("m2", M2), ("m3", M3) })
        {
            var response = await World.Admin.Put($"/api/open311/communities/{community}/location", new { lat = at.Lat, @long = at.Long });
            await DispatchClient.Expect(response, HttpStatusCode.OK);
        }

        KeyM1 = (await IssueKey(World.Admin, "m1", "Xinhua hotline")).Key;
        KeyT1 = (await IssueKey(World.Admin, "t1", "Town 12345 app")).Key;
        KeyT2 = (await IssueKey(World.Admin, "t2", "Other town app")).Key;
    }

    /// <summary>How many requests a community's board holds: a refused POST must leave it unchanged.</summary>
    public async Task<int> BoardTotal(string community) =>
        (await World.Admin.GetOk<JsonObject>($"/api/communities/{community}/requests?pageSize=1"))["total"]!.GetValue<int>();
}
