using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Open311;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Security;
using Microsoft.AspNetCore.Mvc;

namespace Dispatch.WebHost.Open311;

/// <summary>
/// The Open311 GeoReport v2 front door under <c>/open311/v2</c>: anonymous reads, and POST with an
/// API key bound to a jurisdiction (a place). Every route answers in <c>.xml</c> and <c>.json</c>,
/// and refuses with GeoReport's error list (400, 403, 404), never with problem details.
/// </summary>
public static partial class Open311Api
{
    public const string Prefix = "/open311/v2";
    public const string Specification = "http://wiki.open311.org/GeoReport_v2";

    /// <summary>When this front door last changed, for discovery's <c>changeset</c>.</summary>
    public static readonly DateTimeOffset Changeset = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The public GeoReport routes, and their admin routes under <paramref name="api"/> (<c>/api/open311</c>).</summary>
    public static WebApplication MapOpen311Api(this WebApplication app, RouteGroupBuilder api)
    {
        var group = app.MapGroup(Prefix).WithTags("Open311").AllowAnonymous();

        // Anonymous reads: each address has its own bucket (Dispatch:RateLimits:Open311ReadsPerAddress).
        var reads = group.MapGroup("").RequireRateLimiting(DispatchRateLimits.Open311ReadsPerAddress);
        reads.MapGet("/discovery.{format}", Discovery).WithSummary("GeoReport service discovery: the endpoint, its formats, a contact.");
        reads.MapGet("/services.{format}", GetServices).WithSummary("The services a jurisdiction offers.");
        reads.MapGet("/services/{code}.{format}", GetServiceDefinition).WithSummary("A service's definition: its extra fields (attributes).");
        group.MapPost("/requests.{format}", Open311Filing.PostRequest).WithSummary("File a request (form-encoded, with an api_key for the jurisdiction).");
        reads.MapGet("/requests.{format}", Open311Reading.GetRequests).WithSummary("Requests filed through Open311 in a jurisdiction: 90 days and 1,000 at most by default.");
        reads.MapGet("/requests/{id}.{format}", Open311Reading.GetRequest).WithSummary("One request filed through Open311.");
        reads.MapGet("/request/{id}.{format}", Open311Reading.GetRequest).WithSummary("One request filed through Open311 (the v2.1 draft's name).");
        reads.MapGet("/servicerequestupdates.{format}", Open311Reading.GetUpdates).WithSummary("The mySociety extension: status changes of a jurisdiction's requests in a span.");
        group.MapFallback("{**path}", (HttpRequest request) =>
                Open311Response.Error(FormatOf(request.Path), StatusCodes.Status404NotFound, "There is no such Open311 resource: see discovery.xml for what there is."))
            .ExcludeFromDescription();

        api.MapOpen311AdminApi();
        return app;
    }

    /// <summary>The format an extension names; null for any other (answered with a 404 in XML, the required format).</summary>
    public static Open311Format? ParseFormat(string? format) => format switch
    {
        "xml" => Open311Format.Xml,
        "json" => Open311Format.Json,
        _ => null,
    };

    internal static Open311Response UnknownFormat(string? format) =>
        Open311Response.Error(Open311Format.Xml, StatusCodes.Status404NotFound, $"Format '{format}' is not offered: use xml or json.");

    internal static Open311Response Invalid(Open311Format format, ValidationErrors errors) =>
        Open311Response.Errors(format, StatusCodes.Status400BadRequest, errors.ToDictionary().SelectMany(e => e.Value));

    /// <summary>
    /// The place a <c>jurisdiction_id</c> names: a region, county, town or community. The error is
    /// GeoReport's: 400 when it is missing, 404 when no such place exists.
    /// </summary>
    internal static async Task<(PlaceInfo? Place, Open311Response? Error)> Jurisdiction(string? jurisdictionId, Open311Format format, PlaceLookup places)
    {
        if (string.IsNullOrWhiteSpace(jurisdictionId))
        {
            return (null, Open311Response.Error(format, StatusCodes.Status400BadRequest, "'jurisdiction_id' is required: the id of a place."));
        }

        return await places.Find(jurisdictionId.Trim()) is { Kind: <= PlaceKind.Community } place
            ? (place, null)
            : (null, Open311Response.Error(format, StatusCodes.Status404NotFound, $"Jurisdiction '{jurisdictionId.Trim()}' does not exist."));
    }

