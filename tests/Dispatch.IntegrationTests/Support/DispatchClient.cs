using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Support;

/// <summary>An HTTP client of the Dispatch API, speaking its JSON, for one account.</summary>
public sealed class DispatchClient(HttpClient http) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public HttpClient Http { get; } = http;

    /// <summary>The refresh token of the last sign-in or refresh.</summary>
    public string? RefreshToken { get; private set; }

    /// <summary>
    /// Signs in, as a client does: a 503 (the cluster did not answer in time, as on a machine
    /// busy starting a world of hosts) is tried again after its Retry-After, a few times.
    /// </summary>
    public async Task Login(string username, string password)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await Http.PostAsJsonAsync("/api/auth/token", new { username, password }, Json);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 3)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            await Expect(response, HttpStatusCode.OK);
            await UseTokens(response);
            return;
        }
    }

    /// <summary>Trades <see cref="RefreshToken"/> for a new pair; the answer, for tests of refusals.</summary>
    public async Task<HttpResponseMessage> Refresh()
    {
        var response = await Http.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = RefreshToken }, Json);
        if (response.IsSuccessStatusCode)
        {
            await UseTokens(response);
        }

        return response;
    }

    private async Task UseTokens(HttpResponseMessage response)
    {
        var tokens = (await response.Content.ReadFromJsonAsync<JsonObject>(Json))!;
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens["accessToken"]!.GetValue<string>());
        RefreshToken = tokens["refreshToken"]?.GetValue<string>();
    }

    public Task<HttpResponseMessage> Post(string path, object? body = null, string? idempotencyKey = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body is null ? null : JsonContent.Create(body, options: Json),
        };
        if (idempotencyKey is not null)
        {
            message.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return Http.SendAsync(message);
    }

    public Task<HttpResponseMessage> Patch(string path, object body) =>
        Http.PatchAsJsonAsync(path, body, Json);

    public Task<HttpResponseMessage> PostRaw(string path, string json) =>
        Http.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Uploads <paramref name="bytes"/> as the <c>file</c> part of a multipart form, as a browser's file input would.</summary>
    public Task<HttpResponseMessage> Upload(string path, byte[] bytes, string fileName)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        return Http.PostAsync(path, new MultipartFormDataContent { { file, "file", fileName } });
    }

    public Task<HttpResponseMessage> Get(string path) => Http.GetAsync(path);

    public Task<HttpResponseMessage> Put(string path, object body) => Http.PutAsJsonAsync(path, body, Json);

    public async Task<T> PostOk<T>(string path, object? body = null, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await Post(path, body);
        await Expect(response, status);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public async Task<T> GetOk<T>(string path)
    {
        var response = await Get(path);
        await Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public Task CreatePlace(string id, string kind, string? parentId) =>
        PostOk<JsonObject>("/api/places", new { id, name = $"Place {id}", kind, parentId }, HttpStatusCode.Created);

    /// <summary>A region > county > town > community chain ("{prefix}-region", "-county", "-town" above <paramref name="community"/>).</summary>
    public async Task CreateCommunityChain(string prefix, string community)
    {
        await CreatePlace($"{prefix}-region", "region", null);
        await CreatePlace($"{prefix}-county", "county", $"{prefix}-region");
        await CreatePlace($"{prefix}-town", "town", $"{prefix}-county");
        await CreatePlace(community, "community", $"{prefix}-town");
    }

    public Task CreateAccount(string username, string role, string placeId, string password = "password-1", string[]? skills = null) =>
        PostOk<JsonObject>(
            "/api/accounts",
            new { username, password, displayName = $"User {username}", role, placeId, skills = skills ?? [] },
            HttpStatusCode.Created);

    public Task<RequestView> CreateRequest(string communityId, string kind = "wish", int places = 1, string title = "A thermos cup") =>
        PostOk<RequestView>(
            "/api/requests",
            new
            {
                communityId,
                kind,
                title,
                description = "For an 8-year-old left-behind child.",
                categories = new[] { "goods" },
                urgency = "normal",
                places,
                points = 10,
                beneficiary = new { name = "Xiao Ming", phone = ContactSentinel.Phone, address = "Building 3" },
            },
            HttpStatusCode.Created);

    public static async Task Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {body}");
        }
    }

    /// <summary>The problem details body of a refused request, after checking its status and content type.</summary>
    public static async Task<JsonObject> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        await Expect(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Json))!;
    }

    public void Dispose() => Http.Dispose();
}
