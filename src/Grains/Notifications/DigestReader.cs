using System.Collections.Immutable;
using Dispatch.Applications;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Queries;
using Dispatch.Requests;

namespace Dispatch.Notifications;

/// <summary>
/// Reads a place's morning digest cheaply: the requests from the query store (one count and the
/// oldest few per line, over the place's whole subtree, as the place's request list reads them),
/// the report-ins from the application index of each community below it.
/// </summary>
/// <remarks>The query store is resolved on first use: hosts without one never send a digest and still run the channels.</remarks>
public sealed class DigestReader(IGrainFactory grains, Func<IRequestQueries> queries)
{
    private static readonly ImmutableArray<RequestStatus> Live = [RequestStatus.Open, RequestStatus.Claimed, RequestStatus.InProgress];

    /// <summary>The figures of <paramref name="placeId"/>; null when there is no such place.</summary>
    public async Task<DigestFigures?> Read(string placeId, CancellationToken cancellationToken)
    {
        if (await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(placeId)).Get() is not { } place)
        {
            return null;
        }

        var overdue = await Requests(new RequestFilter(place.Path, Live, Overdue: true), cancellationToken);
        var verification = await Requests(new RequestFilter(place.Path, [RequestStatus.Completed]), cancellationToken);
        var approval = await Applications(place);
        return new DigestFigures(place.Name, overdue, verification, approval);
    }

    private async Task<DigestLine> Requests(RequestFilter filter, CancellationToken cancellationToken)
    {
        var page = await queries().List(filter, RequestSort.Oldest, 1, MorningDigest.TitlesShown, cancellationToken);
        return new DigestLine(page.Total, [.. page.Items.Select(i => i.Title)]);
    }

    private async Task<DigestLine> Applications(PlaceInfo place)
    {
        var communities = await grains.CommunitiesUnder(place);
        var lists = await Task.WhenAll(communities.Select(c =>
            grains.GetGrain<ICommunityApplicationsGrain>(GrainKeys.CommunityApplications(c)).List(ApplicationStatus.Waiting)));
        var waiting = lists.SelectMany(l => l).ToList();
        var oldest = await Task.WhenAll(waiting.OrderBy(a => a.SubmittedAt).Take(MorningDigest.TitlesShown)
            .Select(a => grains.GetGrain<IApplicationGrain>(GrainKeys.Application(a.Id)).Get()));
        return new DigestLine(waiting.Count, [.. oldest.OfType<ApplicationView>().Select(a => a.Name)]);
    }
}
