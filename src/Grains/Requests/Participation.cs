using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Requests;

/// <summary>The rules of an organisation's participants, and who earns what for a verified request.</summary>
public static class Participation
{
    public const string Field = "participants";

    public static ImmutableArray<string> Distinct(ImmutableArray<string> participants) =>
        participants.IsDefaultOrEmpty ? [] : [.. participants.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Why <paramref name="participants"/> cannot be recorded, or null: each must be a member of an
    /// organisation holding places of the request, and there cannot be more of them than those places.
    /// </summary>
    public static Failure? Check(ImmutableArray<ClaimRecord> claims, ImmutableArray<string> participants, IReadOnlyDictionary<string, ImmutableArray<string>> members)
    {
        if (participants.IsDefaultOrEmpty)
        {
            return null;
        }

        var organisations = claims.Where(c => c.OrganisationId is not null).ToList();
        foreach (var participant in participants)
        {
            if (!organisations.Any(c => members.TryGetValue(c.OrganisationId!, out var of) && of.Contains(participant, StringComparer.Ordinal)))
            {
                return new Failure(FailureKind.Invalid, "notAMember",
                    organisations.Count == 0
                        ? $"'{participant}' cannot be named: no organisation holds places of this request."
                        : $"'{participant}' is not a member of an organisation holding places of this request.",
                    Field);
            }
        }

        var places = organisations.Sum(c => c.PlaceCount);
        return participants.Length > places
            ? new Failure(FailureKind.Invalid, "tooManyParticipants", $"{participants.Length} participants named for {places} place(s).", Field)
            : null;
    }

    /// <summary>
    /// Who earns what when the request is verified: a volunteer's own claim the award per place;
    /// an organisation's places the award once to each participant (once in all, whatever else they
    /// hold), or once to its claimant when nobody was named. Never the award times the places to one member.
    /// </summary>
    public static ImmutableArray<(string Volunteer, int Amount)> Shares(int award, IEnumerable<ClaimRecord> claims, ImmutableArray<string> participants)
    {
        var shares = new List<(string Volunteer, int Amount)>();
        var credited = new HashSet<string>(StringComparer.Ordinal);
        var all = claims.ToList();
        foreach (var claim in all.Where(c => c.OrganisationId is null))
        {
            if (credited.Add(claim.Volunteer))
            {
                shares.Add((claim.Volunteer, award * claim.PlaceCount));
            }
        }

        var named = participants.IsDefaultOrEmpty
            ? all.Where(c => c.OrganisationId is not null).Select(c => c.Volunteer)
            : participants;
        foreach (var volunteer in named)
        {
            if (credited.Add(volunteer))
            {
                shares.Add((volunteer, award));
            }
        }

        return [.. shares.Where(s => s.Amount > 0)];
    }
}
