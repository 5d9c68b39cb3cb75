using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Places;
using Dispatch.Points;
using Orleans.Concurrency;

namespace Dispatch.Statistics;

/// <summary>
/// The statistics roll-up as a use case: reads the communities under a place and adds their
/// figures up (<see cref="StatisticsRollup"/>). Stateless, so each silo runs it locally and the
/// callers need not know how many grains a roll-up reads.
/// </summary>
[StatelessWorker]
public sealed class StatisticsGrain(IGrainFactory grains) : Grain, IStatisticsGrain
{
    public async Task<PlaceStatistics> GetStatistics(PlaceInfo place)
    {
        var communities = (await grains.CommunitiesUnder(place)).Select(c => grains.GetGrain<ICommunityGrain>(GrainKeys.Community(c))).ToList();
        var totals = await Task.WhenAll(communities.Select(c => c.GetStatistics()));
        var organisations = communities.Count > 1 ? await Task.WhenAll(communities.Select(c => c.GetOrganisations())) : null;
        return PlaceStatistics.From(place.Id, communities.Count, StatisticsRollup.Sum(totals, organisations));
    }

    public async Task<ImmutableArray<PointsTotals>> GetLeaderboard(PlaceInfo place, int top)
    {
        var communities = await grains.CommunitiesUnder(place);
        var boards = await Task.WhenAll(communities.Select(c => grains.GetGrain<ICommunityGrain>(GrainKeys.Community(c)).GetLeaderboard(top)));
        return StatisticsRollup.Leaderboard(boards, top);
    }
}
