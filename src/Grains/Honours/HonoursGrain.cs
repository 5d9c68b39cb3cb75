using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Hours;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.Points;
using Dispatch.Volunteers;
using Orleans.Concurrency;

namespace Dispatch.Honours;

/// <summary>
/// A place's honour list for a period: its communities' registered volunteers, each one's hours
/// (in the place's communities) and points from their own grains, the units reporting in, ranked
/// by <see cref="HonoursRanking"/>. Nothing is stored. Like the place's hours totals, it asks one
/// hours and one ledger grain per registered volunteer of the place, then names only the listed.
/// </summary>
[StatelessWorker]
public sealed class HonoursGrain : Grain, IHonoursGrain
{
    public async Task<HonoursList> Rank(PlaceInfo place, HonoursPeriod period, HonoursBy by, HonoursOf of, ImmutableArray<RatingTally> ratings)
    {
        var communities = (await GrainFactory.CommunitiesUnder(place)).ToHashSet(StringComparer.Ordinal);
        var boards = communities.Select(c => GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(c))).ToList();
        var registered = (await Task.WhenAll(communities.Select(async c => (Community: c, Volunteers: await GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(c)).GetVolunteers()))))
            .SelectMany(c => c.Volunteers.Select(v => (Username: v, c.Community)))
            .DistinctBy(v => v.Username)
            .ToList();
        var byUser = ratings.IsDefault ? [] : ratings.ToDictionary(r => r.Username, StringComparer.Ordinal);
        var figures = await Task.WhenAll(registered.Select(async v =>
        {
            var hours = await GrainFactory.GetGrain<IHoursGrain>(HoursKeys.For(v.Username)).Get(period.From, period.To);
            var points = await GrainFactory.GetGrain<ILedgerGrain>(GrainKeys.Ledger(v.Username)).GetEarned(period.From, period.To);
            var rated = byUser.GetValueOrDefault(v.Username);
            return new HonoursFigures(
                v.Username, v.Community, hours.Entries.Where(e => communities.Contains(e.CommunityId)).Sum(e => e.Minutes),
                points, rated?.Ratings ?? 0, rated?.Sum ?? 0);
        }));

        var units = new Dictionary<string, (string Name, ImmutableArray<string> Members)>(StringComparer.Ordinal);
        if (of == HonoursOf.Units)
        {
            var ids = (await Task.WhenAll(boards.Select(b => b.GetOrganisations()))).SelectMany(o => o).Distinct(StringComparer.Ordinal);
            foreach (var unit in await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(id)).Get())))
            {
                if (unit is { Kind: OrganisationKind.Unit })
                {
                    units[unit.Id] = (unit.Name, unit.Members);
                }
            }
        }

        var lines = HonoursRanking.Rank(figures, by, of, units, new Dictionary<string, string>());
        if (of == HonoursOf.People)
        {
            // Names only for the people listed: one more call each, never for the whole place.
            var names = (await Task.WhenAll(lines.Select(l => GrainFactory.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(l.Key)).Get())))
                .OfType<VolunteerView>().ToDictionary(v => v.Username, v => v.DisplayName, StringComparer.Ordinal);
            lines = [.. lines.Select(l => l with { Name = names.GetValueOrDefault(l.Key, l.Key) })];
        }

        return new HonoursList(place.Id, period.Key, period.From, period.To, by, of, lines);
    }
}