    /// <summary>
    /// The services offered at <paramref name="place"/>: those an admin configured at it or the
    /// nearest place above it, or the defaults (one per request kind). One call per level.
    /// </summary>
    internal static async Task<ImmutableArray<Open311Service>> ServicesAt(PlaceInfo place, IGrainFactory grains)
    {
        for (var i = place.Path.Length - 1; i >= 0; i--)
        {
            if (await grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(place.Path[i])).GetServices() is { } configured)
            {
                return configured;
            }
        }

        return Open311Services.Defaults;
    }

    internal static Open311Format FormatOf(PathString path) =>
        path.Value?.EndsWith(".json", StringComparison.OrdinalIgnoreCase) == true ? Open311Format.Json : Open311Format.Xml;

    private static Open311Response Discovery(string format, HttpRequest request, IConfiguration configuration)
    {
        if (ParseFormat(format) is not { } f)
        {
            return UnknownFormat(format);
        }

        var endpoint = new Open311Fields
        {
            { "specification", Specification },
            { "url", $"{request.Scheme}://{request.Host}{request.PathBase}{Prefix}" },
            { "changeset", Changeset },
            { "type", "production" },
            { "formats", new Open311List("format", ["text/xml", "application/json"]) },
        };
        return new Open311Response(StatusCodes.Status200OK, f, "discovery", new Open311Fields
        {
            { "changeset", Changeset },
            { "contact", configuration["Dispatch:Open311:Contact"] is { Length: > 0 } contact ? contact : "The administrators of this Dispatch service." },
            { "key_service", "API keys are issued by this service's administrators, one per jurisdiction." },
            { "endpoints", new Open311List("endpoint", [endpoint]) },
        });
    }

    private static async Task<Open311Response> GetServices(
        string format, [FromQuery(Name = "jurisdiction_id")] string? jurisdictionId, IGrainFactory grains, PlaceLookup places)
    {
        if (ParseFormat(format) is not { } f)
        {
            return UnknownFormat(format);
        }

        var (jurisdiction, error) = await Jurisdiction(jurisdictionId, f, places);
        if (jurisdiction is null)
        {
            return error!;
        }

        var services = await ServicesAt(jurisdiction, grains);
        return new Open311Response(StatusCodes.Status200OK, f, "services", new Open311List("service", [.. services.Select(s => (object)new Open311Fields
        {
            { "service_code", s.Code },
            { "service_name", s.Name },
            { "description", s.Description },
            { "metadata", !Open311Services.Attributes(s).IsEmpty },
            { "type", "realtime" },
            { "keywords", s.Keywords },
            { "group", s.Group },
        })]));
    }

    private static async Task<Open311Response> GetServiceDefinition(
        string code, string format, [FromQuery(Name = "jurisdiction_id")] string? jurisdictionId, IGrainFactory grains, PlaceLookup places)
    {
        if (ParseFormat(format) is not { } f)
        {
            return UnknownFormat(format);
        }

        var (jurisdiction, error) = await Jurisdiction(jurisdictionId, f, places);
        if (jurisdiction is null)
        {
            return error!;
        }

        if ((await ServicesAt(jurisdiction, grains)).FirstOrDefault(s => s.Code == code) is not { } service)
        {
            return Open311Response.Error(f, StatusCodes.Status404NotFound, $"Service '{code}' is not offered in jurisdiction '{jurisdiction.Id}'.");
        }

        var attributes = Open311Services.Attributes(service).Select(a => (object)new Open311Fields
        {
            { "variable", true },
            { "code", a.Code },
            { "datatype", a.Datatype },
            { "required", a.Required },
            { "datatype_description", a.DatatypeDescription },
            { "order", a.Order },
            { "description", a.Description },
            { "values", new Open311List("value", [.. a.Values.Select(v => (object)new Open311Fields { { "key", v.Key }, { "name", v.Name } })]) },
        });
        return new Open311Response(StatusCodes.Status200OK, f, "service_definition", new Open311Fields
        {
            { "service_code", service.Code },
            { "attributes", new Open311List("attribute", [.. attributes]) },
        });
    }
}
