using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Escalation;

namespace Dispatch.Requests;

/// <summary>What the request's clock did when <see cref="ServiceRequest.Advance"/> ran: the grain tells the others.</summary>
public sealed record ClockEvent(DeadlineKind Kind, int Level, string PlaceId, string? Volunteer);

/// <summary>
/// Deadlines, escalation and first-responder ownership.
/// </summary>
/// <remarks>
/// The clock's rules are <see cref="StageClock"/>'s (deadlines, missing one, climbing, moving
/// between stages) and the places it climbs through <see cref="EscalationLadder"/>'s; this part
/// applies them in order and records each in the history. Falling back (a release, an expired
/// claim, a rejected verification) restarts the stage's clock but keeps the alert. A claim not
/// started within the start time is released.
/// </remarks>
public sealed partial class ServiceRequest
{
    /// <summary>Every pending deadline, soonest first.</summary>
    public ImmutableArray<Deadline> Deadlines() => Clock.Deadlines(Status, Policy, Offer, Claims);

    /// <summary>The soonest pending deadline, or null when there is none.</summary>
    public DateTimeOffset? NextDue => Deadlines() is [var first, ..] ? first.Due : null;

    /// <summary>
    /// Applies every deadline due at <paramref name="now"/>, in order. Clocks advance from each
    /// deadline's own time, so a request woken late (after a restart) reaches the same state as one
    /// woken on time; the history records when it happened.
    /// </summary>
    public ImmutableArray<ClockEvent> Advance(DateTimeOffset now)
    {
        var events = ImmutableArray.CreateBuilder<ClockEvent>();
        while (Deadlines() is [var next, ..] && next.Due <= now)
        {
            switch (next.Kind)
            {
                case DeadlineKind.Stage:
                    Clock = Clock.Missed(next.Stage);
                    events.Add(Escalate(next, now, $"{StageName(next.Stage)} deadline passed at {next.Due:u}"));
                    break;
                case DeadlineKind.Escalation:
                    events.Add(Escalate(next, now, $"still overdue ({StageName(next.Stage)}) at {next.Due:u}"));
                    break;
                case DeadlineKind.ClaimExpiry:
                    RemoveClaim(next.Volunteer!, RequestAction.ClaimExpired, SystemActor, $"'{next.Volunteer}' did not start by {next.Due:u}", now, clock: next.Due);
                    events.Add(new ClockEvent(DeadlineKind.ClaimExpiry, EscalationLevel, EscalationPlaceId, next.Volunteer));
                    break;
                case DeadlineKind.OfferExpiry:
                    LapseOffer(next.Due, now);
                    events.Add(new ClockEvent(DeadlineKind.OfferExpiry, EscalationLevel, EscalationPlaceId, next.Volunteer));
                    break;
            }
        }

        return events.ToImmutable();
    }

    /// <summary>
    /// Staff in scope take the request up: the first becomes its owner, others supervisors. An
    /// overdue request stops climbing until a later deadline is missed. Once it has climbed to
    /// level L, only staff placed at the level's place or above it answer for it
    /// (<see cref="MayAnswerAtLevel"/>): the community that missed a deadline cannot silence the alert.
    /// </summary>
    public Failure? Acknowledge(Actor actor, DateTimeOffset now)
    {
        if (!actor.IsStaff)
        {
            return StaffOnly("acknowledge");
        }

        if (IsFinal)
        {
            return WrongStatus("acknowledge");
        }

        if (!MayAnswerAtLevel(actor))
        {
            return Failure.Forbidden(
                BelowEscalationLevel,
                $"The request has climbed to level {EscalationLevel} ('{EscalationPlaceId}'): only staff there or above may acknowledge it.");
        }

        // Taking up again what one holds already, with no alert to quiet, changes nothing: no entry.
        if (Staff.Holds(actor.Username) && !Clock.Alerting)
        {
            return null;
        }

        (Staff, var role) = Staff.TakeUp(actor.Username);
        Clock = Clock.Acknowledge();
        Record(actor.Username, RequestAction.Acknowledged, Status, Status, role, now);
        return null;
    }

