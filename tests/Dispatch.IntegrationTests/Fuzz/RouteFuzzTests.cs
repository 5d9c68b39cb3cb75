using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using FsCheck.Fluent;
using Microsoft.AspNetCore.Http;

namespace Dispatch.IntegrationTests.Fuzz;

/// <summary>
/// Every route of the running host, with generated ids, bodies, headers and roles: never a 5xx;
/// a refusal is problem details (GeoReport's error list under /open311/v2); a refused call
/// changes nothing an admin can see.
/// </summary>
public sealed class RouteFuzzTests(FuzzFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<FuzzFixture>
{
    private readonly Dictionary<int, int> statuses = [];

    /// <summary>Cases per route and method; every route gets them, so the suite's length follows the number of routes.</summary>
    private const int CasesPerRoute = 10;

    [Fact]
    public async Task Every_route_refuses_generated_input_cleanly_and_a_refusal_changes_nothing()
    {
        // The dashboard's trace is an endless stream: a call to it never ends.
        var routes = (await ApiSurface.Read(fixture.App.Services, fixture.Raw)).Where(r => r.Pattern != "/dashboard/Trace").ToList();
        Assert.Contains(routes, r => r.Pattern == "/api/requests/{id:guid}/claim");
        Assert.Contains(routes, r => r.Pattern == "/open311/v2/requests.{format}");
        var inputs = new FuzzInputs(fixture);
        var reader = new StateReader(fixture.Raw, fixture.Tokens[FuzzRole.Admin]);

        // Every route is tried even after one fails, so that one run reports them all.
        var failures = new List<string>();
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            var property = Prop.ForAll(inputs.For(route).ToArbitrary(), call => Holds(route, call, reader));
            try
            {
                await FuzzRun.Check(route.ToString(), property, FuzzRun.Config(CasesPerRoute, salt: (ulong)i));
            }
            catch (Xunit.Sdk.XunitException failure)
            {
                failures.Add(failure.Message);
            }
        }

        output.WriteLine($"{routes.Count} routes, {statuses.Values.Sum()} calls; by status: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, failures));
    }

    private async Task<bool> Holds(FuzzRoute route, FuzzCall call, StateReader reader)
    {
        var probes = Probes(call);
        var before = await reader.Take(probes);
        using var message = Message(call);
        using var response = await fixture.Raw.SendAsync(message);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? "";
        statuses[status] = statuses.GetValueOrDefault(status) + 1;

        Assert.True(status < 500, $"{status} for {call}:{Environment.NewLine}{Cut(body)}");
        if (StateReader.IsSuccess(response.StatusCode))
        {
            foreach (var id in RequestIds(body))
            {
                await reader.Settle(id);
            }

            return true;
        }

        if (status >= 400)
        {
            var reason = ExpectRefusalShape(route, call, response, path, body);
            var after = await reader.Take(probes);
            if (reason == "wrongCheckInCode")
            {
                // The one refusal that is recorded: one more history entry (and so a new version on
                // the board, which must catch up before the next call looks), nothing else.
                var request = probes.First(p => p.EndsWith("/history", StringComparison.Ordinal));
                var id = Guid.Parse(request.Split('/')[3]);
                await reader.Settle(id);
                Assert.Null(before.Difference(after, except: $"/api/requests/{id}", alsoExcept: "/api/communities/"));
                var entries = JsonNode.Parse(after.Seen(request)![4..])!.AsArray();
                Assert.Equal("checkInRejected", entries[^1]!["action"]!.GetValue<string>());
                Assert.Equal(JsonNode.Parse(before.Seen(request)![4..])!.AsArray().Count + 1, entries.Count);
            }
            else if (before.Difference(after, versionOnly: reason == "insufficientPoints" ? $"/api/shop/items/{fixture.ShopItem}" : null) is { } difference)
            {
                Assert.Fail($"A refused call ({status} {Cut(body)}) changed the state: {call}{Environment.NewLine}{difference}");
            }
        }

        return true;
    }

    /// <summary>Checks the refusal's body; returns its <c>reason</c>, if any.</summary>
    private static string? ExpectRefusalShape(FuzzRoute route, FuzzCall call, HttpResponseMessage response, string path, string body)
    {
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (status == StatusCodes.Status429TooManyRequests)
        {
            // Shed by a rate limit before any route ran: a refusal like any other, whatever its body.
            return null;
        }

        if (path.StartsWith("/open311/v2/", StringComparison.OrdinalIgnoreCase))
        {
            // GeoReport's error list, in the format the path asks for (XML for anything but .json).
            if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && mediaType == "application/json")
            {
                var errors = JsonNode.Parse(body)!.AsArray();
                Assert.NotEmpty(errors);
                Assert.All(errors, e => Assert.Equal(status, e!["code"]!.GetValue<int>()));
            }
            else
            {
                Assert.True(mediaType == "text/xml", $"{status} as {mediaType} for {call}: {Cut(body)}");
                Assert.Equal("errors", XDocument.Parse(body).Root!.Name.LocalName);
            }

            return null;
        }

        if (!route.AnswersProblems && !path.StartsWith("/api/", StringComparison.Ordinal))
        {
            return null; // Pages, health, metrics, the hub and the Orleans dashboard: no 5xx is all they promise.
        }

        Assert.True(mediaType == "application/problem+json", $"{status} as {mediaType ?? "no content type"} for {call}: {Cut(body)}");
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(status, problem["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(problem["title"]?.GetValue<string>()), $"No title: {body}");
        var reason = problem["reason"]?.GetValue<string>();
        if (status == 400)
        {
            // Every input error names the field at fault.
            Assert.True(problem["errors"] is JsonObject { Count: > 0 }, $"400 without errors for {call}: {Cut(body)}");
        }

        return reason;
    }

    /// <summary>What the call could change: the boards, points, the shop, the organisation, the policies, and what its path and body name.</summary>
    private List<string> Probes(FuzzCall call)
    {
        var probes = new List<string>
        {
            "/api/communities/m1/requests",
            "/api/communities/m2/requests",
            "/api/communities/m3/requests",
            $"/api/shop/items/{fixture.ShopItem}",
            $"/api/shop/items/{fixture.ShopItem}/orders",
            $"/api/organisations/{FuzzFixture.Organisation}",
            "/api/policies",
        };
        probes.AddRange(FuzzFixture.Volunteers.Select(v => $"/api/volunteers/{v}/points?limit=500"));
        foreach (var id in fixture.Requests.Values.Where(id => call.PathAndQuery.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase)))
        {
            probes.Add($"/api/requests/{id}");
            probes.Add($"/api/requests/{id}/history");
        }

        foreach (var place in FuzzFixture.Places.Where(p => call.PathAndQuery.Contains($"/{p}/", StringComparison.Ordinal)))
        {
            probes.Add($"/api/places/{place}");
            probes.Add($"/api/places/{place}/shop/items");
            probes.Add($"/api/open311/jurisdictions/{place}/services");
        }

        // A resource the body would create must still not exist after a refusal.
        if (call.Body is { Length: > 0 and < 100_000 } bytes && TryParse(bytes) is JsonObject body)
        {
            foreach (var (member, resource) in new[] { ("id", "places"), ("id", "organisations"), ("username", "accounts") })
            {
                if (Text(body[member]) is { Length: > 0 and < 100 } text && text.All(c => !char.IsControl(c) && !char.IsSurrogate(c)))
                {
                    probes.Add($"/api/{resource}/{Uri.EscapeDataString(text)}");
                }
            }
        }

        return probes;
    }

    private HttpRequestMessage Message(FuzzCall call)
    {
        var message = new HttpRequestMessage(new HttpMethod(call.Method), call.PathAndQuery);
        if (fixture.Authorization(call.Role, call.AuthVariant) is { } authorization)
        {
            message.Headers.Authorization = authorization;
        }

        if (call.IdempotencyKey is not null)
        {
            message.Headers.TryAddWithoutValidation("Idempotency-Key", call.IdempotencyKey);
        }

        if (call.Accept is not null)
        {
            message.Headers.TryAddWithoutValidation("Accept", call.Accept);
        }

        if (call.Body is not null || call.ContentType is not null)
        {
            message.Content = new ByteArrayContent(call.Body ?? []);
            message.Content.Headers.ContentType = null;
            if (call.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", call.ContentType);
            }
        }

        return message;
    }

    /// <summary>The requests a successful answer names: its own id (a request view) or a GeoReport filing's.</summary>
    private static IEnumerable<Guid> RequestIds(string body)
    {
        var node = TryParse(System.Text.Encoding.UTF8.GetBytes(body));
        var candidates = node switch
        {
            JsonObject o when o["version"] is not null && o["communityId"] is not null => [o["id"]],
            JsonArray a => a.Select(e => (e as JsonObject)?["service_request_id"]),
            _ => [],
        };
        foreach (var candidate in candidates)
        {
            if (Guid.TryParse(Text(candidate), out var id))
            {
                yield return id;
            }
        }
    }

    /// <summary>A JSON string's text; null for anything else, or for a lone surrogate that no string can hold.</summary>
    private static string? Text(JsonNode? node)
    {
        try
        {
            return node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static JsonNode? TryParse(byte[] bytes)
    {
        try
        {
            // Duplicate members (a body the fuzzer sends on purpose) fail here, not on first access.
            return JsonNode.Parse(bytes, documentOptions: new System.Text.Json.JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string Cut(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
