using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Organisations;
using Dispatch.Places;
using Orleans.Concurrency;

namespace Dispatch.Hours;

/// <summary>
/// A place's hours for a period: its communities, their registered volunteers and units, and each
/// volunteer's hours, summed by <see cref="HoursRollup"/>. Nothing is stored; one call per
/// community, volunteer and unit of the place.
/// </summary>
[StatelessWorker]
public sealed class HoursTotalsGrain : Grain, IHoursTotalsGrain
{
    public async Task<PlaceHoursView> Totals(PlaceInfo place, DateTimeOffset? from, DateTimeOffset? to, HoursGrouping? groupBy)
    {
        var communities = (await GrainFactory.CommunitiesUnder(place)).ToHashSet(StringComparer.Ordinal);
        var boards = communities.Select(c => GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(c))).ToList();
        var usernames = (await Task.WhenAll(boards.Select(b => b.GetVolunteers()))).SelectMany(v => v).Distinct(StringComparer.Ordinal);
        var volunteers = await Task.WhenAll(usernames.Select(u => GrainFactory.GetGrain<IHoursGrain>(HoursKeys.For(u)).Get(from, to)));

        var units = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        if (groupBy == HoursGrouping.Unit)
        {
            var ids = (await Task.WhenAll(boards.Select(b => b.GetOrganisations()))).SelectMany(o => o).Distinct(StringComparer.Ordinal);
            foreach (var organisation in await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)).Get())))
            {
                if (organisation is not null)
                {
                    units[organisation.Id] = organisation.Members;
                }
            }
        }

        return HoursRollup.Sum(place.Id, communities, volunteers, units, from, to, groupBy);
    }

    public async Task<PlaceService> Service(PlaceInfo place, DateTimeOffset? from, DateTimeOffset? to)
    {
        var communities = (await GrainFactory.CommunitiesUnder(place)).ToHashSet(StringComparer.Ordinal);
        var boards = communities.Select(c => GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(c)));
        var usernames = (await Task.WhenAll(boards.Select(b => b.GetVolunteers()))).SelectMany(v => v).Distinct(StringComparer.Ordinal);
        var volunteers = await Task.WhenAll(usernames.Select(u => GrainFactory.GetGrain<IHoursGrain>(HoursKeys.For(u)).Get(from, to)));
        return HoursRollup.Service(place.Id, communities, volunteers);
    }
}
