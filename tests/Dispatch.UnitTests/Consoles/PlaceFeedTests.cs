using Dispatch.Consoles;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Consoles;

public sealed class PlaceFeedTests
{
    private const long Start = 1_000;

    [Fact]
    public void Each_newer_summary_is_the_next_number_and_older_or_repeated_ones_are_not_numbered()
    {
        var feed = new PlaceFeed("t1", Start);
        var request = Given.OpenWish();
        var created = request.ToSummary();
        request.ApplyClaim("li.na", Given.Morning);
        var claimed = request.ToSummary();

        Assert.Equal(Start + 1, feed.Apply(created, Given.Morning)!.Seq);
        Assert.Null(feed.Apply(created, Given.Morning));
        Assert.Equal(Start + 2, feed.Apply(claimed, Given.Morning)!.Seq);
        Assert.Null(feed.Apply(created, Given.Morning)); // Late and older: ignored.
        Assert.Equal(Start + 2, feed.Seq);
        Assert.Equal(1, feed.Counters.Claimed);
        Assert.Equal(0, feed.Counters.Open);
    }

    [Fact]
    public void Since_returns_exactly_the_missed_changes_or_null_when_they_are_gone_or_unknown()
    {
        var feed = new PlaceFeed("m1", Start, capacity: 3);
        for (var i = 0; i < 5; i++)
        {
            feed.Apply(Given.OpenWish().ToSummary(), Given.Morning);
        }

        Assert.Equal([Start + 4, Start + 5], feed.Since(Start + 3)!.Value.Select(e => e.Seq));
        Assert.Equal([Start + 3, Start + 4, Start + 5], feed.Since(Start + 2)!.Value.Select(e => e.Seq));
        Assert.Empty(feed.Since(Start + 5)!.Value);
        Assert.Null(feed.Since(Start + 1));   // Start + 2 is no longer kept.
        Assert.Null(feed.Since(Start + 99));  // A number this feed never gave.
        Assert.Null(feed.Since(7));           // A number from an earlier activation.
    }

    [Fact]
    public void Counters_follow_statuses_overdue_and_volunteers_per_community()
    {
        var feed = new PlaceFeed("t1", Start);
        var open = Given.OpenWish();
        var claimed = Given.ClaimedBy(Given.Wish(), "li.na");
        feed.Apply(open.ToSummary(), Given.Morning);
        feed.Apply(claimed.ToSummary(), Given.Morning);
        feed.Apply(claimed.ToSummary() with { Version = claimed.Version + 1, Overdue = true }, Given.Morning);

        Assert.NotNull(feed.ApplyVolunteers("m1", 3, Given.Morning));
        Assert.NotNull(feed.ApplyVolunteers("m2", 4, Given.Morning));
        Assert.Null(feed.ApplyVolunteers("m2", 4, Given.Morning));

        Assert.Equal(new PlaceCounters(1, 1, 0, 0, 0, 0, 1, 7, 0, 0, 0), feed.Counters);
        var snapshot = feed.Snapshot();
        Assert.Equal(2, snapshot.Requests.Length);
        Assert.Equal(claimed.Id, Assert.Single(snapshot.Alerts).Id);
        Assert.Equal(feed.Seq, snapshot.Seq);
    }

    [Fact]
    public void A_rebuilt_feed_counts_what_it_loads_without_numbering_it()
    {
        var live = new PlaceFeed("t1", Start);
        for (var i = 0; i < 4; i++)
        {
            live.Apply(Given.OpenWish().ToSummary(), Given.Morning);
        }

        live.ApplyVolunteers("m1", 2, Given.Morning);
        var rebuilt = new PlaceFeed("t1", Start + 100);
        rebuilt.Load(live.Export());

        Assert.Equal(live.Counters, rebuilt.Counters);
        Assert.Equal(Start + 100, rebuilt.Seq);
        Assert.Null(rebuilt.Since(live.Seq)); // The old numbers mean nothing here: a console gets a snapshot.
    }

    [Fact]
    public void Finished_requests_count_but_leave_the_snapshot()
    {
        var feed = new PlaceFeed("m1", Start);
        var request = Given.ClaimedBy(Given.Wish(), "li.na");
        Assert.Null(request.Cancel(Given.GridWorker, "Withdrawn", Given.Morning));
        feed.Apply(request.ToSummary(), Given.Morning);

        Assert.Equal(1, feed.Counters.Cancelled);
        Assert.Empty(feed.Snapshot().Requests);
    }

    [Fact]
    public void An_escalation_is_an_alert()
    {
        var feed = new PlaceFeed("m1", Start);
        var request = Given.OpenWish();
        Assert.False(feed.Apply(request.ToSummary(), Given.Morning)!.IsAlert);
        request.Advance(Given.Morning.AddDays(2));
        Assert.True(feed.Apply(request.ToSummary(), Given.Morning)!.IsAlert);
    }
}
