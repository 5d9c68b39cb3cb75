using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Queries;
using Dispatch.WebHost.Places;
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
            .WithSummary("A place's figures, rolled up from its communities: volunteers, organisations, requests, dispatches, wishes fulfilled, matters done, points, rates and averages (staff in scope); with from, to or groupBy, the request figures of a period with a breakdown.");
        group.MapGet("/{id}/stats/export", ExportStatistics).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The request figures of a period (all time without from and to) as a streamed file, the place's row then one per group: format=csv (UTF-8 with BOM, the default) or xlsx; lang=zh-CN or en for headers in that language (staff in scope).");
        group.MapGet("/{id}/leaderboard", GetLeaderboard)
            .WithSummary("The volunteers at or below a place who earned the most points (staff in scope, and volunteers of a community below it).");
        return api;
    }

    private static async Task<Results<Ok<PlaceStatistics>, Ok<PeriodStatistics>, ValidationProblem, ProblemHttpResult>> GetStatistics(
        string id, string? from, string? to, string? groupBy, string? utcOffset, [AsParameters] CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (start, end) = RequestListParameters.Period(from, to, errors);
        var breakdown = StatisticsBreakdown.Parse(groupBy, utcOffset, start, end, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        // All time, without a period or a breakdown: the boards' figures, as always.
        var standing = await call.Grains.GetGrain<IStatisticsGrain>(IStatisticsGrain.Key).GetStatistics(place);
        if (from is null && to is null && groupBy is null)
        {
            return TypedResults.Ok((await ServiceStatistics.Read(place, null, null, call)).AddTo(standing, place.Id));
        }

        return TypedResults.Ok(await Period(place, standing, start, end, breakdown, call, queries, cancellationToken));
    }

    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ExportStatistics(
        string id, string? format, string? from, string? to, string? groupBy, string? utcOffset, string? lang,
        [AsParameters] CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fileFormat = TableExport.ParseFormat(format, errors);
        ExportWords.Check(lang, errors);
        var (start, end) = RequestListParameters.Period(from, to, errors);
        var breakdown = StatisticsBreakdown.Parse(groupBy, utcOffset, start, end, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var standing = await call.Grains.GetGrain<IStatisticsGrain>(IStatisticsGrain.Key).GetStatistics(place);
        var period = await Period(place, standing, start, end, breakdown, call, queries, cancellationToken);
        await using var export = await TableExport.Start(call.Http.Response, fileFormat, $"stats-{place.Id}", StatisticsExport.HeaderFor(ExportWords.For(lang)), cancellationToken);
        await export.WriteRow(StatisticsExport.Row(period, place.Name), cancellationToken);
        foreach (var group in period.Groups)
        {
            await export.WriteRow(StatisticsExport.Row(group), cancellationToken);
        }

        await export.Complete(cancellationToken);
        return TypedResults.Empty;
    }

    /// <summary>The request figures of the requests created in a period, from the query store, with the breakdown asked for.</summary>
    private static async Task<PeriodStatistics> Period(
        PlaceInfo place, PlaceStatistics standing, DateTimeOffset? start, DateTimeOffset? end, StatisticsBreakdown breakdown,
        CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var filter = new RequestFilter(place.Path, [], From: start, To: end);
        var service = await ServiceStatistics.Read(place, start, end, call);
        var totals = await queries.Totals(filter, null, breakdown.UtcOffset, cancellationToken);
        var standings = StatisticsTotals.Empty with
        {
            RegisteredVolunteers = standing.RegisteredVolunteers,
            Organisations = standing.Organisations,
            PointsIssued = standing.PointsIssued,
            PointsRedeemed = standing.PointsRedeemed,
        };
        var figures = PeriodStatistics.Figures(place.Id, standing.Communities, totals.FirstOrDefault(), standings);
        var groups = ImmutableArray.CreateBuilder<StatisticsGroup>();
        if (breakdown.GroupBy is { } by)
        {
            foreach (var group in await queries.Totals(filter, by, breakdown.UtcOffset, cancellationToken))
            {
                var (name, communities) = by switch
                {
                    StatisticsGrouping.Community => ((await call.Scope.Places.Find(group.Key))?.Name ?? group.Key, new HashSet<string>([group.Key], StringComparer.Ordinal)),
                    StatisticsGrouping.Town or StatisticsGrouping.County => await PlaceGroup(call, group.Key),
                    _ => (group.Key, (IReadOnlySet<string>?)null),
                };
                var groupFigures = PeriodStatistics.Figures(group.Key, communities?.Count ?? 0, group, StatisticsTotals.Empty);
                var line = StatisticsGroup.Of(group.Key, name, communities?.Count, groupFigures);

                // Hours, person-times and suggestions are broken down by place only: null for times and kinds.
                groups.Add(communities is null ? line : service.AddTo(line, communities));
            }
        }

        return service.AddTo(PeriodStatistics.Of(figures, start, end, breakdown.GroupBy, groups.ToImmutable())) with
        {
            Escalations = await queries.Escalations(filter, cancellationToken),
            TopCategories = await queries.TopCategories(filter, PeriodStatistics.TopCategoryCount, cancellationToken),
        };
    }

    private static async Task<(string Name, IReadOnlySet<string>? Communities)> PlaceGroup(CallContext call, string placeId) =>
        await call.Scope.Places.Find(placeId) is { } place
            ? (place.Name, (await call.Scope.Places.CommunitiesUnder(place)).ToHashSet(StringComparer.Ordinal))
            : (placeId, null);

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
