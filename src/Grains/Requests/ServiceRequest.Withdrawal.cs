using Dispatch.Volunteers;

namespace Dispatch.Requests;

/// <summary>A volunteer who can no longer work here (their account disabled, or moved elsewhere) leaves the request.</summary>
public sealed partial class ServiceRequest
{
    /// <summary>
    /// Takes <paramref name="volunteer"/> out of the request: out of an automatic dispatch's line,
    /// the offer waiting for them withdrawn (the line moves on), their claim released while the
    /// work is not finished; each of the last two with a history entry by <paramref name="by"/>
    /// saying <paramref name="why"/>. False when none of it applied (nothing changed).
    /// </summary>
    public bool WithdrawVolunteer(string volunteer, string by, string why, DateTimeOffset now)
    {
        var changed = false;
        if (OfferQueue.Contains(volunteer))
        {
            OfferQueue = OfferQueue.Remove(volunteer);
            changed = true;
        }

        if (IsOfferedTo(volunteer))
        {
            Offer = null;
            Record(by, RequestAction.OfferWithdrawn, Status, Status, $"offer to '{volunteer}' withdrawn: {why}", now);
            Notify(volunteer, VolunteerAction.OfferWithdrawn);
            OfferToNext(now, clock: now);
            changed = true;
        }

        if (IsClaimant(volunteer) && Status is RequestStatus.Open or RequestStatus.Claimed or RequestStatus.InProgress)
        {
            RemoveClaim(volunteer, RequestAction.Released, by, $"'{volunteer}' released: {why}", now, clock: now);
            changed = true;
        }

        return changed;
    }
}
