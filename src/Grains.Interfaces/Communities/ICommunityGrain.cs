using System.Collections.Immutable;
using Orleans.Concurrency;
using Dispatch.Common;
using Dispatch.Requests;

namespace Dispatch.Communities;

/// <summary>
/// A community's demand list, keyed by <see cref="GrainKeys.Community"/>: its requests' board,
/// its counters and its registered volunteers. Everything here is derived from the request
/// grains and can be rebuilt from them.
/// </summary>
public interface ICommunityGrain : IGrainWithStringKey
{
    /// <summary>Starts tracking a new request; stored before it returns, so the request is never lost from the board.</summary>
    Task Track(RequestSummary summary);

    /// <summary>A tracked request changed. One-way and idempotent: older versions are ignored.</summary>
    [OneWay]
    Task OnRequestChanged(RequestSummary summary);

    /// <summary>
    /// A finished request came back to work (a verification overturned): <paramref name="finished"/>
    /// is its summary as it finished, which the board may have retired already. One-way.
    /// </summary>
    [OneWay]
    Task OnRequestReopened(RequestSummary finished, RequestSummary current);

    Task RegisterVolunteer(string username);

    /// <summary>Takes a volunteer off the community's list (and so out of its candidates): the account was disabled or moved; idempotent.</summary>
    Task UnregisterVolunteer(string username);

    /// <summary>The volunteer's account is disabled: off the list (and the candidate pool), still listed by <see cref="GetDisabledVolunteers"/>.</summary>
    Task DisableVolunteer(string username);

    /// <summary>Records an organisation that reports in to this community; idempotent.</summary>
    Task RegisterOrganisation(string organisationId);

    /// <summary>Forgets an organisation that no longer reports in to this community; idempotent.</summary>
    Task UnregisterOrganisation(string organisationId);

    /// <summary>A volunteer's points totals changed. One-way and idempotent: older versions are ignored.</summary>
    [OneWay]
    Task OnPointsChanged(Points.PointsTotals totals);

    /// <summary>The usernames of the volunteers registered with this community.</summary>
    Task<ImmutableArray<string>> GetVolunteers();

    /// <summary>The usernames of this community's volunteers whose accounts are disabled.</summary>
    Task<ImmutableArray<string>> GetDisabledVolunteers();

    Task<Consoles.PlaceCounters> GetCounters();

    /// <summary>The sums behind the community's statistics, to be added up for the places above it.</summary>
    Task<Statistics.StatisticsTotals> GetStatistics();

    /// <summary>The ids of the organisations that report in to this community.</summary>
    Task<ImmutableArray<string>> GetOrganisations();

    /// <summary>The community's volunteers who earned the most points, most first.</summary>
    Task<ImmutableArray<Points.PointsTotals>> GetLeaderboard(int top);

    Task<BoardPage> GetBoard(BoardQuery query);

    /// <summary>The community's overdue requests, highest level first.</summary>
    Task<ImmutableArray<RequestSummary>> GetOverdue();

    /// <summary>The live requests' summaries, the volunteer count and the retired figures, for the community's live feed to rebuild from.</summary>
    [AlwaysInterleave]
    Task<Consoles.FeedExport> Export();
}
