using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Organisations;
using Dispatch.Places;

namespace Dispatch.Notifications;

/// <summary>
/// Hands waiting notices to their inboxes (a place's to each of its staff, an organisation's to each
/// of its contacts, found now), for any
/// grain that keeps them in its state until delivered. Answers the keys every inbox stored; a
/// failure is reported to <paramref name="failed"/> and its notices stay for the next attempt.
/// </summary>
public static class NoticeDelivery
{
    public static async Task<List<string>> Deliver(IGrainFactory grains, IEnumerable<PendingNotice> pending, Action<Exception, string> failed)
    {
        var delivered = new List<string>();
        foreach (var audience in pending.GroupBy(n => (n.Username, n.StaffOf, n.ContactsOf, n.InboxOnly)))
        {
            var notices = audience.Select(n => n.Notice).ToImmutableArray();
            try
            {
                ImmutableArray<string> recipients = audience.Key switch
                {
                    { Username: { } username } => [username],
                    { ContactsOf: { } organisation } => await grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(organisation)).GetContacts(),
                    _ => await grains.GetGrain<IPlaceGrain>(GrainKeys.Place(audience.Key.StaffOf!)).GetStaff(),
                };
                foreach (var recipient in recipients)
                {
                    await grains.GetGrain<IInboxGrain>(InboxKeys.Inbox(recipient)).Deliver(notices);
                }

                // A place's alerts also go to its robots, webhooks and e-mails: stored there with
                // their deliveries before the notice is let go, like the inboxes.
                if (audience.Key is { StaffOf: { } place, InboxOnly: false })
                {
                    await grains.GetGrain<IPlaceChannelsGrain>(ChannelKeys.Place(place)).Alert(notices);
                }

                delivered.AddRange(notices.Select(n => n.Key));
            }
            catch (Exception exception)
            {
                failed(exception, $"deliver {notices.Length} notice(s) to {audience.Key.Username ?? (audience.Key.ContactsOf is { } contacts ? "the contacts of " + contacts : "the staff of " + audience.Key.StaffOf)}");
            }
        }

        return delivered;
    }
}
