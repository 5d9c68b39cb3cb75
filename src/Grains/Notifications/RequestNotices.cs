using System.Collections.Immutable;
using Dispatch.Requests;

namespace Dispatch.Notifications;

/// <summary>
/// Who a request's change concerns, as notices: decided from the history entry the change
/// appended and the request as the change left it. The rules, in one place:
/// <list type="bullet">
/// <item>an offer → the offered volunteer;</item>
/// <item>a claim or an accepted offer → the request's owner (first-responder ownership), unless they made it;</item>
/// <item>a verification, a rejected or overturned one → each claimant; a verification also tells each what they earned;</item>
/// <item>an escalation → the staff of the place it reached;</item>
/// <item>a handover → the staff member it is handed to;</item>
/// <item>a resident's "not done" or "unsatisfied" → the request's owner, or the staff of its community while nobody owns it.</item>
/// </list>
/// A notice names the request by its title, never its beneficiary or their contact, nor a note
/// anyone wrote (a note may quote a phone number).
/// </summary>
public static class RequestNotices
{
    public static IEnumerable<PendingNotice> For(ServiceRequest request, HistoryEntry entry)
    {
        switch (entry.Action)
        {
            case RequestAction.Offered when request.Offer is { } offer:
                yield return To(offer.Volunteer, request, entry, NoticeKind.Offered, n => n with { Until = offer.ExpiresAt });
                break;

            case RequestAction.Claimed or RequestAction.OfferAccepted
                when request.Owner is { } owner && !string.Equals(owner, entry.Actor, StringComparison.Ordinal):
                yield return To(owner, request, entry, NoticeKind.Claimed);
                break;

            case RequestAction.Verified:
                foreach (var claimant in request.Claimants)
                {
                    yield return To(claimant, request, entry, NoticeKind.Verified);
                }

                foreach (var (volunteer, amount) in Participation.Shares(request.Award, request.Claims, request.Participants))
                {
                    if (amount > 0)
                    {
                        yield return To(volunteer, request, entry, NoticeKind.PointsEarned, n => n with { Amount = amount });
                    }
                }

                break;

            case RequestAction.VerificationRejected:
                foreach (var claimant in request.Claimants)
                {
                    yield return To(claimant, request, entry, NoticeKind.VerificationRejected);
                }

                break;

            case RequestAction.VerificationOverturned:
                foreach (var claimant in request.Claimants)
                {
                    yield return To(claimant, request, entry, NoticeKind.VerificationOverturned);
                }

                break;

            case RequestAction.Escalated:
                var place = request.EscalationPlaceId;
                yield return new PendingNotice(null, place, Notice(request, entry, NoticeKind.Escalated, $"staff:{place}") with
                {
                    PlaceId = place,
                    Level = request.EscalationLevel,
                });
                break;

            case RequestAction.HandoverOffered when request.HandoverTo is { } to:
                yield return To(to, request, entry, NoticeKind.HandoverOffered);
                break;

            case RequestAction.ResidentReopened when request.Owner is { } owner:
                yield return To(owner, request, entry, NoticeKind.ResidentUnsatisfied);
                break;

            case RequestAction.ResidentReopened:
                var community = request.CommunityId;
                yield return new PendingNotice(null, community, Notice(request, entry, NoticeKind.ResidentUnsatisfied, $"staff:{community}"));
                break;
        }
    }

    private static PendingNotice To(string username, ServiceRequest request, HistoryEntry entry, NoticeKind kind, Func<InboxNotice, InboxNotice>? with = null)
    {
        var notice = Notice(request, entry, kind, username);
        return new(username, null, with is null ? notice : with(notice));
    }

    /// <summary>The key names the request, the history entry, the kind and the audience: one notice per change and person, however often delivered.</summary>
    private static InboxNotice Notice(ServiceRequest request, HistoryEntry entry, NoticeKind kind, string audience) => new(
        $"request:{request.Id:N}:{entry.Seq}:{kind}:{audience}", kind, entry.At, request.Title, request.CommunityId, request.Id, entry.Actor);
}

/// <summary>
/// A notice a grain decided and stored with the change that caused it, waiting for its inbox:
/// for <see cref="Username"/>, for every staff member of <see cref="StaffOf"/>, or for every contact
/// of the organisation <see cref="ContactsOf"/> (a unit's contacts, a department's accounts); the
/// staff and contacts are found when it is delivered.
/// </summary>
/// <param name="InboxOnly">
/// For the staff of a place only, not the place's robots, webhooks and alert e-mails: a notice
/// that concerns the place from below (its own alerts are those that reach it).
/// </param>
[GenerateSerializer, Immutable, Alias("Dispatch.PendingNotice")]
public sealed record PendingNotice(string? Username, string? StaffOf, InboxNotice Notice, bool InboxOnly = false, string? ContactsOf = null)
{
    public string Key => Notice.Key;
}

/// <summary>
/// Who a report-in (双报到) concerns while it waits: the staff of its community (and the
/// community's channels), and the staff of every place above it, whose scope holds it and who may
/// decide it too (their inbox only: their channels are for what reaches their own place). Names
/// the applicant, never their phone.
/// </summary>
public static class ApplicationNotices
{
    /// <param name="path">The community's path, root first, the community last (<see cref="Places.PlaceInfo.Path"/>).</param>
    public static ImmutableArray<PendingNotice> Waiting(Applications.ApplicationView application, IEnumerable<string> path, DateTimeOffset now) =>
    [
        .. path.Select(place => new PendingNotice(
            null,
            place,
            new InboxNotice(
                $"application:{application.Id}:submitted:staff:{place}", NoticeKind.ApplicationWaiting, now,
                application.Unit ?? application.Name, application.CommunityId, RequestId: null, By: application.Username, ApplicationId: application.Id),
            InboxOnly: place != application.CommunityId)),
    ];
}

/// <summary>Who a shop order concerns once staff hand it over: its buyer.</summary>
public static class ShopNotices
{
    public static PendingNotice Ready(Shop.ShopOrderView order, DateTimeOffset now) => new(
        order.Buyer,
        null,
        new InboxNotice(
            $"order:{order.Id}:fulfilled:{order.Buyer}", NoticeKind.OrderReady, now,
            order.ItemName, order.PlaceId, RequestId: null, By: order.FulfilledBy));
}
