using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Volunteers;

namespace Dispatch.Requests;

/// <summary>Something the request grain must tell a volunteer's grain once a change is stored.</summary>
public sealed record VolunteerNotice(string Volunteer, VolunteerAction Action);

/// <summary>
/// Precise dispatch (精准派单): staff offer the request to a chosen volunteer, who accepts or
/// declines within the policy's <c>offerWithin</c>.
/// </summary>
/// <remarks>
/// A pending offer reserves one place: other volunteers can still claim the remaining ones, and
/// lose with <see cref="ClaimLoss.Reserved"/> when only the reserved place is left. An automatic
/// dispatch carries the ranked candidates after the first: a decline or a lapse offers the request
/// to the next one who holds no claim on it, until one accepts or the list ends, and then the
/// request is simply open again. Offers do not move the request's stage: its claim deadline keeps
/// running, so a request nobody accepts still escalates.
/// </remarks>
public sealed partial class ServiceRequest
{
    // What the grain must tell volunteers' grains after the next write; never stored.
    [NonSerialized] private List<VolunteerNotice>? notices;

    public bool IsOfferedTo(string username) =>
        Offer is { } offer && string.Equals(offer.Volunteer, username, StringComparison.Ordinal);

    /// <summary>
    /// Offers the request to the first of <paramref name="candidates"/> who holds no claim on it;
    /// with <paramref name="auto"/>, the rest wait in line for a decline or a lapse.
    /// </summary>
    public Failure? Dispatch(Actor actor, ImmutableArray<string> candidates, bool auto, DateTimeOffset now)
    {
        if (!actor.IsStaff)
        {
            return StaffOnly("dispatch");
        }

        if (Status != RequestStatus.Open)
        {
            return WrongStatus("dispatch");
        }

        if (Offer is { } pending)
        {
            return Failure.Conflict("offerPending", $"The request is offered to '{pending.Volunteer}' until {pending.ExpiresAt:u}.");
        }

        var (first, line) = CandidateLine.Of(candidates, IsClaimant).TakeNext(IsClaimant);
        if (first is null)
        {
            return candidates.IsEmpty
                ? Failure.Conflict("noCandidates", "No volunteer is available for this request.")
                : Failure.Conflict("alreadyClaimed", "The volunteer already holds a claim on this request.");
        }

        MakeOffer(first, actor.Username, auto, auto ? line.Queue : [], actor.Username, now, clock: now);
        return null;
    }

    /// <summary>Why <paramref name="actor"/> cannot accept an offer now, or null when they can (given a free claim slot).</summary>
    public Failure? CheckAccept(Actor actor)
    {
        if (!IsOfferedTo(actor.Username))
        {
            return Failure.Forbidden("noOffer", "No offer of this request is waiting for you.");
        }

        return Status == RequestStatus.Open ? null : WrongStatus("accept an offer of");
    }

    /// <summary>The offered volunteer takes the reserved place; call only after <see cref="CheckAccept"/> returned null.</summary>
    public void AcceptOffer(Actor actor, DateTimeOffset now)
    {
        if (CheckAccept(actor) is { } refused)
        {
            throw new InvalidOperationException(refused.Detail);
        }

        TakeOffer(actor.Username, now);
    }

