using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Schemes;

namespace Dispatch.Requests;

/// <summary>The award of a request, asked of the points scheme in force in its community (the rule of its kind and urgency).</summary>
public sealed partial class RequestGrain
{
    /// <summary>
    /// The scheme's <c>request.{kind}.{urgency}</c> points when the community's scheme has that
    /// rule; otherwise, as before schemes, the request's points weighted by its urgency.
    /// </summary>
    private async Task<int> SchemeAward(int requestPoints, RequestKind kind, Urgency urgency, string communityId)
    {
        var community = await GrainFactory.GetGrain<IPlaceGrain>(GrainKeys.Place(communityId)).Get();
        var rule = community is null
            ? null
            : (await GrainFactory.PointsRulesAt(community, time.GetUtcNow())).FirstOrDefault(r => r.Rule == PointsRuleNames.Request(kind, urgency));
        return rule?.Points ?? points.Value.Award(requestPoints, urgency);
    }
}
