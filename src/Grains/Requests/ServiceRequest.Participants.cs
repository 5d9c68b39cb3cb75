using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Requests;

/// <summary>
/// Who of an organisation took part: its places earn points for the members named at completion
/// (by the claimant, or staff) and confirmed by staff at verification, each the award once.
/// </summary>
public sealed partial class ServiceRequest
{
    /// <summary>Members of the claiming organisations named as having taken part; confirmed when the request is verified.</summary>
    [Id(51)] public ImmutableArray<string> Participants { get; private set; } = [];

    /// <summary>Whether an organisation holds places of this request: its participants then wait for staff.</summary>
    public bool HasOrganisationClaim => Claims.Any(c => c.OrganisationId is not null);

    /// <summary>
    /// <see cref="Complete"/>, naming the organisation's <paramref name="participants"/>
    /// (<paramref name="members"/>: each claiming organisation's members). With an organisation's
    /// places, a right check-in code completes the request but leaves the verification to staff, who
    /// confirm the participants; a wrong one is counted as always.
    /// </summary>
    public Failure? CompleteWith(
        Actor actor, string? note, DateTimeOffset now, string? checkInCode,
        ImmutableArray<string> participants, IReadOnlyDictionary<string, ImmutableArray<string>> members)
    {
        participants = Participation.Distinct(participants);
        if (Status == RequestStatus.InProgress && (actor.IsStaff || IsClaimant(actor.Username))
            && Participation.Check(Claims, participants, members) is { } refused)
        {
            return refused;
        }

        if (checkInCode is not null && HasOrganisationClaim && Status == RequestStatus.InProgress && (actor.IsStaff || IsClaimant(actor.Username)))
        {
            if (CheckCode(actor, checkInCode.Trim(), now) is { } wrong)
            {
                return wrong;
            }

            checkInCode = null;
        }

        var before = Version;
        var failure = Complete(actor, note, now, checkInCode);
        if (failure is null && Version != before)
        {
            Participants = participants;
        }

        return failure;
    }

    /// <summary>
    /// <see cref="Verify"/>; staff may replace the named participants with those who really took
    /// part (<paramref name="participants"/>, when given), checked as at completion, and confirm
    /// the service hours of an approval (<paramref name="minutes"/>, see <see cref="ConfirmedHours"/>).
    /// </summary>
    public Failure? VerifyWith(
        Actor actor, bool approved, int? rating, string? comment, DateTimeOffset now,
        ImmutableArray<string>? participants, IReadOnlyDictionary<string, ImmutableArray<string>> members, int? minutes = null, RatingBonus? bonus = null)
    {
        var concluding = Status == RequestStatus.Completed;
        if (minutes is { } served && concluding && ConfirmedHours.Check(Claims, served, now) is { } tooLong)
        {
            return tooLong;
        }

        if (participants is { } confirmed && actor.IsStaff && approved && Status == RequestStatus.Completed)
        {
            confirmed = Participation.Distinct(confirmed);
            if (Participation.Check(Claims, confirmed, members) is { } refused)
            {
                return refused;
            }

            Participants = confirmed;
        }

        var failure = Verify(actor, approved, rating, comment, now, bonus);
        if (failure is null && concluding && Status == RequestStatus.Verified && minutes is { } confirmedMinutes)
        {
            OweHours(confirmedMinutes, actor.Username);
        }

        return failure;
    }
}

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
