using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Consoles;
using Dispatch.Places;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Places;

public sealed record CommunityResponse(string Id, string Name, string? ParentId, PlaceCounters Counters);

public sealed record RequestPageResponse(ImmutableArray<RequestSummary> Items, int Total, int Page, int PageSize);

public static class CommunitiesApi
{
    public const int DefaultPageSize = 20;

    public static RouteGroupBuilder MapCommunitiesApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/communities").WithTags("Communities");
        group.MapGet("/{id}", GetCommunity).WithSummary("A community and its live counters.");
        group.MapGet("/{id}/requests", GetRequests)
            .WithSummary("The community's requests, most urgent first: filter by status, kind and category; paged.");
        return api;
    }

    private static async Task<Results<Ok<CommunityResponse>, ProblemHttpResult>> GetCommunity(
        string id, [AsParameters] CallContext call)
    {
        var (community, problem) = await Authorize(id, call);
        if (community is null)
        {
            return problem!;
        }

        var counters = await call.Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(id)).GetCounters();
        return TypedResults.Ok(new CommunityResponse(community.Id, community.Name, community.ParentId, counters));
    }

    private static async Task<Results<Ok<RequestPageResponse>, ValidationProblem, ProblemHttpResult>> GetRequests(
        string id, string? status, string? kind, string? category, string? page, string? pageSize,
        [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var paging = Query.Paging(page, pageSize, DefaultPageSize, CommunityLimits.MaxPageSize, errors);
        var query = new BoardQuery(
            Query.ParseEnum<RequestStatus>(status, "status", errors),
            Query.ParseEnum<RequestKind>(kind, "kind", errors),
            string.IsNullOrWhiteSpace(category) ? null : category.Trim(),
            paging.Number,
            paging.Size);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var (community, problem) = await Authorize(id, call);
        if (community is null)
        {
            return problem!;
        }

        var board = await call.Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(id)).GetBoard(query);
        return TypedResults.Ok(new RequestPageResponse(board.Items, board.Total, board.Page, board.PageSize));
    }

    /// <summary>Staff in scope and the community's own volunteers may look.</summary>
    private static async Task<(PlaceInfo? Community, ProblemHttpResult? Problem)> Authorize(
        string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.WatchedPlace(call.Caller, id, communityOnly: true);
        return found.Value is { } community ? (community, null) : (null, Problems.From(found.Failure!));
    }
}
