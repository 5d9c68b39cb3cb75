using System.Collections.Immutable;
using Dispatch.Notifications;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Requests;

/// <summary>The small records a request keeps over its stored fields: releases, contact reads, its staff, its notices.</summary>
public sealed class RequestRecordsTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void A_release_cools_its_volunteer_down_for_the_span_and_nobody_else()
    {
        var log = new ReleaseLog([]).With("a", Given.Morning);

        Assert.True(log.CoolingDown("a", Given.Morning + Hour - TimeSpan.FromTicks(1), Hour));
        Assert.False(log.CoolingDown("a", Given.Morning + Hour, Hour));
        Assert.False(log.CoolingDown("b", Given.Morning, Hour));
        Assert.False(log.CoolingDown("a", Given.Morning, TimeSpan.Zero));
    }

    [Fact]
    public void A_release_log_keeps_each_volunteers_latest_release_and_forgets_the_oldest_beyond_its_bound()
    {
        var log = new ReleaseLog([]).With("a", Given.At(0)).With("b", Given.At(1)).With("a", Given.At(2));

        Assert.Equal([("b", Given.At(1)), ("a", Given.At(2))], log.Releases.Select(r => (r.Volunteer, r.At)));

        var full = Enumerable.Range(0, ReleaseLog.Kept).Aggregate(new ReleaseLog([]), (l, i) => l.With($"v{i}", Given.At(i)));
        var next = full.With("late", Given.At(ReleaseLog.Kept));

        Assert.Equal(ReleaseLog.Kept, next.Releases.Length);
        Assert.Equal(("v1", "late"), (next.Releases[0].Volunteer, next.Releases[^1].Volunteer));
    }

    [Fact]
    public void A_contact_read_is_noted_once_within_its_span()
    {
        var log = new ContactReadLog([]).Note("doctor1", Given.Morning)!.Value;

        Assert.Null(log.Note("doctor1", Given.Morning + RequestLimits.ContactReadSpan - TimeSpan.FromTicks(1)));
        Assert.Equal(2, log.Note("doctor2", Given.Morning)!.Value.Reads.Length);
        Assert.Equal(2, log.Note("doctor1", Given.Morning + RequestLimits.ContactReadSpan)!.Value.Reads.Length);
    }

    [Fact]
    public void A_contact_read_log_keeps_the_latest_reads()
    {
        ImmutableArray<ContactRead> reads = [.. Enumerable.Range(0, RequestLimits.ContactReadsKept).Select(i => new ContactRead($"r{i}", Given.Morning))];

        var noted = new ContactReadLog(reads).Note("new", Given.Morning)!.Value;

        Assert.Equal(RequestLimits.ContactReadsKept, noted.Reads.Length);
        Assert.Equal(("r1", "new"), (noted.Reads[0].By, noted.Reads[^1].By));
    }

    [Fact]
    public void The_first_to_take_a_request_up_owns_it_and_the_others_supervise_once_each()
    {
        var none = new Ownership(null, [], null);

        var (owned, first) = none.TakeUp("grid.wang");
        var (supervised, second) = owned.TakeUp("town.zhao");
        var (again, third) = supervised.TakeUp("town.zhao");

        Assert.Equal(("owner", "supervisor", "supervisor"), (first, second, third));
        Assert.Equal("grid.wang", again.Owner);
        Assert.Equal<string>(["town.zhao"], again.Supervisors);
        Assert.Equal((true, true, false), (again.Holds("grid.wang"), again.Holds("town.zhao"), again.Holds("other")));
        Assert.Equal(("owner", again), (again.TakeUp("grid.wang").Role, again.TakeUp("grid.wang").Ownership));
    }

    [Fact]
    public void Supervisors_are_added_in_order_once_each_and_never_the_owner()
    {
        var ownership = new Ownership("grid.wang", ["a"], null);

        var added = ownership.WithSupervisors(["grid.wang", "a", "b", "c", "b"], out var newOnes);

        Assert.Equal<string>(["b", "c"], newOnes);
        Assert.Equal<string>(["a", "b", "c"], added.Supervisors);
        Assert.Equal(ownership, ownership.WithSupervisors(["a", "grid.wang"], out var none));
        Assert.Empty(none);
    }

    [Fact]
    public void A_handover_makes_the_receiver_owner_and_keeps_the_previous_owner_as_supervisor()
    {
        var ownership = new Ownership("grid.wang", ["town.zhao", "a"], HandoverTo: "town.zhao");

        var handed = ownership.HandedOver("town.zhao");

        Assert.Equal(("town.zhao", (string?)null), (handed.Owner, handed.HandoverTo));
        Assert.Equal<string>(["a", "grid.wang"], handed.Supervisors);
    }

    [Fact]
    public void The_notice_outbox_keeps_the_newest_and_forgets_what_the_inboxes_confirmed()
    {
        var full = new NoticeOutbox([]).Add([.. Enumerable.Range(0, NoticeOutbox.Kept).Select(Notice)]);

        var over = full.Add([Notice(NoticeOutbox.Kept), Notice(NoticeOutbox.Kept + 1)]);

        Assert.Equal(NoticeOutbox.Kept, over.Notices.Length);
        Assert.Equal(("n2", $"n{NoticeOutbox.Kept + 1}"), (over.Notices[0].Key, over.Notices[^1].Key));
        Assert.Null(over.Confirm(["n0", "unknown"]));
        Assert.Equal(NoticeOutbox.Kept - 2, over.Confirm(["n2", "n3", "unknown"])!.Value.Notices.Length);
        Assert.Single(new NoticeOutbox(default).Add([Notice(0)]).Notices);
    }

    [Theory]
    [InlineData(null, "town.zhao,li.ming")]
    [InlineData("  ", "town.zhao,li.ming")]
    [InlineData(" ZHAO ", "town.zhao")]
    [InlineData("ming", "li.ming")]
    [InlineData("李", "li.ming")]
    [InlineData("wang", "")]
    public void The_handover_picker_offers_others_than_the_asker_matching_name_or_username(string? text, string expected)
    {
        ImmutableArray<HandoverReceiver> receivers =
        [
            new("grid.wang", "Wang", "m", "Community"),
            new("town.zhao", "Zhao", "t", "Town"),
            new("li.ming", "李明", "t", "Town"),
        ];

        var matching = RequestLookups.Matching(receivers, asker: "grid.wang", text);

        Assert.Equal(expected, string.Join(",", matching.Select(r => r.Username)));
    }

    private static PendingNotice Notice(int i) =>
        new("li.na", null, new InboxNotice($"n{i}", NoticeKind.Offered, Given.Morning, "Cup", "m", Guid.Empty, "grid.wang"));
}
