using System.Text.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// The front end's TypeScript types (ClientApp/src/api/schema.d.ts) are generated from a snapshot of
/// the OpenAPI document (ClientApp/openapi/v1.json), and the build checks the types against the
/// snapshot. This keeps the snapshot itself equal to what the host serves, so that client and server
/// cannot drift apart unnoticed.
/// </summary>
public sealed class OpenApiSnapshotTests
{
    private static readonly string Snapshot = Path.Combine(Repository.Root(), "src", "WebHost", "ClientApp", "openapi", "v1.json");

    [Fact]
    public async Task The_front_ends_openapi_snapshot_is_the_document_the_host_serves()
    {
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path);
        using var client = app.CreateClient();

        var served = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        served.Remove("servers"); // names the host that answered; the snapshot leaves it out
        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(Snapshot))!;

        if (!JsonNode.DeepEquals(served, snapshot))
        {
            var difference = FirstDifference(served, snapshot, "$") ?? "(unknown)";
            Assert.Fail(
                $"src/WebHost/ClientApp/openapi/v1.json differs from the OpenAPI document the host serves, first at {difference}.\n" +
                "Regenerate the snapshot and the front end's types: start the host (dotnet run --project src/WebHost), then\n" +
                "  cd src/WebHost/ClientApp && npm run api:snapshot\n" +
                "(DISPATCH_URL=http://host:port to use another address), and commit both openapi/v1.json and src/api/schema.d.ts.");
        }
    }

    private static string? FirstDifference(JsonNode? served, JsonNode? snapshot, string path)
    {
        switch (served, snapshot)
        {
            case (JsonObject a, JsonObject b):
                foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
                {
                    if (!a.ContainsKey(key)) return $"{path}.{key} (only in the snapshot)";
                    if (!b.ContainsKey(key)) return $"{path}.{key} (only in the served document)";
                    if (FirstDifference(a[key], b[key], $"{path}.{key}") is { } inner) return inner;
                }

                return null;
            case (JsonArray a, JsonArray b):
                for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
                {
                    if (i >= a.Count || i >= b.Count) return $"{path}[{i}] (lengths {a.Count} and {b.Count})";
                    if (FirstDifference(a[i], b[i], $"{path}[{i}]") is { } inner) return inner;
                }

                return null;
            default:
                return JsonNode.DeepEquals(served, snapshot) ? null : $"{path} (served {served?.ToJsonString(new JsonSerializerOptions { WriteIndented = false })})";
        }
    }
}
