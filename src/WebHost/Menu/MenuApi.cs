using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Dispatching;
using Dispatch.Places;
using Dispatch.Posts;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Menu;

/// <summary>A community's menu: every service declared against its posts, by post then provider.</summary>
public sealed record ServiceMenuView(string CommunityId, ImmutableArray<PostDeclaration> Items);

/// <summary>
/// An order from the menu for a beneficiary: the request's kind and the beneficiary are required;
/// the title is the post's name and the description the provider's own words unless given.
/// </summary>
public sealed record MenuOrderBody(
    RequestKind? Kind,
    string? Title,
    string? Description,
    Urgency? Urgency,
    int? Points,
    BeneficiaryBody? Beneficiary);

/// <summary>
/// Menu service (菜单式): staff pick a declared service from the community's menu for a beneficiary,
/// which publishes a request and offers it straight to that provider (the offer path of precise
/// dispatch, with its countdown).
/// </summary>
public static partial class MenuApi
{
    public static RouteGroupBuilder MapMenuApi(this RouteGroupBuilder api)
    {
        var places = api.MapGroup("/places").WithTags("Service posts");
        places.MapGet("/{id}/menu", GetMenu).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("A community's menu (菜单式): the services its volunteers and organisations declared against its posts, by post then provider (staff in scope).");
        places.MapPost("/{id}/menu/{itemId:guid}/order", Order).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Order a volunteer's declared service for a beneficiary: publishes a request titled by the post, offered to that volunteer with the offer's countdown, in one write (staff in scope); when it cannot be offered to them, nothing is published.");
        return api;
    }

    private static async Task<Results<Ok<ServiceMenuView>, ProblemHttpResult>> GetMenu(string id, [AsParameters] CallContext call)
    {
        var found = await Community(id, call);
        if (found.Value is not { } community)
        {
            return Problems.From(found.Failure!);
        }

        var posts = await call.Grains.GetGrain<IServicePostsGrain>(PostKeys.For(community.Id)).Get();
        return TypedResults.Ok(new ServiceMenuView(community.Id, ServiceMenu.Items(posts)));
    }

    private static async Task<Results<Created<RequestView>, ValidationProblem, ProblemHttpResult>> Order(
        string id, Guid itemId, MenuOrderBody body, [AsParameters] CallContext call, HttpRequest http)
    {
        var errors = new ValidationErrors()
            .Require(body.Kind is not null, "kind", "'kind' is required: wish, errand or case.")
            .Require(!string.IsNullOrWhiteSpace(body.Beneficiary?.Name), "beneficiary", "'beneficiary' with a 'name' is required: whom the service is for.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await Community(id, call);
        if (found.Value is not { } community)
        {
            return Problems.From(found.Failure!);
        }

        var orderable = ServiceMenu.Orderable(await call.Grains.GetGrain<IServicePostsGrain>(PostKeys.For(community.Id)).Get(), itemId);
        if (orderable.Value is not { } item)
        {
            return Problems.From(orderable.Failure!);
        }

        // With an Idempotency-Key the request's id follows from it, as publishing does.
        var requestId = http.Headers.TryGetValue(IdempotencyMiddleware.Header, out var key) && key.ToString() is { Length: > 0 } k
            ? IdempotencyMiddleware.IdFor(call.Caller.Username, k)
            : Guid.NewGuid();
        var request = new CreateRequestBody(
            community.Id, body.Kind, string.IsNullOrWhiteSpace(body.Title) ? item.PostName : body.Title,
            string.IsNullOrWhiteSpace(body.Description) ? item.Description : body.Description,
            [item.PostName], body.Urgency, 1, body.Points, body.Beneficiary);
        var (created, invalid, refused) = await RequestsApi.Publish(request, requestId, call, offerTo: item.Provider.Id);
        return created is not null ? TypedResults.Created($"/api/requests/{created.Id}", created.Present(RequestAccess.Staff))
            : invalid is not null ? Problems.Invalid(invalid)
            : Problems.From(ServiceMenu.OfferRefusal(refused!, item));
    }

    private static async Task<Outcome<PlaceInfo>> Community(string id, CallContext call)
    {
        var found = await call.Scope.Place(call.Caller, id);
        return found.Value is { Kind: not PlaceKind.Community } ? Failure.NotFound("Community", id) : found;
    }
}
