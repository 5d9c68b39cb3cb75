using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Organisations;

namespace Dispatch.Requests;

// Completion and verification that name an organisation's participants (who earn its points).
public sealed partial class RequestGrain
{
    public async Task<Outcome<RequestView>> CompleteWithParticipants(Actor actor, string? note, string? checkInCode, ImmutableArray<string> participants)
    {
        var members = await MembersOfClaimingOrganisations(participants);
        return await Transition(r => r.CompleteWith(actor, note, time.GetUtcNow(), checkInCode, participants, members));
    }

    public async Task<Outcome<RequestView>> VerifyWithParticipants(Actor actor, bool approved, int? rating, string? comment, ImmutableArray<string>? participants)
    {
        var members = participants is { } named ? await MembersOfClaimingOrganisations(named) : ImmutableDictionary<string, ImmutableArray<string>>.Empty;
        return await Transition(r => r.VerifyWith(actor, approved, rating, comment, time.GetUtcNow(), participants, members));
    }

    /// <summary>The members of each organisation holding places, read only when someone is named.</summary>
    private async Task<IReadOnlyDictionary<string, ImmutableArray<string>>> MembersOfClaimingOrganisations(ImmutableArray<string> participants)
    {
        if (participants.IsDefaultOrEmpty || Request is not { } request)
        {
            return ImmutableDictionary<string, ImmutableArray<string>>.Empty;
        }

        var members = new Dictionary<string, ImmutableArray<string>>(StringComparer.Ordinal);
        foreach (var organisationId in request.Claims.Select(c => c.OrganisationId).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var organisation = await GrainFactory.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(organisationId)).Get();
            members[organisationId] = organisation?.Members ?? [];
        }

        return members;
    }
}
