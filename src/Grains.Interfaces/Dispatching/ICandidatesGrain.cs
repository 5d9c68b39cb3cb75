using Dispatch.Common;
using Dispatch.Requests;

namespace Dispatch.Dispatching;

/// <summary>
/// Ranks the volunteers who could take a request (精准派单). A stateless worker: call it with key
/// <see cref="Key"/>; it reads the place, community and volunteer grains of the pool and keeps nothing.
/// </summary>
[Alias("Dispatch.Dispatching.ICandidatesGrain")]
public interface ICandidatesGrain : IGrainWithIntegerKey
{
    /// <summary>The one key the callers use (any key would do: every activation is alike).</summary>
    const long Key = 0;

    /// <summary>
    /// The volunteers of the request's community, or of its whole town once it has escalated to
    /// the town or above and <paramref name="viewer"/> stands at the town or above, ranked; current
    /// claimants are left out.
    /// </summary>
    [Alias("RankFor")]
    Task<CandidatePool> Rank(RequestView request, Actor viewer);

    /// <summary>
    /// Precise dispatch as one use case: ranks the request's candidates and offers it to
    /// <paramref name="volunteer"/>, or with <paramref name="auto"/> to the available ones in
    /// ranked order (the request grain decides the offer). The caller has checked the actor's scope.
    /// </summary>
    [Alias("Offer")]
    Task<Outcome<RequestView>> Offer(Guid requestId, Actor actor, string? volunteer, bool auto);
}
