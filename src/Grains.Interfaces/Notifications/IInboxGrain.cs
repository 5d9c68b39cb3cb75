using System.Collections.Immutable;
using Orleans.Concurrency;

namespace Dispatch.Notifications;

/// <summary>A web host's receiver of the changes of the inboxes its connections watch.</summary>
public interface IInboxObserver : IGrainObserver
{
    [OneWay]
    Task OnInboxChanged(InboxChange change);
}

/// <summary>
/// One person's inbox, keyed by <see cref="InboxKeys.Inbox"/>: the notices the grains decided for
/// them, kept for a while (90 days by default) and bounded, read or unread.
/// </summary>
public interface IInboxGrain : IGrainWithStringKey
{
    /// <summary>
    /// Stores the notices whose keys it does not hold yet, then answers: a notice delivered again
    /// (a retry after a lost answer) is kept once. Throws when the write fails: nothing is confirmed.
    /// </summary>
    Task Deliver(ImmutableArray<InboxNotice> notices);

    /// <summary>A page (from 1) of the notices, newest first; only the unread ones with <paramref name="unreadOnly"/>.</summary>
    Task<InboxPage> List(bool unreadOnly, int page, int pageSize);

    /// <summary>Marks one notice read; null when the inbox holds no notice with that id.</summary>
    Task<InboxItem?> MarkRead(long id);

    /// <summary>
    /// The person's phone says the notice <paramref name="id"/> arrived on it (the app acknowledges
    /// each notice its live connection brings). For an offer, the request's offer clock restarts
    /// from now (<see cref="Requests.IRequestGrain.ConfirmOfferReached"/>); other kinds need nothing.
    /// Answers false when the inbox holds no notice with that id. A repeat changes nothing.
    /// </summary>
    Task<bool> Received(long id);

    /// <summary>Marks every notice read; answers how many were unread.</summary>
    Task<int> MarkAllRead();

    /// <summary>Starts (or renews) pushing changes to a host; a subscription lapses unless renewed.</summary>
    Task<int> Subscribe(IInboxObserver observer);

    Task Unsubscribe(IInboxObserver observer);

    /// <summary>The person's own channels (e-mail, phone for SMS, which notices go out beyond the inbox) and whether this server sends e-mail and SMS at all.</summary>
    Task<PersonChannelsView> GetChannels();

    /// <summary>The person's own e-mails and text messages: those still waiting and the latest finished (50 at most), newest first.</summary>
    Task<ImmutableArray<Delivery>> Deliveries();

    /// <summary>Replaces the person's channels (<see cref="ChannelRules.Apply(PersonChannels)"/>) and answers them as <see cref="GetChannels"/> does; every field at fault, with nothing changed.</summary>
    Task<ChannelsResult<PersonChannelsView>> SetChannels(PersonChannels channels);
}

/// <summary>The inbox grain's key: a prefixed username (see GrainKeys on why keys carry a prefix).</summary>
public static class InboxKeys
{
    public const string InboxPrefix = "inbox:";

    public static string Inbox(string username) => InboxPrefix + username;
}
