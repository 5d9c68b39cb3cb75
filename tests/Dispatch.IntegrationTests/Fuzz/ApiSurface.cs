using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.IntegrationTests.Fuzz;

/// <summary>One route of the running host, with what its OpenAPI operation says about its input.</summary>
public sealed record FuzzRoute(
    string Pattern,
    IReadOnlyList<string> Methods,
    IReadOnlyList<RouteSegment> Segments,
    JsonObject? BodySchema,
    IReadOnlyList<string> QueryParameters)
{
    public override string ToString() => $"{string.Join(",", Methods)} {Pattern}";

    /// <summary>Open311 GeoReport routes answer refusals with GeoReport's error list, not problem details.</summary>
    public bool IsGeoReport => Pattern.StartsWith("/open311/", StringComparison.Ordinal);

    /// <summary>Routes that are ours and so answer every refusal with problem details.</summary>
    public bool AnswersProblems => Pattern.StartsWith("/api/", StringComparison.Ordinal);
}

/// <summary>A piece of a route's path: literal text, or a parameter to fill.</summary>
public sealed record RouteSegment(string? Literal, string? Parameter, bool CatchAll = false);

/// <summary>
/// The routes of the running host, read from its <see cref="EndpointDataSource"/> so that a route
/// added later is fuzzed without anyone listing it, joined with the host's own OpenAPI document
/// for the shape of bodies and the query parameters.
/// </summary>
public static class ApiSurface
{
    public static async Task<IReadOnlyList<FuzzRoute>> Read(IServiceProvider services, HttpClient anonymous)
    {
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var paths = document["paths"]!.AsObject();
        var routes = new List<FuzzRoute>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            var raw = "/" + (pattern.RawText ?? "").Trim('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } declared
                ? declared.ToList()
                : ["GET", "POST"]; // Health checks, /metrics, the hub: any method routes there.
            var segments = Segments(pattern);
            var operationPath = "/" + string.Join("/", pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
                RoutePatternSeparatorPart separator => separator.Content,
                _ => "",
            }))));

            JsonObject? body = null;
            var query = new List<string>();
            if (paths[operationPath] is JsonObject operations)
            {
                foreach (var method in methods)
                {
                    if (operations[method.ToLowerInvariant()] is not JsonObject operation)
                    {
                        continue;
                    }

                    body ??= operation["requestBody"]?["content"]?["application/json"]?["schema"] is JsonObject schema
                        ? Resolve(schema, document)
                        : null;
                    query.AddRange((operation["parameters"]?.AsArray() ?? [])
                        .Where(p => p?["in"]?.GetValue<string>() == "query")
                        .Select(p => p!["name"]!.GetValue<string>()));
                }
            }

            routes.Add(new FuzzRoute(raw, methods, segments, body, [.. query.Distinct()]));
        }

        return [.. routes.OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Methods[0], StringComparer.Ordinal)];
    }

    private static List<RouteSegment> Segments(RoutePattern pattern)
    {
        var segments = new List<RouteSegment>();
        foreach (var segment in pattern.PathSegments)
        {
            segments.Add(new RouteSegment("/", null));
            foreach (var part in segment.Parts)
            {
                segments.Add(part switch
                {
                    RoutePatternLiteralPart literal => new RouteSegment(literal.Content, null),
                    RoutePatternSeparatorPart separator => new RouteSegment(separator.Content, null),
                    RoutePatternParameterPart parameter => new RouteSegment(null, parameter.Name, parameter.IsCatchAll),
                    _ => new RouteSegment("", null),
                });
            }
        }

        return segments;
    }

    /// <summary>The schema with every <c>$ref</c> replaced by what it names (the shapes have no cycles).</summary>
    private static JsonObject Resolve(JsonObject schema, JsonObject document, int depth = 0)
    {
        if (depth > 10)
        {
            return [];
        }

        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var name = reference[(reference.LastIndexOf('/') + 1)..];
            return Resolve(document["components"]!["schemas"]![name]!.AsObject(), document, depth + 1);
        }

        var resolved = new JsonObject();
        foreach (var (key, value) in schema)
        {
            resolved[key] = value switch
            {
                JsonObject inner when key == "properties" => new JsonObject(inner.Select(p =>
                    KeyValuePair.Create(p.Key, (JsonNode?)Resolve(p.Value!.AsObject(), document, depth + 1)))),
                JsonObject inner => Resolve(inner, document, depth + 1),
                JsonArray array when key is "oneOf" or "anyOf" or "allOf" => new JsonArray([.. array.Select(a => (JsonNode?)Resolve(a!.AsObject(), document, depth + 1))]),
                _ => value?.DeepClone(),
            };
        }

        return resolved;
    }
}
