using Dispatch.Notifications;

namespace Dispatch.UnitTests.Notifications;

/// <summary>One person's inbox: kept once per key, newest first, read and unread, bounded by age and count.</summary>
public sealed class NotificationsInboxTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private static InboxNotice Notice(string key, DateTimeOffset? at = null) =>
        new(key, NoticeKind.Offered, at ?? Now, $"Request {key}", "m1", Guid.NewGuid(), "staff");

    [Fact]
    public void A_notice_delivered_twice_is_kept_once()
    {
        var inbox = new Inbox();

        var first = inbox.Deliver([Notice("a"), Notice("b")]);
        var again = inbox.Deliver([Notice("b"), Notice("a")]);

        Assert.Equal([1L, 2L], first.Select(i => i.Id));
        Assert.Empty(again);
        Assert.Equal((2, 2), (inbox.Items.Length, inbox.Unread));
    }

    [Fact]
    public void Pages_are_newest_first_and_unread_filters()
    {
        var inbox = new Inbox();
        inbox.Deliver([.. Enumerable.Range(1, 5).Select(i => Notice($"n{i}"))]);
        Assert.True(inbox.MarkRead(5, Now).Changed);

        var first = inbox.Page(unreadOnly: false, page: 1, pageSize: 2);
        var third = inbox.Page(unreadOnly: false, page: 3, pageSize: 2);
        var unread = inbox.Page(unreadOnly: true, page: 1, pageSize: 10);

        Assert.Equal([5L, 4L], first.Items.Select(i => i.Id));
        Assert.Equal((5, 1, 4), (first.Total, first.Page, first.Unread));
        Assert.Equal([1L], third.Items.Select(i => i.Id));
        Assert.Equal([4L, 3L, 2L, 1L], unread.Items.Select(i => i.Id));
        Assert.Equal(4, unread.Total);
    }

    [Fact]
    public void Marking_read_again_changes_nothing_and_an_unknown_id_is_none()
    {
        var inbox = new Inbox();
        inbox.Deliver([Notice("a")]);

        var (read, changed) = inbox.MarkRead(1, Now);
        var (again, changedAgain) = inbox.MarkRead(1, Now.AddHours(1));

        Assert.True(changed);
        Assert.Equal((true, Now), (read!.Read, read.ReadAt));
        Assert.False(changedAgain);
        Assert.Equal(Now, again!.ReadAt);
        Assert.Equal((null, false), inbox.MarkRead(99, Now));
    }

    [Fact]
    public void Mark_all_read_answers_how_many_were_unread()
    {
        var inbox = new Inbox();
        inbox.Deliver([Notice("a"), Notice("b"), Notice("c")]);
        inbox.MarkRead(2, Now);

        Assert.Equal(2, inbox.MarkAllRead(Now));
        Assert.Equal(0, inbox.Unread);
        Assert.Equal(0, inbox.MarkAllRead(Now));
    }

    [Fact]
    public void Old_notices_leave_after_the_retention_and_the_oldest_beyond_the_capacity()
    {
        var inbox = new Inbox();
        inbox.Deliver([Notice("old", Now.AddDays(-91)), Notice("n1", Now.AddDays(-2)), Notice("n2", Now.AddDays(-1)), Notice("n3")]);

        Assert.True(inbox.Prune(Now, TimeSpan.FromDays(90), capacity: 2));

        Assert.Equal(["n2", "n3"], inbox.Items.Select(i => i.Key));
        Assert.False(inbox.Prune(Now, TimeSpan.FromDays(90), capacity: 2));

        // Ids keep counting: a new notice never takes a number an older one had.
        Assert.Equal(5L, Assert.Single(inbox.Deliver([Notice("n4")])).Id);
    }
}
