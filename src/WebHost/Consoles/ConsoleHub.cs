using Dispatch.Common;
using Dispatch.Consoles;
using Dispatch.Notifications;
using Dispatch.Places;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Inbox;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.WebHost.Consoles;

/// <summary>
/// The live console hub at <c>/hubs/console</c>. A console watches places inside its scope: it
/// gets a snapshot, then <c>requestChanged</c>, <c>countersChanged</c> and <c>alertRaised</c> for
/// the place and everything below it, each numbered by the place's <c>seq</c>.
/// </summary>
[Authorize]
public sealed class ConsoleHub(ConsoleFanout fanout, ScopeGuard scope, IGrainFactory grains, InboxFanout inbox) : Hub
{
    public const string Path = "/hubs/console";

    /// <summary>Starts watching a place: the snapshot, then its events (those with seq ≤ the snapshot's are already in it).</summary>
    public async Task<FeedSnapshot> Watch(string placeId)
    {
        await Authorize(placeId);
        await fanout.Watch(Context.ConnectionId, placeId);
        return await Feed(placeId).Snapshot();
    }

    /// <summary>After a reconnect: the events missed since <paramref name="sinceSeq"/>, or a fresh snapshot when they are no longer kept.</summary>
    public async Task<FeedCatchUp> Resume(string placeId, long sinceSeq)
    {
        await Authorize(placeId);
        await fanout.Watch(Context.ConnectionId, placeId);
        return await Feed(placeId).Since(sinceSeq);
    }

    public Task Unwatch(string placeId) => fanout.Unwatch(Context.ConnectionId, placeId);

    /// <summary>
    /// Starts getting the caller's own inbox live: <c>inboxChanged</c> ({username, item, unread}) on
    /// every new notice (item set) or read mark (item null). Answers the unread count now.
    /// </summary>
    public Task<int> WatchInbox() => inbox.Watch(Context.ConnectionId, Context.User!.Caller().Username);

    /// <summary>
    /// The volunteer app acknowledges each notice its live connection brought: the phone has it.
    /// Only the caller's own inbox is named, so nobody confirms for another. An offer's answer time
    /// then counts from now.
    /// </summary>
    public Task<bool> NoticeReceived(long id) =>
        grains.GetGrain<IInboxGrain>(InboxKeys.Inbox(Context.User!.Caller().Username)).Received(id);

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await fanout.Disconnected(Context.ConnectionId);
        await inbox.Disconnected(Context.ConnectionId);
    }

    /// <summary>Staff watch places inside their scope (admins anything); volunteers their own community.</summary>
    private async Task Authorize(string placeId)
    {
        switch ((await scope.WatchedPlace(Context.User!.Caller(), placeId)).Failure?.Kind)
        {
            case FailureKind.NotFound:
                throw new HubException($"notFound: place '{placeId}' does not exist.");
            case { } refused:
                throw new HubException($"forbidden: place '{placeId}' is outside your scope.");
        }
    }

    private IPlaceFeedGrain Feed(string placeId) => grains.GetGrain<IPlaceFeedGrain>(GrainKeys.Feed(placeId));
}
