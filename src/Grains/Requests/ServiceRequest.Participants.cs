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
