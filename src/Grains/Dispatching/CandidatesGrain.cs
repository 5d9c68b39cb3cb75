using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Escalation;
using Dispatch.Places;
using Dispatch.Posts;
using Dispatch.Requests;
using Dispatch.Volunteers;
using Orleans.Concurrency;

namespace Dispatch.Dispatching;

/// <summary>
/// The candidate ranking as a use case: picks the pool (<see cref="CandidatePools"/>), reads its
/// communities' volunteers and ranks them (<see cref="CandidateRanking"/>). Nothing is stored, so
/// it is a stateless worker that each silo runs locally; a ranking costs one call per volunteer.
/// </summary>
[StatelessWorker]
public sealed class CandidatesGrain(IGrainFactory grains, TimeProvider time) : Grain, ICandidatesGrain
{
    public async Task<CandidatePool> Rank(RequestView request, Actor viewer)
    {
        var community = await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(request.CommunityId)).Get()
            ?? throw new InvalidOperationException($"The community '{request.CommunityId}' of request '{request.Id}' does not exist.");
        var poolId = CandidatePools.PoolPlaceId(request.EscalationLevel, community, viewer);
        var pool = poolId == community.Id ? community : await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(poolId)).Get() ?? community;
        var communities = pool.Kind == PlaceKind.Community ? [pool.Id] : await grains.CommunitiesUnder(pool);
        var usernames = await Task.WhenAll(communities.Select(c => grains.GetGrain<ICommunityGrain>(GrainKeys.Community(c)).GetVolunteers()));
        var volunteers = await Task.WhenAll(usernames.SelectMany(u => u)
            .Where(u => !request.Claimants.Contains(u, StringComparer.Ordinal))
            .Select(u => grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(u)).Get()));
        var posts = await Task.WhenAll(communities.Select(c => grains.GetGrain<IServicePostsGrain>(PostKeys.For(c)).Get()));
        var stageDue = request.Deadlines.IsDefault ? null : request.Deadlines.Where(d => d.Kind == DeadlineKind.Stage).Select(d => (DateTimeOffset?)d.Due).Min();
        return new CandidatePool(pool.Id, CandidateRanking.Rank(
            request.Categories, volunteers.OfType<VolunteerView>(), time.GetUtcNow(),
            declarations: posts.SelectMany(p => p.Declarations), until: stageDue));
    }

    public async Task<Outcome<RequestView>> Offer(Guid requestId, Actor actor, string? volunteer, bool auto)
    {
        var grain = grains.GetGrain<IRequestGrain>(requestId);
        if (await grain.Get() is not { } request)
        {
            return Failure.NotFound("Request", requestId.ToString());
        }

        return OfferLine.Choose(request, await Rank(request, actor), volunteer, auto, out var line) is { } refused
            ? refused
            : await grain.Dispatch(actor, line, auto);
    }
}
