using System.Collections.Immutable;
using Dispatch.Notifications;

namespace Dispatch.Requests;

/// <summary>
/// The notices a request owes people's inboxes, oldest first (<see cref="ServiceRequest.PendingNotices"/>,
/// as stored): bounded, so while the inboxes stay unreachable the oldest give way.
/// </summary>
public readonly record struct NoticeOutbox(ImmutableArray<PendingNotice> Notices)
{
    /// <summary>The most notices kept waiting: a request's own work never waits for its inboxes.</summary>
    public const int Kept = 256;

    /// <summary>The outbox with <paramref name="decided"/> added last, the oldest dropped beyond <see cref="Kept"/>.</summary>
    public NoticeOutbox Add(ImmutableArray<PendingNotice> decided)
    {
        var pending = (Notices.IsDefault ? [] : Notices).AddRange(decided);
        return new(pending.Length > Kept ? pending.RemoveRange(0, pending.Length - Kept) : pending);
    }

    /// <summary>The outbox without the notices their inboxes confirmed; null when none of them were in it.</summary>
    public NoticeOutbox? Confirm(IEnumerable<string> keys)
    {
        var delivered = keys.ToHashSet(StringComparer.Ordinal);
        var remaining = Notices.RemoveAll(n => delivered.Contains(n.Key));
        return remaining.Length == Notices.Length ? null : new NoticeOutbox(remaining);
    }
}
