using Orleans.Concurrency;
using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Hours;

namespace Dispatch.Requests;

/// <summary>
/// One resident's need, keyed by a Guid. It owns the request's state machine, its claims and its
/// audit trail; every answer it gives about a change is given after that change is stored.
/// </summary>
public interface IRequestGrain : IGrainWithGuidKey
{
    Task<Outcome<RequestView>> Create(NewRequest request, Actor actor);

    /// <summary>
    /// Creates the request already offered to <paramref name="volunteer"/> (menu service), in one
    /// write; refused as a whole, nothing created, when the volunteer could not be offered it.
    /// </summary>
    Task<Outcome<RequestView>> CreateOffered(NewRequest request, Actor actor, string volunteer);

    Task<RequestView?> Get();

    Task<ImmutableArray<HistoryEntry>?> GetHistory();

    /// <summary>Records that <paramref name="reader"/> is being shown the beneficiary's contact; stored before it returns.</summary>
    Task RecordContactRead(string reader);

    /// <summary>Who was shown the beneficiary's contact, and when, oldest first; null for an unknown request.</summary>
    Task<ImmutableArray<ContactRead>?> GetContactReads();

    /// <summary>
    /// Claims a place. A losing attempt is answered from memory at once, even while another claim
    /// is being stored (the call interleaves); a winning one is answered only after the claim is stored.
    /// </summary>
    [AlwaysInterleave]
    Task<Outcome<RequestView>> Claim(Claimant claimant);

    /// <summary>
    /// Claims for several volunteers in one call, each decided in the order given exactly as
    /// <see cref="Claim"/> would decide it. The answers come in the same order. When a claim cannot
    /// be stored, the answers decided before it are returned and it and those after it are left
    /// undecided (the caller sends them again); if it is the first, its exception is thrown.
    /// </summary>
    [AlwaysInterleave]
    Task<ImmutableArray<Outcome<RequestView>>> ClaimEach(ImmutableArray<Claimant> claimants);

    Task<Outcome<RequestView>> Release(Actor actor);

    /// <summary>Gives back <paramref name="volunteer"/>'s place: a claimant their own, staff anyone's with a reason (a no-show).</summary>
    Task<Outcome<RequestView>> ReleaseClaim(Actor actor, string volunteer, string? reason);

    /// <summary>Staff change an open request nobody holds yet (<see cref="RequestEdit"/>); a new urgency brings its policy's deadlines.</summary>
    Task<Outcome<RequestView>> Edit(Actor actor, RequestEdit edit);

    Task<Outcome<RequestView>> Start(Actor actor);

    /// <summary>
    /// Reports the work done; with the beneficiary's check-in code it is verified at once. With an
    /// organisation's places, <paramref name="participants"/> names the members who took part (they
    /// earn its points, once each, when staff verify), and a right code completes but leaves the
    /// verification to staff.
    /// </summary>
    Task<Outcome<RequestView>> Complete(Actor actor, string? note, string? checkInCode, ImmutableArray<string> participants = default);

    /// <summary>
    /// Staff accept or reject a completion; accepting again changes nothing, rejecting a verified
    /// request overturns it. Staff confirm the named participants, or replace them with
    /// <paramref name="participants"/> when given, and confirm the service hours each claimant
    /// served (<paramref name="minutes"/>, at most from their claim to now) with an approval.
    /// </summary>
    Task<Outcome<RequestView>> Verify(
        Actor actor, bool approved, int? rating, string? comment, ImmutableArray<string>? participants = null, int? minutes = null);

    /// <summary>
    /// Staff confirm the service hours of a verified request afterwards, for every claimant or the
    /// one named: recorded in their hours under the request's key, so the verification and this
    /// record it once (a repeat answers what was recorded).
    /// </summary>
    Task<Outcome<HoursEntries>> ConfirmHours(Actor actor, int minutes, string? volunteer);

    /// <summary>The resident who filed it answers "is it done?" (the web host checked their tracking code); see <c>ServiceRequest.ConfirmByResident</c>.</summary>
    Task<Outcome<RequestView>> ConfirmByResident(bool done);

    /// <summary>The resident rates the work once they answered "is it done?"; see <c>ServiceRequest.RateByResident</c>.</summary>
    Task<Outcome<RequestView>> RateByResident(ResidentRating rating, string? comment);

    /// <summary>
    /// Takes a volunteer who can no longer work here (account disabled or moved) out of the
    /// request: their claim released, an offer to them withdrawn (each with a history entry by
    /// <paramref name="by"/>), out of an automatic dispatch's line. False when nothing applied.
    /// </summary>
    Task<bool> WithdrawVolunteer(string volunteer, string by, string why);

    Task<Outcome<RequestView>> Cancel(Actor actor, string reason);

    /// <summary>Staff take the request up: the first becomes its owner, later ones supervisors; an overdue request stops climbing.</summary>
    Task<Outcome<RequestView>> Acknowledge(Actor actor);

    /// <summary>The owner offers ownership to another staff member (the web host checks that their scope covers the request).</summary>
    Task<Outcome<RequestView>> Handover(Actor actor, string to);

    /// <summary>
    /// Who <see cref="Handover"/> would accept as the receiver: enabled staff (and admins) placed on
    /// the request's ladder, from its community up, nearest first; never <paramref name="actor"/>
    /// themselves. <paramref name="text"/>, when given, keeps those whose name or username holds it.
    /// </summary>
    [AlwaysInterleave]
    Task<ImmutableArray<HandoverReceiver>> GetHandoverReceivers(Actor actor, string? text);

    Task<Outcome<RequestView>> AcceptHandover(Actor actor);

    /// <summary>
    /// Staff offer the request to the first of <paramref name="candidates"/> (ranked by the web
    /// host); with <paramref name="auto"/> a decline or lapse moves on to the next.
    /// </summary>
    Task<Outcome<RequestView>> Dispatch(Actor actor, ImmutableArray<string> candidates, bool auto);

    /// <summary>The offered volunteer takes the reserved place, once a claim slot of theirs is free and the claim is stored.</summary>
    Task<Outcome<RequestView>> AcceptOffer(Actor actor);

    Task<Outcome<RequestView>> DeclineOffer(Actor actor, string? reason);

    /// <summary>
    /// The phone of <paramref name="volunteer"/> confirmed that the offer announced to lapse at
    /// <paramref name="announcedExpiry"/> reached it: the offer then lapses the offer time after now,
    /// never sooner. An offer answered, lapsed, replaced or already confirmed is left as it is.
    /// </summary>
    Task<Outcome<RequestView>> ConfirmOfferReached(string volunteer, DateTimeOffset announcedExpiry);

    /// <summary>The current summary, or null for a request never created.</summary>
    /// <remarks>Interleaved: other grains ask this while this grain may be awaiting them.</remarks>
    [AlwaysInterleave]
    Task<RequestSummary?> GetSummary();

    /// <summary>
    /// Whether the volunteer holds an active claim (claimed or in progress) on this request, or is
    /// being given one right now (its slot is taken and the claim not yet stored): the volunteer's
    /// grain asks this to tell a stale slot from a claim still being written.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> HasActiveClaim(string username);
}
