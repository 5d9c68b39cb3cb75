using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Points;

namespace Dispatch.Requests;

/// <summary>What staff do to a request from the desk besides its lifecycle: edit it while no one has it, release a no-show.</summary>
public sealed partial class ServiceRequest
{
    /// <summary>
    /// Staff change the title, description, categories or urgency of a request that nobody has
    /// claimed or been offered yet: what a volunteer said yes to never changes under them. A new
    /// urgency brings the deadlines of its <paramref name="policy"/> and its points
    /// <paramref name="award"/> with the scheme rule that set it, <paramref name="awardRule"/> (null:
    /// none; all as at creation). An edit that changes nothing records nothing.
    /// </summary>
    public Failure? Edit(
        Actor actor, RequestEdit edit, DateTimeOffset now, EscalationPolicy? policy = null, int? award = null, PostingRule? awardRule = null)
    {
        ArgumentNullException.ThrowIfNull(edit);
        if (!actor.IsStaff)
        {
            return StaffOnly("edit");
        }

        if (!IsFinal && (!Claims.IsEmpty || Offer is not null))
        {
            return Failure.Conflict("alreadyTaken", "A volunteer holds or has been offered this request: cancel it and publish a new one instead.");
        }

        if (Status != RequestStatus.Open)
        {
            return WrongStatus("edit");
        }

        var errors = edit.Validate();
        if (!errors.IsEmpty)
        {
            var (field, messages) = errors.ToDictionary().First();
            return Failure.Invalid(field, messages[0]);
        }

        var changed = new List<string>();
        if (edit.Title is { } title && title.Trim() != Title)
        {
            Title = title.Trim();
            changed.Add("title");
        }

        if (edit.Description is { } text && (string.IsNullOrWhiteSpace(text) ? null : text.Trim()) is var description && description != Description)
        {
            Description = description;
            changed.Add("description");
        }

        if (edit.Categories is { } given
            && given.Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToImmutableArray() is var categories
            && !categories.SequenceEqual(Categories, StringComparer.Ordinal))
        {
            Categories = categories;
            changed.Add("categories");
        }

        if (edit.Urgency is { } urgency && urgency != Urgency)
        {
            Urgency = urgency;
            Policy = policy ?? Policy;
            if (award is { } points)
            {
                Award = points;
                AwardRule = awardRule;
            }

            changed.Add("urgency");
        }

        if (changed.Count > 0)
        {
            Record(actor.Username, RequestAction.Edited, Status, Status, string.Join(", ", changed), now);
        }

        return null;
    }

    /// <summary>
    /// Gives back <paramref name="volunteer"/>'s place: a claimant their own (as <see cref="Release(Actor, DateTimeOffset)"/>),
    /// staff anyone's, with a <paramref name="reason"/> on record (a no-show). The volunteer's
    /// reclaim cool-down starts as if they had released it themselves.
    /// </summary>
    public Failure? Release(Actor actor, string volunteer, string? reason, DateTimeOffset now)
    {
        if (!actor.IsStaff)
        {
            return volunteer == actor.Username ? Release(actor, now) : NotClaimant(actor);
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Failure.Invalid("reason", "'reason' is required when staff release a volunteer's claim.");
        }

        if (!IsClaimant(volunteer))
        {
            return Failure.Invalid("volunteer", $"'{volunteer}' does not hold a claim on this request.");
        }

        if (Status is not (RequestStatus.Open or RequestStatus.Claimed or RequestStatus.InProgress))
        {
            return WrongStatus("release");
        }

        RemoveClaim(volunteer, RequestAction.Released, actor.Username, reason.Trim(), now, clock: now);
        Releases = new ReleaseLog(Releases).With(volunteer, now).Releases;
        return null;
    }
}
