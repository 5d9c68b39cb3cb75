using Dispatch.Common;
using Dispatch.Escalation;

namespace Dispatch.Requests;

/// <summary>The desk's changes to a request; the rules are <see cref="ServiceRequest.Edit"/> and <see cref="ServiceRequest.Release(Actor, string, string?, DateTimeOffset)"/>.</summary>
public sealed partial class RequestGrain
{
    public Task<Outcome<RequestView>> ReleaseClaim(Actor actor, string volunteer, string? reason) =>
        Transition(r => r.Release(actor, volunteer, reason, time.GetUtcNow()));

    public async Task<Outcome<RequestView>> Edit(Actor actor, RequestEdit edit)
    {
        // A new urgency brings the deadlines and the award it would have had at creation; read
        // before the rule runs, in this turn, so the change is applied and stored in one go.
        EscalationPolicy? policy = null;
        int? award = null;
        if (Request is { } request && edit.Urgency is { } urgency && urgency != request.Urgency && Enum.IsDefined(urgency))
        {
            policy = await GrainFactory.GetGrain<IPolicyGrain>(GrainKeys.Policies).Get(request.Kind, urgency);
            award = await SchemeAward(request.Points, request.Kind, urgency, request.CommunityId);
        }

        return await Transition(r => r.Edit(actor, edit, time.GetUtcNow(), policy, award));
    }
}
