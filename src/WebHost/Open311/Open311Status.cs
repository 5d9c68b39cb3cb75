using System.Collections.Immutable;
using Dispatch.Escalation;
using Dispatch.Requests;

namespace Dispatch.WebHost.Open311;

/// <summary>One status change as the mySociety <c>servicerequestupdates</c> extension lists it.</summary>
/// <param name="UpdateId">Stable and unique: the request's id and the history entry's number.</param>
public sealed record Open311Update(string UpdateId, Guid RequestId, string Status, DateTimeOffset At, string Description);

/// <summary>
/// How a request reads to the person who filed it: GeoReport's two statuses and notes in their
/// terms. Notes are composed from the status and the actions only, never from staff's or
/// volunteers' free text, which may name people.
/// </summary>
public static class Open311Status
{
    public const string Open = "open";
    public const string Closed = "closed";

    /// <summary>Open from open to completed; closed once verified or cancelled.</summary>
    public static string Of(RequestStatus status) => status.IsFinal() ? Closed : Open;

    /// <summary>The place kind an escalation level reaches: 0 community, 1 town, 2 county, 3 region.</summary>
    public static string LevelName(int level) => level switch
    {
        <= 0 => "community",
        1 => "town",
        2 => "county",
        _ => "region",
    };

    /// <summary>The current state in the submitter's terms (GeoReport's <c>status_notes</c>).</summary>
    public static string Note(RequestView request)
    {
        var taken = request.Claims.Sum(c => c.PlaceCount);
        var note = request.Status switch
        {
            RequestStatus.Cancelled => "Cancelled by staff.",
            RequestStatus.Verified => "Done, and the work was verified.",
            RequestStatus.Completed => "Reported done by the volunteer; waiting for staff to verify it.",
            RequestStatus.InProgress => "A volunteer is working on it.",
            RequestStatus.Claimed when request.Places > 1 => $"All {request.Places} places claimed by volunteers.",
            RequestStatus.Claimed => "Claimed by a volunteer.",
            _ when taken > 0 => $"{taken} of {request.Places} places claimed by volunteers.",
            _ when request.Offer is not null => "Offered to a volunteer; waiting for their answer.",
            _ => "Waiting for a volunteer.",
        };

        if (request.Status.IsFinal())
        {
            return note;
        }

        if (request.EscalationLevel > 0)
        {
            note += $" Escalated to the {LevelName(request.EscalationLevel)}.";
        }

        return request.Owner is null ? note : note + " Staff have taken it up.";
    }

    /// <summary>
    /// The request's history as status updates for the submitter: the changes they care about
    /// (claims, work, verification, cancellation, escalation, staff taking it up), not the
    /// dispatching and handovers behind the scenes.
    /// </summary>
    public static ImmutableArray<Open311Update> Updates(Guid requestId, IEnumerable<HistoryEntry> history)
    {
        var updates = ImmutableArray.CreateBuilder<Open311Update>();
        var escalations = 0;
        foreach (var entry in history.OrderBy(e => e.Seq))
        {
            if (entry.Action == RequestAction.Escalated)
            {
                escalations++;
            }

            if (UpdateNote(entry.Action, Math.Min(escalations, RequestLimits.MaxEscalationLevel)) is { } note)
            {
                updates.Add(new Open311Update($"{requestId:N}-{entry.Seq}", requestId, Of(entry.To), entry.At, note));
            }
        }

        return updates.ToImmutable();
    }

    /// <summary>The note of one history action, or null for an action that is not news to the submitter.</summary>
    public static string? UpdateNote(RequestAction action, int level) => action switch
    {
        RequestAction.Claimed or RequestAction.OfferAccepted => "Claimed by a volunteer.",
        RequestAction.Released => "The volunteer gave it back; waiting for a volunteer again.",
        RequestAction.ClaimExpired => "A claim lapsed; waiting for a volunteer again.",
        RequestAction.Started => "A volunteer is working on it.",
        RequestAction.Completed => "Reported done by the volunteer; waiting for staff to verify it.",
        RequestAction.Verified => "Done, and the work was verified.",
        RequestAction.VerificationRejected => "Staff did not accept the work as done; it continues.",
        RequestAction.VerificationOverturned => "Staff reopened the verified work; it continues.",
        RequestAction.Cancelled => "Cancelled by staff.",
        RequestAction.Escalated => $"Escalated to the {LevelName(level)}.",
        RequestAction.Acknowledged => "Taken up by staff.",
        RequestAction.ResidentReopened => "The resident says it is not done or is unsatisfied; staff review it.",
        _ => null,
    };

    /// <summary>When the current stage is due (GeoReport's <c>expected_datetime</c>); none once overdue or finished.</summary>
    public static DateTimeOffset? Expected(RequestView request) =>
        request.Deadlines.FirstOrDefault(d => d.Kind == DeadlineKind.Stage)?.Due;
}
