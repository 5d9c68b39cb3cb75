using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Dispatch.IntegrationTests.Support;
using Json.Schema;

namespace Dispatch.IntegrationTests.Open311;

/// <summary>One Open311 answer, read in both formats: the JSON, the XML, and the status both gave.</summary>
public sealed record GeoReportAnswer(HttpStatusCode Status, JsonNode Json, XElement Xml, string JsonText, string XmlText);

/// <summary>
/// An Open311 client for tests: GETs each resource in both formats, checks that the XML carries
/// exactly the JSON's data (converted here by GeoReport's naming, independently of the server's
/// writer), and validates the JSON against the GeoReport v2 schemas in <c>Open311/Schemas</c>.
/// </summary>
public sealed class GeoReport(HttpClient http)
{
    public const string Base = "/open311/v2";

    /// <summary>The element of each item of a list, by the list's name (GeoReport's XML).</summary>
    private static readonly Dictionary<string, string> ItemNames = new(StringComparer.Ordinal)
    {
        ["services"] = "service",
        ["service_requests"] = "request",
        ["errors"] = "error",
        ["service_request_updates"] = "request_update",
        ["endpoints"] = "endpoint",
        ["formats"] = "format",
        ["attributes"] = "attribute",
        ["values"] = "value",
    };

    private static readonly Lazy<IReadOnlyDictionary<string, JsonSchema>> Schemas = new(LoadSchemas);

    public HttpClient Http { get; } = http;

    /// <summary>GETs <c>{resource}.json</c> and <c>{resource}.xml</c> (with the query), and checks that both say the same.</summary>
    public async Task<GeoReportAnswer> Get(string resource, string query = "", string? schema = null)
    {
        var json = await Http.GetAsync($"{Base}/{resource}.json{query}");
        var xml = await Http.GetAsync($"{Base}/{resource}.xml{query}");
        return await Both(json, xml, schema);
    }

    /// <summary>POSTs the form to <c>requests.{format}</c>.</summary>
    public Task<HttpResponseMessage> Post(string format, params (string Name, string Value)[] fields) =>
        Http.PostAsync($"{Base}/requests.{format}", new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    /// <summary>Reads the same answer given in both formats (as from two identical requests), and compares them.</summary>
    public static async Task<GeoReportAnswer> Both(HttpResponseMessage json, HttpResponseMessage xml, string? schema = null)
    {
        var jsonText = await json.Content.ReadAsStringAsync();
        var xmlText = await xml.Content.ReadAsStringAsync();
        Assert.True(json.StatusCode == xml.StatusCode, $"JSON answered {(int)json.StatusCode} ({jsonText}), XML {(int)xml.StatusCode} ({xmlText}).");
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/xml", xml.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", xmlText, StringComparison.OrdinalIgnoreCase);

        var node = JsonNode.Parse(jsonText)!;
        var document = XDocument.Parse(xmlText);
        AssertSame(ToXml(document.Root!.Name.LocalName, node), document.Root!, document.Root!.Name.LocalName);
        if (schema is not null)
        {
            AssertValid(schema, jsonText);
        }

        return new GeoReportAnswer(json.StatusCode, node, document.Root!, jsonText, xmlText);
    }

    /// <summary>The errors of a refusal, after checking both formats carry them with the status as their code.</summary>
    public static IReadOnlyList<string> Errors(GeoReportAnswer answer, HttpStatusCode status)
    {
        Assert.True(answer.Status == status, $"Expected {(int)status}, got {(int)answer.Status}: {answer.JsonText}");
        Assert.Equal("errors", answer.Xml.Name.LocalName);
        var errors = answer.Json.AsArray();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal((int)status, e!["code"]!.GetValue<int>()));
        return [.. errors.Select(e => e!["description"]!.GetValue<string>())];
    }

    public static void AssertValid(string schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Schemas.Value[schema].Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(results.IsValid, $"Not valid against {schema}: " + string.Join("; ",
            (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))) + "\n" + json);
    }

    private static IReadOnlyDictionary<string, JsonSchema> LoadSchemas()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var folder = Path.Combine(AppContext.BaseDirectory, "Open311", "Schemas");
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);

        // Referenced ones first: requests.json and services.json point at request.json and service.json.
        foreach (var name in new[] { "request", "service", "service-definition", "requests", "services" })
        {
            var schema = JsonSchema.FromFile(Path.Combine(folder, $"{name}.json"), options, new Uri($"https://georeport.test/v2/{name}.json"));
            options.SchemaRegistry.Register(schema);
            schemas[name] = schema;
        }

        return schemas;
    }

    /// <summary>The XML GeoReport gives for this JSON: element per field, an item element per list entry, null as an empty element.</summary>
    private static XElement ToXml(string name, JsonNode? node) => node switch
    {
        null => new XElement(name),
        JsonObject obj => new XElement(name, obj.Select(f => ToXml(f.Key, f.Value))),
        JsonArray array => new XElement(name, array.Select(item => ToXml(ItemNames.TryGetValue(name, out var itemName) ? itemName : throw new InvalidOperationException($"No item name for list '{name}'."), item))),
        JsonValue value => new XElement(name, value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => value.ToJsonString(),
        }),
        _ => throw new InvalidOperationException($"Unexpected JSON at '{name}'."),
    };

    private static void AssertSame(XElement expected, XElement actual, string path)
    {
        Assert.True(expected.Name.LocalName == actual.Name.LocalName, $"At {path}: expected <{expected.Name.LocalName}>, XML has <{actual.Name.LocalName}>.");
        var expectedChildren = expected.Elements().ToList();
        var actualChildren = actual.Elements().ToList();
        Assert.True(expectedChildren.Count == actualChildren.Count,
            $"At {path}: JSON has [{string.Join(", ", expectedChildren.Select(e => e.Name.LocalName))}], XML has [{string.Join(", ", actualChildren.Select(e => e.Name.LocalName))}].");
        if (expectedChildren.Count == 0)
        {
            Assert.True(Text(expected) == Text(actual), $"At {path}: JSON says '{Text(expected)}', XML says '{Text(actual)}'.");
            return;
        }

        for (var i = 0; i < expectedChildren.Count; i++)
        {
            AssertSame(expectedChildren[i], actualChildren[i], $"{path}/{expectedChildren[i].Name.LocalName}[{i.ToString(CultureInfo.InvariantCulture)}]");
        }
    }

    private static string Text(XElement element) => element.Value;
}
