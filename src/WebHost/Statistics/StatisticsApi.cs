using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Statistics;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Statistics;

public sealed record LeaderboardEntry(int Rank, string Username, string CommunityId, int Earned, int Balance, int Redeemed);

public sealed record Leaderboard(string PlaceId, ImmutableArray<LeaderboardEntry> Items);

/// <summary>A place's figures and leaderboard, summed up from its communities.</summary>
public static class StatisticsApi
{
    public const int DefaultTop = 10;
    public const int MaxTop = 100;

    public static RouteGroupBuilder MapStatisticsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/places").WithTags("Statistics");
        group.MapGet("/{id}/stats", GetStatistics).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("A place's figures, rolled up from its communities: volunteers, organisations, requests, dispatches, wishes fulfilled, matters done, points, rates and averages (staff in scope).");
        group.MapGet("/{id}/leaderboard", GetLeaderboard)
            .WithSummary("The volunteers at or below a place who earned the most points (staff in scope, and volunteers of a community below it).");
        return api;
    }

    private static async Task<Results<Ok<PlaceStatistics>, ProblemHttpResult>> GetStatistics(
        string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        return TypedResults.Ok(await call.Grains.GetGrain<IStatisticsGrain>(IStatisticsGrain.Key).GetStatistics(place));
    }

    private static async Task<Results<Ok<Leaderboard>, ValidationProblem, ProblemHttpResult>> GetLeaderboard(
        string id, string? top, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var take = Query.ParseInt(top, "top", DefaultTop, 1, MaxTop, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        // A volunteer sees the boards of their own community and of the places above it.
        var found = await call.Scope.BrowsedPlace(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var ranked = await call.Grains.GetGrain<IStatisticsGrain>(IStatisticsGrain.Key).GetLeaderboard(place, take);
        return TypedResults.Ok(new Leaderboard(
            place.Id,
            [.. ranked.Select((p, i) => new LeaderboardEntry(i + 1, p.Username, p.CommunityId, p.Earned, p.Balance, p.Redeemed))]));
    }
}
