using System.Collections.Immutable;

namespace Dispatch.Notifications;

/// <summary>
/// One person's notices as plain C#: the inbox grain holds one as its state and stores it after
/// every change. Notices are numbered in arrival order and kept once per key; the oldest go when
/// they are older than the retention or when the inbox is over its capacity.
/// </summary>
[GenerateSerializer, Alias("Dispatch.Inbox")]
public sealed class Inbox
{
    /// <summary>Oldest first.</summary>
    [Id(0)] public ImmutableArray<InboxItem> Items { get; private set; } = [];

    [Id(1)] public long LastId { get; private set; }

    public int Unread => Items.Count(i => !i.Read);

    /// <summary>Adds the notices whose key it does not hold; answers the items added (none for a repeat).</summary>
    public ImmutableArray<InboxItem> Deliver(IEnumerable<InboxNotice> notices)
    {
        var held = Items.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        var added = ImmutableArray.CreateBuilder<InboxItem>();
        foreach (var notice in notices)
        {
            if (held.Add(notice.Key))
            {
                added.Add(InboxItem.From(++LastId, notice));
            }
        }

        Items = Items.AddRange(added);
        return added.ToImmutable();
    }

    /// <summary>Drops notices older than <paramref name="retention"/>, then the oldest beyond <paramref name="capacity"/>; true when any went.</summary>
    public bool Prune(DateTimeOffset now, TimeSpan retention, int capacity)
    {
        var cutoff = now - retention;
        var kept = Items.RemoveAll(i => i.At < cutoff);
        if (kept.Length > capacity)
        {
            kept = kept.RemoveRange(0, kept.Length - capacity);
        }

        if (kept.Length == Items.Length)
        {
            return false;
        }

        Items = kept;
        return true;
    }

    /// <summary>A page (from 1) newest first; only unread ones with <paramref name="unreadOnly"/>.</summary>
    public InboxPage Page(bool unreadOnly, int page, int pageSize)
    {
        var matching = Items.Reverse().Where(i => !unreadOnly || !i.Read).ToList();
        var items = matching.Skip((page - 1) * pageSize).Take(pageSize).ToImmutableArray();
        return new InboxPage(items, matching.Count, page, Unread);
    }

    /// <summary>Marks one notice read at <paramref name="now"/>: the item as it stands, or null when there is none with that id. Marking it again changes nothing.</summary>
    public (InboxItem? Item, bool Changed) MarkRead(long id, DateTimeOffset now)
    {
        var index = -1;
        for (var i = 0; i < Items.Length && index < 0; i++)
        {
            index = Items[i].Id == id ? i : -1;
        }

        if (index < 0)
        {
            return (null, false);
        }

        var item = Items[index];
        if (item.Read)
        {
            return (item, false);
        }

        var read = item with { ReadAt = now };
        Items = Items.SetItem(index, read);
        return (read, true);
    }

    /// <summary>Marks every notice read; answers how many were unread.</summary>
    public int MarkAllRead(DateTimeOffset now)
    {
        var unread = Unread;
        if (unread > 0)
        {
            Items = [.. Items.Select(i => i.Read ? i : i with { ReadAt = now })];
        }

        return unread;
    }
}
