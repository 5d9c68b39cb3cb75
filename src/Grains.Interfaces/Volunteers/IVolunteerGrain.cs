using Dispatch.Common;

namespace Dispatch.Volunteers;

/// <summary>A registered volunteer, keyed by <see cref="GrainKeys.Volunteer"/>: profile, active claims and history.</summary>
public interface IVolunteerGrain : IGrainWithStringKey
{
    /// <summary>Registers the volunteer with a community; idempotent for the same profile.</summary>
    Task Register(VolunteerProfile profile);

    Task<VolunteerView?> Get();

    /// <summary>
    /// The volunteer's own change of skills, availability and work unit (checked by
    /// <see cref="VolunteerProfileRules"/>), stored before it answers. Refused (403
    /// <c>outOfScope</c>) when <paramref name="actor"/> is anyone but the volunteer.
    /// </summary>
    Task<Outcome<VolunteerView>> ChangeProfile(ProfileChange change, Actor actor);

    /// <summary>
    /// Reserves one of the volunteer's claim slots for a request, durably. Called by the request
    /// grain only once it knows a place is free. False when the claim limit is reached.
    /// </summary>
    Task<bool> TryReserveClaim(Guid requestId);

    /// <summary>Frees the slot held for a request (idempotent): the claim was released, completed or cancelled, or its write failed.</summary>
    Task EndClaim(Guid requestId, ClaimEnd reason);

    /// <summary>
    /// A request tells the volunteer what concerns them once its change is stored: a claim ended
    /// (<c>released</c>, <c>completed</c>, <c>claimEnded</c>), was reinstated, or an offer was
    /// made, accepted, declined, lapsed or withdrawn. Idempotent for claims; offers update the
    /// pending offers and the history.
    /// </summary>
    Task Notify(Guid requestId, VolunteerAction action);
}
