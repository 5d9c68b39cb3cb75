using System.Collections.Immutable;
using Dispatch.Honours;

namespace Dispatch.UnitReports;

/// <summary>
/// The figures of one unit, or one member, for a period (双报告/双考核): what a work unit reads at
/// its annual appraisal. Person-times (人次) are activities attended and requests whose service
/// time was confirmed, once each; commitments kept are completed claims plus activities attended;
/// broken ones are claims released or left to expire.
/// </summary>
/// <param name="Members">Reported-in members counted (for a member's own line: 1).</param>
/// <param name="Rating">The average rating (1–5) of the period's rated completions; null when none.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.UnitFigures")]
public sealed record UnitFigures(
    int Members,
    decimal Hours,
    int PersonTimes,
    int Completions,
    decimal? Rating,
    int Ratings,
    int Points,
    int CommitmentsKept,
    int CommitmentsBroken);

/// <summary>One reported-in member's line of a unit report: who, the community they report in to, their figures.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.UnitReportMember")]
public sealed record UnitReportMember(string Username, string DisplayName, string CommunityId, UnitFigures Figures);

/// <summary>A unit's report for a period: its totals and one line per member, by name.</summary>
/// <param name="From">Inclusive.</param>
/// <param name="To">Exclusive.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.UnitReport")]
public sealed record UnitReport(
    string OrganisationId,
    string Name,
    ImmutableArray<string> CommunityIds,
    DateTimeOffset From,
    DateTimeOffset To,
    UnitFigures Totals,
    ImmutableArray<UnitReportMember> Members);

/// <summary>The reports of the units reporting in to a place's communities, by unit name.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.UnitReportList")]
public sealed record UnitReportList(string PlaceId, DateTimeOffset From, DateTimeOffset To, ImmutableArray<UnitReport> Items);

/// <summary>Builds unit reports (stateless): reads each member's hours, points ledger and claim history, nothing else.</summary>
public interface IUnitReportGrain : IGrainWithIntegerKey
{
    /// <param name="ratings">The members' ratings in the period, read from the query store by the caller.</param>
    Task<UnitReport> Report(Organisations.OrganisationView unit, DateTimeOffset from, DateTimeOffset to, ImmutableArray<RatingTally> ratings);
}