    /// <summary>The offered volunteer says no; an automatic dispatch moves on to the next candidate.</summary>
    public Failure? DeclineOffer(Actor actor, string? reason, DateTimeOffset now)
    {
        if (!IsOfferedTo(actor.Username))
        {
            return Failure.Forbidden("noOffer", "No offer of this request is waiting for you.");
        }

        Offer = null;
        Dispatches = Dispatches with { Declined = Dispatches.Declined + 1 };
        Record(actor.Username, RequestAction.OfferDeclined, Status, Status, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), now);
        Notify(actor.Username, VolunteerAction.OfferDeclined);
        OfferToNext(now, clock: now);
        return null;
    }

    /// <summary>
    /// The offer timeout counts from delivery to the volunteer's phone when a channel confirms it:
    /// the offer announced to lapse at <paramref name="announcedExpiry"/> reached
    /// <paramref name="volunteer"/> at <paramref name="now"/>, so it now lapses the policy's offer
    /// time after that, never sooner. The expiry its notice announced names the offer, so a late
    /// confirmation of an earlier offer to the same volunteer moves nothing. An offer gone
    /// (accepted, declined, withdrawn), past its expiry or confirmed already is left as it is:
    /// nothing is recorded. Never refuses: a confirmation is a fact, not a request.
    /// </summary>
    public Failure? ConfirmOfferReached(string volunteer, DateTimeOffset announcedExpiry, DateTimeOffset now)
    {
        if (Offer is not { ReachedAt: null } offer || !IsOfferedTo(volunteer)
            || offer.ExpiresAt != announcedExpiry || now >= offer.ExpiresAt)
        {
            return null;
        }

        var restarted = now + Policy.OfferTimeout;
        var expires = restarted > offer.ExpiresAt ? restarted : offer.ExpiresAt;
        Offer = offer with { ExpiresAt = expires, ReachedAt = now };
        Record(volunteer, RequestAction.OfferReached, Status, Status, $"reached '{volunteer}''s phone; answer by {expires:u}", now);
        return null;
    }

    /// <summary>The volunteers told of changes since the last call; the grain calls this after each write.</summary>
    public ImmutableArray<VolunteerNotice> TakeNotices()
    {
        if (notices is not { Count: > 0 })
        {
            return [];
        }

        var taken = notices.ToImmutableArray();
        notices.Clear();
        return taken;
    }

    /// <summary>Drops notices of a change that was not stored (the grain reloads its state).</summary>
    public void ForgetNotices() => notices?.Clear();

    private void Notify(string volunteer, VolunteerAction action) => (notices ??= []).Add(new VolunteerNotice(volunteer, action));

    private void MakeOffer(string volunteer, string by, bool auto, ImmutableArray<string> rest, string actor, DateTimeOffset now, DateTimeOffset clock)
    {
        var expires = clock + Policy.OfferTimeout;
        Offer = new DispatchOffer(volunteer, by, clock, expires, auto);
        OfferQueue = rest;
        Dispatches = Dispatches with { Offers = Dispatches.Offers + 1 };
        var line = auto ? $"; {rest.Length} more in line" : "";
        Record(actor, RequestAction.Offered, Status, Status, $"to '{volunteer}' until {expires:u}{line}", now);
        Notify(volunteer, VolunteerAction.Offered);
    }

    /// <summary>The offered volunteer takes the reserved place (and, claiming for an organisation, the other places asked for).</summary>
    private void TakeOffer(string volunteer, DateTimeOffset now, string? organisationId = null, int places = 1)
    {
        Offer = null;
        OfferQueue = [];
        Dispatches = Dispatches with { Accepted = Dispatches.Accepted + 1 };
        AddClaim(new ClaimRecord(volunteer, now, organisationId, places), RequestAction.OfferAccepted, volunteer,
            organisationId is null ? null : $"for organisation '{organisationId}', {places} place(s)", now);
        Notify(volunteer, VolunteerAction.OfferAccepted);
    }

    /// <summary>An offer lapsed at <paramref name="due"/>: recorded, and the line moves on.</summary>
    private void LapseOffer(DateTimeOffset due, DateTimeOffset now)
    {
        var volunteer = Offer!.Volunteer;
        Offer = null;
        Dispatches = Dispatches with { Lapsed = Dispatches.Lapsed + 1 };
        Record(SystemActor, RequestAction.OfferLapsed, Status, Status, $"'{volunteer}' did not answer by {due:u}", now);
        Notify(volunteer, VolunteerAction.OfferLapsed);
        OfferToNext(now, clock: due);
    }

    /// <summary>Offers the request to the next candidate in line who holds no claim, if any.</summary>
    private void OfferToNext(DateTimeOffset now, DateTimeOffset clock)
    {
        if (Status == RequestStatus.Open && FreePlaces > 0
            && new CandidateLine(OfferQueue).TakeNext(IsClaimant) is (string next, var rest))
        {
            MakeOffer(next, SystemActor, auto: true, rest.Queue, SystemActor, now, clock);
            return;
        }

        OfferQueue = [];
    }

    /// <summary>Ends a pending offer because the request moved on.</summary>
    private void WithdrawOffer(string why, DateTimeOffset now)
    {
        if (Offer is not { } offer)
        {
            return;
        }

        Offer = null;
        OfferQueue = [];
        Record(SystemActor, RequestAction.OfferWithdrawn, Status, Status, $"offer to '{offer.Volunteer}' withdrawn: {why}", now);
        Notify(offer.Volunteer, VolunteerAction.OfferWithdrawn);
    }
}
