using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dispatch.IntegrationTests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// docs/API.md is written by hand beside the OpenAPI document the host serves; this keeps the two
/// naming the same routes. A route is documented by a heading of its own, exactly
/// <c>#### `METHOD /path/{param}`</c>, with the full path as the host maps it.
/// </summary>
public sealed partial class ApiDocsTests
{
    /// <summary>
    /// Routes the host maps that the OpenAPI document leaves out on purpose, each with why. A route
    /// matches when it is this pattern, a value of it or below it. API.md describes them in their
    /// own sections; a heading or table row for one is allowed, not required.
    /// </summary>
    private static readonly IReadOnlyList<(string Pattern, string Reason)> OutsideTheDocument =
    [
        ("/hubs/console", "SignalR hub (and its /negotiate): not HTTP request and response; API.md 'Live consoles'"),
        ("/health/live", "health check for orchestrators, any method; API.md 'Health and OpenAPI'"),
        ("/health/ready", "health check for orchestrators, any method; API.md 'Health and OpenAPI'"),
        ("/openapi/{documentName}.json", "the OpenAPI document itself"),
        ("/metrics", "Prometheus scraping, text format; API.md 'Health and OpenAPI'"),
        ("/dashboard", "the Orleans dashboard's own routes (mapped by default), admins only; API.md 'Health and OpenAPI'"),
        ("/console", "static page, the staff desk, and its own routes below it (/console/{**path} answers the same page); API.md 'Pages'"),
        ("/app", "static page, the volunteer app, and its own routes below it (/app/{**path} answers the same page); API.md 'Pages'"),
        ("/r/{**path}", "static page, the residents' filing form (/r/{communityId}) and tracking page (/r/track/{code}); API.md 'Pages'"),
        ("/open311/v2/{**path}", "GeoReport's 404 for unknown Open311 resources, a fallback and not a route"),
    ];

    [Fact]
    public async Task Api_md_documents_exactly_the_routes_of_the_openapi_document()
    {
        using var directory = new TempDirectory();
        await using var app = new DispatchApp(directory.Path);
        using var client = app.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var served = Served(document);
        IReadOnlyList<string> markdown = await File.ReadAllLinesAsync(Path.Combine(Repository.Root(), "docs", "API.md"));
        var (documented, unreadable) = Documented(markdown);
        var table = WhoMayCall(markdown);
        var mapped = Mapped(app.Services.GetRequiredService<EndpointDataSource>());

        var problems = new List<string>();
        problems.AddRange(unreadable.Select(h => $"API.md: a heading names a route in a form this test cannot read (use #### `METHOD /path`): {h}"));

        var undocumented = served.Keys.Except(documented.Keys).ToList();
        var unserved = documented.Keys.Except(served.Keys).Where(r => Outside(documented[r].Path) is null).ToList();

        // A route whose parameters moved or changed in number shows up on both sides; name it once, as that.
        foreach (var route in undocumented.ToList())
        {
            var twin = unserved.FirstOrDefault(d => Skeleton(d) == Skeleton(route));
            if (twin is not null)
            {
                problems.Add($"parameters differ: the OpenAPI document has {served[route]}, API.md has {documented[twin]}");
                undocumented.Remove(route);
                unserved.Remove(twin);
            }
        }

        problems.AddRange(undocumented.Select(r => $"in the OpenAPI document, not in API.md: {served[r]}"));
        problems.AddRange(unserved.Select(r => $"in API.md, not in the OpenAPI document: {documented[r]}"));

        // The who-may-call table is a second list of the same routes, and drifted before this test.
        problems.AddRange(table.Where(t => !documented.ContainsKey(t.Key) && Outside(t.Value.Path) is null)
            .Select(t => $"in API.md's who-may-call table, without a heading: {t.Value}"));
        problems.AddRange(documented.Where(d => d.Value.Path.StartsWith("/api/", StringComparison.Ordinal) && !table.ContainsKey(d.Key))
            .Select(d => $"has a heading in API.md, no row in its who-may-call table: {d.Value}"));

        // A route kept out of the document must be kept out knowingly, and the list must not outlive its routes.
        foreach (var route in mapped.Where(m => !served.ContainsKey(m.Key) && Outside(m.Value.Path) is null))
        {
            problems.Add($"mapped by the host, in neither the OpenAPI document nor {nameof(OutsideTheDocument)}: {route.Value}");
        }

        foreach (var (pattern, _) in OutsideTheDocument)
        {
            if (!mapped.Values.Any(m => Covers(pattern, m.Path)))
            {
                problems.Add($"{nameof(OutsideTheDocument)} lists {pattern}, which the host no longer maps");
            }

            if (served.Values.FirstOrDefault(s => Covers(pattern, s.Path)) is { } listed)
            {
                problems.Add($"{nameof(OutsideTheDocument)} lists {pattern}, but the OpenAPI document has {listed}");
            }
        }

        Assert.True(problems.Count == 0, $"docs/API.md and /openapi/v1.json disagree ({problems.Count}):\n  " + string.Join("\n  ", problems));
    }

