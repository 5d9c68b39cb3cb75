using Dispatch.Common;
using Dispatch.Intake;
using Dispatch.Places;
using Dispatch.Requests;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Dispatch.Open311;

/// <summary>
/// Files a GeoReport request (<see cref="IOpen311FilingGrain"/>). Stateless, so each silo runs it
/// locally; the writes are made, in order, by the Open311 record of the community, the request's
/// grain and the tracking code's grain.
/// </summary>
[StatelessWorker]
public sealed partial class Open311FilingGrain(IGrainFactory grains, TimeProvider time, ILogger<Open311FilingGrain> logger) : Grain, IOpen311FilingGrain
{
    public async Task<Outcome<Open311Filed>> File(NewOpen311Request filing)
    {
        var chosen = await CommunityFor(filing.Jurisdiction, filing.Point);
        if (chosen.Value is not { } community)
        {
            return chosen.Failure!;
        }

        var id = Guid.NewGuid();
        await grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(community.Id))
            .File(new FiledRequest(id, time.GetUtcNow(), filing.Service.Code, filing.Service.Name, filing.MediaUrl, filing.KeyId));
        var outcome = await grains.GetGrain<IRequestGrain>(id)
            .Create(filing.Request with { CommunityId = community.Id }, new Actor(filing.Creator, AccountRole.Staff));
        if (outcome.Value is not { } created)
        {
            return outcome.Failure!;
        }

        // The resident follows, confirms and rates it with the code, as one who filed on the public page.
        var linked = await grains.GetGrain<ITrackingGrain>(IntakeKeys.Tracking(filing.TrackingCode)).Link(new TrackingLink(null, created.Id));
        LogFiled(created.Id, created.CommunityId, filing.Service.Code, filing.KeyId);
        return new Open311Filed(created, community.Name, linked.Succeeded);
    }

    /// <summary>
    /// The jurisdiction itself when it is a community; otherwise the community below it, with a
    /// location, nearest to <paramref name="point"/>.
    /// </summary>
    private async Task<Outcome<PlaceInfo>> CommunityFor(PlaceInfo jurisdiction, GeoPoint? point)
    {
        if (jurisdiction.Kind == PlaceKind.Community)
        {
            return jurisdiction;
        }

        if (point is null)
        {
            return Failure.Invalid("lat", $"'lat' and 'long' are required in jurisdiction '{jurisdiction.Id}': they decide which of its communities the request goes to.");
        }

        var communities = await grains.CommunitiesUnder(jurisdiction);
        var locations = await Task.WhenAll(communities.Select(c => grains.GetGrain<IOpen311PlaceGrain>(Open311GrainKeys.Place(c)).GetLocation()));
        var located = communities.Zip(locations).Where(c => c.Second is not null).Select(c => (c.First, c.Second!));
        if (Open311Geo.Nearest(point, located) is not { } nearest
            || await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(nearest)).Get() is not { } community)
        {
            return Failure.Invalid("lat", $"No community of jurisdiction '{jurisdiction.Id}' has a location yet, so none can be chosen by 'lat' and 'long': file with a community's id.");
        }

        return community;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Open311 request {RequestId} filed in {CommunityId} as {ServiceCode} with key {KeyId}")]
    private partial void LogFiled(Guid requestId, string communityId, string serviceCode, Guid keyId);
}
