using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Requests;
using Dispatch.Places;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Places;

public sealed record CreatePlaceRequest(string? Id, string? Name, PlaceKind? Kind, string? ParentId);

public sealed record OverdueResponse(string PlaceId, ImmutableArray<RequestSummary> Items, int Total);

public static class PlacesApi
{
    public static RouteGroupBuilder MapPlacesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/places").WithTags("Places");
        group.MapPost("/", CreatePlace).RequireAuthorization(AuthenticationSetup.AdminPolicy)
            .WithSummary("Create a place under an existing parent (admin).");
        group.MapGet("/{id}", GetPlace).WithSummary("A place with its path from the region and its children.");
        group.MapGet("/{id}/overdue", GetOverdue).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The overdue requests at or below a place inside your scope, highest level first.");
        return api;
    }

    private static async Task<Results<Created<PlaceInfo>, ValidationProblem, ProblemHttpResult>> CreatePlace(
        CreatePlaceRequest body, IGrainFactory grains, PlaceLookup places)
    {
        var errors = new ValidationErrors().Require(body.Kind is not null, "kind", "'kind' is required.");
        if (body.Kind is { } kind)
        {
            errors = PlaceRules.Check(new NewPlace(body.Id ?? "", body.Name ?? "", kind, body.ParentId));
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var outcome = await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(body.Id!))
            .Create(new NewPlace(body.Id!, body.Name!, body.Kind!.Value, body.ParentId));
        if (body.ParentId is { } parentId)
        {
            places.Forget(parentId);
        }

        return outcome.Value is { } place
            ? TypedResults.Created($"/api/places/{Uri.EscapeDataString(place.Id)}", place)
            : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<OverdueResponse>, ProblemHttpResult>> GetOverdue(
        string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var communities = await call.Scope.Places.CommunitiesUnder(place);
        var overdue = await Task.WhenAll(communities.Select(c => call.Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(c)).GetOverdue()));
        var items = overdue.SelectMany(o => o)
            .OrderByDescending(r => r.EscalationLevel)
            .ThenBy(r => r.CreatedAt)
            .ThenBy(r => r.Id)
            .ToImmutableArray();
        return TypedResults.Ok(new OverdueResponse(place.Id, items, items.Length));
    }

    private static async Task<Results<Ok<PlaceInfo>, ProblemHttpResult>> GetPlace(string id, IGrainFactory grains)
    {
        var place = Identifiers.IsValidPlaceId(id) ? await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(id)).Get() : null;
        return place is null ? Problems.NotFound("Place", id) : TypedResults.Ok(place);
    }
}