    /// <summary>A route as one side names it, for messages.</summary>
    private sealed record Route(string Method, string Path)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    /// <summary>Every operation of the document, by method and normalised path.</summary>
    private static Dictionary<string, Route> Served(JsonObject document)
    {
        var routes = new Dictionary<string, Route>(StringComparer.Ordinal);
        foreach (var (path, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, _) in operations!.AsObject())
            {
                if (method is "get" or "post" or "put" or "delete" or "patch")
                {
                    var route = new Route(method.ToUpperInvariant(), path);
                    routes[Key(route)] = route;
                }
            }
        }

        return routes;
    }

    /// <summary>The routes API.md gives a heading to, and headings that look like a route but are not in the form.</summary>
    private static (Dictionary<string, Route> Routes, List<string> Unreadable) Documented(IEnumerable<string> lines)
    {
        var routes = new Dictionary<string, Route>(StringComparer.Ordinal);
        var unreadable = new List<string>();
        var inFence = false;
        foreach (var line in lines)
        {
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence; // Shell comments in examples start with '#' too.
                continue;
            }

            if (inFence || !line.StartsWith('#'))
            {
                continue;
            }

            if (RouteHeading().Match(line) is { Success: true } heading)
            {
                var route = new Route(heading.Groups["method"].Value, heading.Groups["path"].Value);
                if (!routes.TryAdd(Key(route), route))
                {
                    unreadable.Add($"{line} (a second heading for the same route)");
                }
            }
            else if (RouteLike().IsMatch(line))
            {
                unreadable.Add(line);
            }
        }

        return (routes, unreadable);
    }

    /// <summary>The routes named in the first column of the table that opens the "## Routes" section.</summary>
    private static Dictionary<string, Route> WhoMayCall(IReadOnlyList<string> lines)
    {
        var routes = new Dictionary<string, Route>(StringComparer.Ordinal);
        var start = lines.ToList().IndexOf("## Routes");
        Assert.True(start >= 0, "API.md has no '## Routes' section.");
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => !l.StartsWith('#')).Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cell = line.Split('|')[1];
            foreach (Match named in TableRoute().Matches(cell))
            {
                var route = new Route(named.Groups["method"].Value, named.Groups["path"].Value);
                routes[Key(route)] = route;
            }
        }

        Assert.NotEmpty(routes);
        return routes;
    }

    /// <summary>Every route endpoint the host maps, one entry per method (any method: <c>*</c>).</summary>
    private static Dictionary<string, Route> Mapped(EndpointDataSource endpoints)
    {
        var routes = new Dictionary<string, Route>(StringComparer.Ordinal);
        foreach (var endpoint in endpoints.Endpoints.OfType<RouteEndpoint>())
        {
            var path = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                RoutePatternLiteralPart literal => literal.Content,
                RoutePatternSeparatorPart separator => separator.Content,
                RoutePatternParameterPart { IsCatchAll: true } parameter => "{**" + parameter.Name + "}",
                RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
                _ => "",
            }))));
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods is { Count: > 0 } declared ? declared : ["*"];
            foreach (var method in methods)
            {
                var route = new Route(method, path);
                routes[Key(route)] = route;
            }
        }

        return routes;
    }

    private static string? Outside(string path) => OutsideTheDocument.FirstOrDefault(o => Covers(o.Pattern, path)).Reason;

    /// <summary>
    /// Whether <paramref name="path"/> is <paramref name="pattern"/>, below it, or a value of it
    /// (<c>/openapi/v1.json</c>). A catch-all stands only for itself: the Open311 fallback must not cover the routes beside it.
    /// </summary>
    private static bool Covers(string pattern, string path)
    {
        var parameters = Parameter().Matches(pattern).Select(m => m.Value.StartsWith("{*", StringComparison.Ordinal)
            ? @"\{\*\*?[^}]*\}"
            : @"(\{[^}]*\}|[^/{}]+)");
        var template = string.Concat(Parameter().Split(pattern).Select(Regex.Escape).Zip(parameters.Append("")).Select(p => p.First + p.Second));
        return Regex.IsMatch(path, "^" + template + "(/.*)?$");
    }

    /// <summary>Method and path with parameter names dropped ({id} and {requestId} are the same route), their places kept.</summary>
    private static string Key(Route route) => route.Method + " " + Parameter().Replace(route.Path, "{}");

    /// <summary>The key without its parameters at all: equal for two routes that differ only in them.</summary>
    private static string Skeleton(string key) => key.Replace("{}", "", StringComparison.Ordinal).Replace("//", "/", StringComparison.Ordinal);

    [GeneratedRegex(@"^#{2,6} `(?<method>GET|POST|PUT|DELETE|PATCH) (?<path>/[^`\s]*)`$")]
    private static partial Regex RouteHeading();

    [GeneratedRegex(@"`(?<method>GET|POST|PUT|DELETE|PATCH) (?<path>/[^`\s]*)`")]
    private static partial Regex TableRoute();

    [GeneratedRegex(@"`(GET|POST|PUT|DELETE|PATCH)\b")]
    private static partial Regex RouteLike();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}
