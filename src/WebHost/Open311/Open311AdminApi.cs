using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Dispatch.Common;
using Dispatch.Open311;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Open311;

public sealed record CreateOpen311KeyBody(string? JurisdictionId, string? Name);

/// <summary>A new key: <see cref="ApiKey"/> is shown this once and never again.</summary>
public sealed record Open311KeyCreated(Guid Id, string ApiKey, string JurisdictionId, string Name, DateTimeOffset CreatedAt);

public sealed record LocationBody(double? Lat, [property: JsonPropertyName("long")] double? Longitude);

public sealed record Open311LocationResponse(string CommunityId, double Lat, [property: JsonPropertyName("long")] double Longitude);

public sealed record Open311ServiceBody(
    string? Code, string? Name, string? Description, RequestKind? Kind, string? Category, string? Group, string? Keywords, int? Points);

public sealed record Open311ServicesBody(Open311ServiceBody[]? Services);

/// <param name="ConfiguredAt">The place whose configuration applies; null when the defaults do.</param>
public sealed record Open311ServicesResponse(string JurisdictionId, string? ConfiguredAt, ImmutableArray<Open311Service> Services);

/// <summary>The admins' side of Open311 under <c>/api/open311</c>: API keys, community locations, services.</summary>
public static class Open311AdminApi
{
    public static RouteGroupBuilder MapOpen311AdminApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/open311").WithTags("Open311 administration").RequireAuthorization(AuthenticationSetup.AdminPolicy);
        group.MapPost("/keys", CreateKey).WithSummary("Issue an Open311 API key bound to a jurisdiction (admin); the key is shown once.");
        group.MapGet("/keys", ListKeys).WithSummary("The Open311 API keys issued (admin), newest first: name, jurisdiction, who created it and when, whether revoked; never the key itself.");
        group.MapDelete("/keys/{id:guid}", RevokeKey).WithSummary("Revoke an Open311 API key for good (admin).");
        group.MapPut("/communities/{id}/location", SetLocation).WithSummary("Set a community's location, for routing Open311 requests by lat/long (admin).");
        group.MapDelete("/communities/{id}/location", ClearLocation).WithSummary("Forget a community's location (admin).");
        group.MapGet("/jurisdictions/{id}/services", GetServices).WithSummary("The Open311 services offered at a place, and where they are configured (admin).");
        group.MapPut("/jurisdictions/{id}/services", SetServices).WithSummary("Configure the Open311 services of a place and the places below it (admin).");
        group.MapDelete("/jurisdictions/{id}/services", ResetServices).WithSummary("Drop a place's Open311 services: it inherits again, or gets the defaults (admin).");
        return api;
    }

    private static async Task<Results<Created<Open311KeyCreated>, ValidationProblem>> CreateKey(
        CreateOpen311KeyBody body, ClaimsPrincipal user, IGrainFactory grains, PlaceLookup places)
    {
        var errors = new ValidationErrors().RequireText(body.Name, "name", Open311Keys.MaxName);
        if (string.IsNullOrWhiteSpace(body.JurisdictionId) || await places.Find(body.JurisdictionId) is not { Kind: <= PlaceKind.Community })
        {
            errors.Add("jurisdictionId", $"'{body.JurisdictionId}' is not a region, county, town or community.");
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var (id, key) = Open311Keys.Issue();
        // Listed before it exists: a key that failed to store is skipped by the list, never missing from it.
        await grains.GetGrain<IOpen311KeyDirectoryGrain>(Open311GrainKeys.KeyDirectory).Link(id);
        var outcome = await grains.GetGrain<IOpen311KeyGrain>(id).Create(body.JurisdictionId!, body.Name!.Trim(), Open311Keys.Hash(key), user.Actor());
        var info = outcome.Value ?? throw new InvalidOperationException($"A fresh Open311 key id collided: {outcome.Failure!.Detail}");
        return TypedResults.Created($"/api/open311/keys/{id}", new Open311KeyCreated(id, key, info.JurisdictionId, info.Name, info.CreatedAt));
    }

    private static async Task<Ok<ImmutableArray<Open311KeyInfo>>> ListKeys(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<IOpen311KeyDirectoryGrain>(Open311GrainKeys.KeyDirectory).List();
        var keys = await Task.WhenAll(ids.Select(id => grains.GetGrain<IOpen311KeyGrain>(id).Get()));
        // Newest first; keys of the same instant in the order they were linked, the latest first.
        return TypedResults.Ok<ImmutableArray<Open311KeyInfo>>(
            [.. keys.Select((key, linked) => (key, linked)).Where(k => k.key is not null).OrderByDescending(k => k.key!.CreatedAt).ThenByDescending(k => k.linked).Select(k => k.key!)]);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(Guid id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var outcome = await grains.GetGrain<IOpen311KeyGrain>(id).Revoke(user.Actor());
        return outcome.Succeeded ? TypedResults.NoContent() : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<Open311LocationResponse>, ValidationProblem, ProblemHttpResult>> SetLocation(
        string id, LocationBody body, IGrainFactory grains, PlaceLookup places)
    {
        var errors = new ValidationErrors()
            .Require(body.Lat is >= -90 and <= 90, "lat", "'lat' must be a latitude from -90 to 90.")
            .Require(body.Longitude is >= -180 and <= 180, "long", "'long' must be a longitude from -180 to 180.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (await places.Find(id) is not { Kind: PlaceKind.Community })
        {
            return Problems.NotFound("Community", id);
        }

        await grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(id)).SetLocation(new GeoPoint(body.Lat!.Value, body.Longitude!.Value));
        return TypedResults.Ok(new Open311LocationResponse(id, body.Lat.Value, body.Longitude.Value));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ClearLocation(string id, IGrainFactory grains, PlaceLookup places)
    {
        if (await places.Find(id) is not { Kind: PlaceKind.Community })
        {
            return Problems.NotFound("Community", id);
        }

        await grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(id)).SetLocation(null);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<Open311ServicesResponse>, ProblemHttpResult>> GetServices(string id, IGrainFactory grains, PlaceLookup places)
    {
        if (await places.Find(id) is not { Kind: <= PlaceKind.Community } place)
        {
            return Problems.NotFound("Jurisdiction", id);
        }

        for (var i = place.Path.Length - 1; i >= 0; i--)
        {
            if (await grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(place.Path[i])).GetServices() is { } configured)
            {
                return TypedResults.Ok(new Open311ServicesResponse(id, place.Path[i], configured));
            }
        }

        return TypedResults.Ok(new Open311ServicesResponse(id, null, Open311Services.Defaults));
    }

    private static async Task<Results<Ok<Open311ServicesResponse>, ValidationProblem, ProblemHttpResult>> SetServices(
        string id, Open311ServicesBody body, IGrainFactory grains, PlaceLookup places)
    {
        var services = (body.Services ?? []).Select(s => new Open311Service(
            s?.Code?.Trim() ?? "",
            s?.Name?.Trim() ?? "",
            Blank(s?.Description),
            s?.Kind ?? (RequestKind)(-1),
            Blank(s?.Category),
            Blank(s?.Group),
            Blank(s?.Keywords),
            s?.Points ?? 0)).ToImmutableArray();
        var errors = Open311Services.Validate(services);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (await places.Find(id) is not { Kind: <= PlaceKind.Community })
        {
            return Problems.NotFound("Jurisdiction", id);
        }

        await grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(id)).SetServices(services);
        return TypedResults.Ok(new Open311ServicesResponse(id, id, services));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ResetServices(string id, IGrainFactory grains, PlaceLookup places)
    {
        if (await places.Find(id) is not { Kind: <= PlaceKind.Community })
        {
            return Problems.NotFound("Jurisdiction", id);
        }

        await grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(id)).SetServices(null);
        return TypedResults.NoContent();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