    /// <summary>The owner offers the request to another staff member, who must accept it.</summary>
    public Failure? Handover(Actor actor, string to, DateTimeOffset now)
    {
        if (Owner != actor.Username)
        {
            return Failure.Forbidden("notOwner", "Only the request's owner may hand it over.");
        }

        if (IsFinal)
        {
            return WrongStatus("hand over");
        }

        if (to == Owner)
        {
            return Failure.Invalid("to", "The request is already yours.");
        }

        if (HandoverTo == to)
        {
            return null; // Offered to them already: a repeat changes nothing.
        }

        HandoverTo = to;
        Record(actor.Username, RequestAction.HandoverOffered, Status, Status, $"to '{to}'", now);
        return null;
    }

    /// <summary>The <c>reason</c> when staff below the request's escalation level try to take it up.</summary>
    public const string BelowEscalationLevel = "belowEscalationLevel";

    /// <summary>
    /// Whether <paramref name="actor"/> answers for the request at its current level: admins
    /// always; at level 0 any staff (the door has checked their scope); above it, staff whose
    /// place is the level's place or one above it on the request's ladder. An actor whose place
    /// is not known is refused above level 0.
    /// </summary>
    public bool MayAnswerAtLevel(Actor actor) =>
        actor.IsAdmin
        || EscalationLevel == 0
        || (actor.PlaceId is { } place && Ladder.IsAtOrAbove(place, EscalationLevel));

    /// <summary>The staff member a handover was offered to becomes the owner; the previous owner stays as a supervisor.</summary>
    public Failure? AcceptHandover(Actor actor, DateTimeOffset now)
    {
        if (HandoverTo != actor.Username)
        {
            return Failure.Forbidden("noHandover", "No handover of this request is waiting for you.");
        }

        if (IsFinal)
        {
            return WrongStatus("accept a handover of");
        }

        var previous = Owner!;
        Staff = Staff.HandedOver(actor.Username);
        Record(actor.Username, RequestAction.HandoverAccepted, Status, Status, $"from '{previous}'", now);
        return null;
    }

    /// <summary>Adds staff as supervisors (the staff of a level an owned request escalated to). False when none were new.</summary>
    public bool AddSupervisors(IEnumerable<string> staff, DateTimeOffset now)
    {
        Staff = Staff.WithSupervisors(staff, out var added);
        if (added.IsEmpty)
        {
            return false;
        }

        Record(SystemActor, RequestAction.SupervisorsAdded, Status, Status, string.Join(", ", added), now);
        return true;
    }

    /// <summary>The place at an escalation level: 0 the community, then one step up the path per level.</summary>
    public string PlaceAtLevel(int level) => Ladder.PlaceAt(level);

    private ClockEvent Escalate(Deadline deadline, DateTimeOffset now, string why)
    {
        Clock = Clock.Climbed(deadline.Due, Policy);
        var place = EscalationPlaceId;
        var owner = Owner is null ? "" : $"; owner '{Owner}'";
        Record(SystemActor, RequestAction.Escalated, Status, Status, $"{why}; level {EscalationLevel} ({place}){owner}", now);
        return new ClockEvent(deadline.Kind, EscalationLevel, place, null);
    }

    /// <summary>Starts the new stage's clock; moving forward ends the alert, falling back keeps it (<see cref="StageClock.Moved"/>).</summary>
    private void OnStatusChanged(RequestStatus from, DateTimeOffset clock) =>
        Clock = Clock.Moved(StageClock.StageOf(from), CurrentStage, clock);

    private static string StageName(Stage stage) => stage switch
    {
        Stage.Claim => "claim",
        Stage.Start => "start",
        Stage.Complete => "complete",
        _ => "verify",
    };
}
