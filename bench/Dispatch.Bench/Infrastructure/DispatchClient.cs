using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dispatch.Bench.Infrastructure;

/// <summary>
/// Sets up a world through Dispatch's public API, as an admin would: places, staff, volunteers and
/// their tokens, requests. Everything here happens before the clock starts.
/// </summary>
public sealed class DispatchClient(Uri baseAddress) : IDisposable
{
    public const string VolunteerPassword = "bench-volunteer-secret";
    public const string RegionId = "bench-region";
    public const string CountyId = "bench-county";
    public const string TownId = "bench-town";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] Categories = ["goods"];

    private readonly HttpClient http = LoadDriver.CreateClient(baseAddress, 32);
    private string? adminToken;

    public Uri BaseAddress => baseAddress;

    public static string CommunityId(int index) => $"bench-community-{index}";

    public static string VolunteerName(int community, int index) => $"v{community}-{index}";

    public async Task<string> TokenAsync(string username, string password, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/token", new { username, password }, Json, cancellationToken);
        await EnsureAsync(response, $"token for {username}");
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken);
        return body?["accessToken"]?.GetValue<string>() ?? throw new InvalidOperationException("No accessToken in the token response.");
    }

    public async Task<string> AdminTokenAsync(CancellationToken cancellationToken) =>
        adminToken ??= await TokenAsync("admin", DispatchServer.AdminPassword, cancellationToken);

    /// <summary>A region, a county, a town and <paramref name="communities"/> communities under it.</summary>
    public async Task CreatePlacesAsync(int communities, CancellationToken cancellationToken)
    {
        await PostAsync("/api/places", new { id = RegionId, name = "Bench Region", kind = "region" }, cancellationToken);
        await PostAsync("/api/places", new { id = CountyId, name = "Bench County", kind = "county", parentId = RegionId }, cancellationToken);
        await PostAsync("/api/places", new { id = TownId, name = "Bench Town", kind = "town", parentId = CountyId }, cancellationToken);
        for (var i = 0; i < communities; i++)
        {
            await PostAsync("/api/places", new { id = CommunityId(i), name = $"Bench Community {i}", kind = "community", parentId = TownId }, cancellationToken);
        }
    }

    /// <summary>Registers <paramref name="perCommunity"/> volunteers in each community and signs each in: tokens[community][index].</summary>
    public async Task<string[][]> CreateVolunteersAsync(int communities, int perCommunity, CancellationToken cancellationToken)
    {
        var tokens = Enumerable.Range(0, communities).Select(_ => new string[perCommunity]).ToArray();

        // Password hashing makes this the slowest part of the set-up: both cores are used.
        await LoadDriver.RunAsync(communities * perCommunity, Environment.ProcessorCount * 2, async n =>
        {
            var (community, index) = (n / perCommunity, n % perCommunity);
            var username = VolunteerName(community, index);
            await PostAsync("/api/accounts", new
            {
                username,
                password = VolunteerPassword,
                displayName = $"Volunteer {community}-{index}",
                role = "volunteer",
                placeId = CommunityId(community),
                skills = Array.Empty<string>(),
            }, cancellationToken);
            tokens[community][index] = await TokenAsync(username, VolunteerPassword, cancellationToken);
        });
        return tokens;
    }

    /// <summary>Publishes a request; returns its id.</summary>
    public async Task<Guid> CreateRequestAsync(string communityId, string kind, string title, int places, string urgency, CancellationToken cancellationToken)
    {
        var created = await PostAsync("/api/requests", new
        {
            communityId,
            kind,
            title,
            categories = Categories,
            urgency,
            places,
            points = 10,
            beneficiary = new { name = "Bench Resident", phone = "138-0000-0000" },
        }, cancellationToken);
        return created["id"]!.GetValue<Guid>();
    }

    /// <summary>A request as staff see it.</summary>
    public async Task<JsonObject> GetRequestAsync(Guid id, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/requests/{id}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync(cancellationToken));
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, $"GET /api/requests/{id}");
        return await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken) ?? [];
    }

    /// <summary>POST as the admin; returns the JSON answer, or throws with the problem Dispatch gave.</summary>
    public async Task<JsonObject> PostAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync(cancellationToken));
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, $"POST {path}");
        return await response.Content.ReadFromJsonAsync<JsonObject>(Json, cancellationToken) ?? [];
    }

    /// <summary>PUT as the admin.</summary>
    public async Task PutAsync(string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync(cancellationToken));
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, $"PUT {path}");
    }

    public void Dispose() => http.Dispose();

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {body}");
        }
    }
}
