using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Honours;
using Dispatch.Hours;
using Dispatch.Organisations;
using Dispatch.Points;
using Dispatch.Volunteers;
using Orleans.Concurrency;

namespace Dispatch.UnitReports;

/// <summary>
/// A unit's report for a period (<see cref="UnitReportBuilder"/>): asks each of the unit's members'
/// own grains once (volunteer, hours, points ledger), never anyone else's. Nothing is stored.
/// </summary>
[StatelessWorker]
public sealed class UnitReportGrain : Grain, IUnitReportGrain
{
    public async Task<UnitReport> Report(OrganisationView unit, DateTimeOffset from, DateTimeOffset to, ImmutableArray<RatingTally> ratings)
    {
        var byUser = ratings.IsDefault ? [] : ratings.ToDictionary(r => r.Username, StringComparer.Ordinal);
        var members = await Task.WhenAll(unit.Members.Distinct(StringComparer.Ordinal).Select(async username =>
        {
            var volunteer = GrainFactory.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username)).Get();
            var hours = GrainFactory.GetGrain<IHoursGrain>(HoursKeys.For(username)).Get(from, to);
            var points = GrainFactory.GetGrain<ILedgerGrain>(GrainKeys.Ledger(username)).GetEarned(from, to);
            return new MemberRecords(username, await volunteer, await hours, await points, byUser.GetValueOrDefault(username));
        }));
        return UnitReportBuilder.Build(unit, from, to, members);
    }
}
