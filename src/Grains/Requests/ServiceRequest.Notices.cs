using System.Collections.Immutable;
using Dispatch.Notifications;

namespace Dispatch.Requests;

/// <summary>
/// Notices for people's inboxes, kept as an outbox like the points: decided by
/// <see cref="RequestNotices"/> from each history entry a change appends, stored in the same write
/// as the change, delivered by the grain afterwards and dropped once an inbox confirmed them. Keys
/// are fixed by the history entry, and an inbox keeps a key once, so a retry is delivered once.
/// </summary>
public sealed partial class ServiceRequest
{
    /// <summary>The most notices waiting here: while the inboxes stay unreachable the oldest give way (a request's own work never waits for them).</summary>
    public const int PendingNoticesKept = NoticeOutbox.Kept;

    /// <summary>Notices decided but not yet confirmed by their inboxes, oldest first.</summary>
    [Id(60)] public ImmutableArray<PendingNotice> PendingNotices { get; private set; } = [];

    /// <summary>Postings, hours or notices still wait for a ledger, an hours record or an inbox: the grain wakes to try again.</summary>
    public bool HasUndelivered => !PendingPostings.IsDefaultOrEmpty || !PendingHours.IsDefaultOrEmpty || !PendingNotices.IsDefaultOrEmpty;

    /// <summary>Removes the notices their inboxes confirmed. False when none of them were pending.</summary>
    public bool MarkNoticesDelivered(IEnumerable<string> keys)
    {
        if (new NoticeOutbox(PendingNotices).Confirm(keys) is not { } remaining)
        {
            return false;
        }

        PendingNotices = remaining.Notices;
        return true;
    }

    /// <summary>Adds the notices the entry just recorded gives rise to.</summary>
    private void DecideNotices(HistoryEntry entry)
    {
        var decided = RequestNotices.For(this, entry).ToImmutableArray();
        if (decided.IsEmpty)
        {
            return;
        }

        PendingNotices = new NoticeOutbox(PendingNotices).Add(decided).Notices;
    }
}
