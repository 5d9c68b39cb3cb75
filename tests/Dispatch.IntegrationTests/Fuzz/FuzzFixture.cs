using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Fuzz;

/// <summary>
/// One Dispatch on a fake clock (it never moves unless a property moves it, so nothing changes on
/// its own between two looks), seeded with the <see cref="World"/> and one of everything a route
/// can name: requests in every status, an organisation, points, a shop item with an order, an
/// Open311 key. The fuzzers throw their calls at it through one anonymous <see cref="HttpClient"/>,
/// adding the role's token per call.
/// </summary>
public class FuzzFixture : IAsyncLifetime
{
    /// <summary>
    /// The host's settings. Limits that a fuzzer would trip by the sheer number of its calls
    /// (not by their content) are raised here; the route fuzzer raises the claim rate limit too
    /// (<see cref="RouteFuzzSettings"/>), while the journeys run at the shipped limits.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        // The fake clock never moves during the route fuzz; tokens must outlast the model's jumps.
        ["Dispatch:Auth:TokenLifetime"] = "3650.00:00:00",
    };

    /// <summary>
    /// The route fuzzer's volunteer makes hundreds of claim attempts on a clock that never moves,
    /// so no bucket would refill: its claims should reach the request, to test the route's input.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string?> RouteFuzzSettings = new Dictionary<string, string?>(Settings)
    {
        ["Dispatch:RateLimits:ClaimsPerVolunteer:Burst"] = "1000000",
    };

    /// <summary>The settings this fixture's host starts with.</summary>
    protected virtual IReadOnlyDictionary<string, string?> HostSettings => RouteFuzzSettings;

    private readonly TempDirectory directory = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero));

    public DispatchApp App { get; private set; } = null!;

    public World World { get; private set; } = null!;

    /// <summary>Calls go through this client, with no default headers.</summary>
    public HttpClient Raw { get; private set; } = null!;

    /// <summary>A bearer token for each seeded role (admin, staff-t1, vol-m1-1).</summary>
    public Dictionary<FuzzRole, string> Tokens { get; } = [];

    public Dictionary<string, Guid> Requests { get; } = [];

    public Dictionary<Guid, string> CheckInCodes { get; } = [];

    public Guid ShopItem { get; private set; }

    public Guid Order { get; private set; }

    public Guid Open311Key { get; private set; }

    public string Open311ApiKey { get; private set; } = "";

    public const string Organisation = "org-1";

    /// <summary>A department (an organisation of kind department) of m1 that suggestions are handed to.</summary>
    public const string Department = "dept-1";

    /// <summary>A suggestion about m1, filed by vol-m1-1 (a deputy) and not yet handed over.</summary>
    public string Suggestion { get; private set; } = "";

    public static readonly string[] Places = ["r1", "c1", "t1", "t2", "m1", "m2", "m3"];

    public static readonly string[] Usernames = ["admin", "staff-t1", "staff-m3", "vol-m1-1", "vol-m1-2", "vol-m2-1", "vol-m3-1"];

    /// <summary>The volunteers whose points the snapshots watch.</summary>
    public static readonly string[] Volunteers = ["vol-m1-1", "vol-m1-2", "vol-m2-1"];

    public async Task InitializeAsync()
    {
        App = new DispatchApp(directory.Path, HostSettings, Clock);
        World = await World.Create(App);
        Raw = App.CreateClient();
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As("vol-m1-1");
        using var other = await World.As("vol-m1-2");
        Tokens[FuzzRole.Admin] = World.Admin.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        Tokens[FuzzRole.Staff] = staff.Http.DefaultRequestHeaders.Authorization!.Parameter!;
        Tokens[FuzzRole.Volunteer] = volunteer.Http.DefaultRequestHeaders.Authorization!.Parameter!;

        await Seed(staff, volunteer, other);
        await ArrangeAsync();
    }

    public async Task DisposeAsync()
    {
        Raw.Dispose();
        await App.DisposeAsync();
        directory.Dispose();
    }

    /// <summary>Runs once, after the seeding.</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    /// <summary>The token to send for a role; garbage for <see cref="FuzzRole.Garbage"/>, none for anonymous.</summary>
    public AuthenticationHeaderValue? Authorization(FuzzRole role, int variant) => role switch
    {
        FuzzRole.Anonymous => null,
        FuzzRole.Garbage => (variant % 6) switch
        {
            0 => new AuthenticationHeaderValue("Bearer", "not-a-token"),
            1 => new AuthenticationHeaderValue("Bearer", Tokens[FuzzRole.Admin][..^3] + "abc"),
            2 => new AuthenticationHeaderValue("Basic", "YWRtaW46YWRtaW4="),
            3 => new AuthenticationHeaderValue("Bearer", "e30.e30."),
            4 => new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiJ9."),
            _ => new AuthenticationHeaderValue("Bearer", Tokens[FuzzRole.Volunteer] + "." + Tokens[FuzzRole.Volunteer]),
        },
        _ => new AuthenticationHeaderValue("Bearer", Tokens[role]),
    };

    private async Task Seed(DispatchClient staff, DispatchClient volunteer, DispatchClient other)
    {
        async Task<Guid> Create(string name, string kind = "wish", int places = 1, string community = "m1", DispatchClient? by = null)
        {
            var created = await (by ?? staff).CreateRequest(community, kind, places, $"Fuzz {name}");
            Requests[name] = created.Id;
            CheckInCodes[created.Id] = created.CheckInCode!;
            return created.Id;
        }

        async Task Ok(DispatchClient client, string path, object? body = null) =>
            await DispatchClient.Expect(await client.Post(path, body), HttpStatusCode.OK);

        await Create("open");
        var activity = await Create("activity", "activity", 3);
        await Ok(volunteer, $"/api/requests/{activity}/claim");
        var working = await Create("inProgress", "errand");
        await Ok(volunteer, $"/api/requests/{working}/claim");
        await Ok(volunteer, $"/api/requests/{working}/start");
        var completed = await Create("completed");
        await Ok(other, $"/api/requests/{completed}/claim");
        await Ok(other, $"/api/requests/{completed}/start");
        await Ok(other, $"/api/requests/{completed}/complete", new { note = "Done" });
        var verified = await Create("verified");
        await Ok(other, $"/api/requests/{verified}/claim");
        await Ok(other, $"/api/requests/{verified}/start");
        await Ok(other, $"/api/requests/{verified}/complete", new { note = "Done" });
        await Ok(staff, $"/api/requests/{verified}/verify", new { approved = true, rating = 5 });
        var cancelled = await Create("cancelled");
        await Ok(staff, $"/api/requests/{cancelled}/cancel", new { reason = "Not needed" });
        using (var staffM3 = await World.As("staff-m3"))
        {
            await Create("elsewhere", community: "m3", by: staffM3);
        }

        await World.Admin.PostOk<JsonObject>("/api/organisations", new { id = Organisation, name = "Power supply", communityIds = new[] { "m1", "m2" } }, HttpStatusCode.Created);
        await World.Admin.PostOk<JsonObject>($"/api/organisations/{Organisation}/members", new { username = "vol-m1-1" });

        await World.Admin.PostOk<JsonObject>("/api/organisations", new { id = Department, name = "Housing", communityIds = new[] { "m1" }, kind = "department" }, HttpStatusCode.Created);
        await DispatchClient.Expect(await World.Admin.Put("/api/accounts/vol-m1-1/representative", new { title = "peoplesCongress" }), HttpStatusCode.OK);
        var suggestion = await volunteer.PostOk<JsonObject>("/api/suggestions", new { title = "Lift", content = "A lift for building 3", placeId = "m1" }, HttpStatusCode.Created);
        Suggestion = suggestion["id"]!.GetValue<string>();

        await staff.PostOk<JsonObject>("/api/volunteers/vol-m1-1/points", new { amount = 100, reason = "Seed" }, HttpStatusCode.Created);
        var item = await staff.PostOk<JsonObject>("/api/places/t1/shop/items", new { name = "Rice", cost = 5, stock = 10 }, HttpStatusCode.Created);
        ShopItem = Guid.Parse(item["id"]!.GetValue<string>());
        var order = await volunteer.PostOk<JsonObject>($"/api/shop/items/{ShopItem}/redeem");
        Order = Guid.Parse(order["id"]!.GetValue<string>());

        await DispatchClient.Expect(await World.Admin.Put("/api/open311/communities/m1/location", new { lat = 48.0, @long = 124.0 }), HttpStatusCode.OK);
        var key = await World.Admin.PostOk<JsonObject>("/api/open311/keys", new { jurisdictionId = "m1", name = "Hotline" }, HttpStatusCode.Created);
        Open311Key = Guid.Parse(key["id"]!.GetValue<string>());
        Open311ApiKey = key["apiKey"]!.GetValue<string>();
    }
}

public enum FuzzRole
{
    Anonymous,
    Volunteer,
    Staff,
    Admin,
    Garbage,
}
