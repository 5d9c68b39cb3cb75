using Dispatch.Requests;
using static Dispatch.UnitTests.Support.Given;

namespace Dispatch.UnitTests.Requests;

/// <summary>
/// Issue #16, item 3 (second half): a request keeps its latest history entries only, and drops
/// none the query store has not confirmed (so a crash between the two loses nothing).
/// </summary>
public sealed class BoundedHistoryTests
{
    /// <summary>A wish claimed and released by turns until its history holds <paramref name="entries"/> entries.</summary>
    private static ServiceRequest WithEntries(int entries)
    {
        var request = OpenWish();
        for (var i = 0; request.Version < entries; i++)
        {
            if (request.Claims.IsEmpty)
            {
                request.ApplyClaim("li.na", At(i));
            }
            else
            {
                Assert.Null(request.Release(Volunteer("li.na"), At(i)));
            }
        }

        return request;
    }

    [Fact]
    public void A_request_keeps_100_entries_by_default()
    {
        Assert.Equal(100, new RequestOptions().HistoryKept);
        Assert.True(new RequestOptions().IsValid());
        Assert.False(new RequestOptions { HistoryKept = RequestOptions.MinHistoryKept - 1 }.IsValid());
        Assert.False(new RequestOptions { HistoryKept = RequestOptions.MaxHistoryKept + 1 }.IsValid());
    }

    [Fact]
    public void Trimming_is_due_once_the_history_has_grown_a_tenth_past_what_is_kept()
    {
        Assert.False(HistoryWindow.Due(109, 100));
        Assert.True(HistoryWindow.Due(110, 100));
        Assert.False(HistoryWindow.Due(10, 10));
        Assert.True(HistoryWindow.Due(11, 10));
    }

    [Fact]
    public void With_the_store_caught_up_the_latest_entries_are_kept_and_every_number_counts_on()
    {
        var request = WithEntries(130);
        var latest = request.History[^1];

        Assert.Equal(30, request.TrimHistory(keep: 100, archivedThrough: 130));

        Assert.Equal(100, request.History.Length);
        Assert.Equal(31, request.History[0].Seq);
        Assert.Equal(latest, request.History[^1]);
        Assert.Equal(30, request.HistoryTrimmed);
        Assert.Equal(130, request.Version);
        Assert.Equal(130, request.ToSummary().Version);

        // The next change is numbered after every entry, kept here or not.
        Assert.Null(request.Release(Volunteer("li.na"), At(500)));
        Assert.Equal(131, request.History[^1].Seq);
        Assert.Equal(131, request.Version);
    }

    [Fact]
    public void An_entry_the_store_has_not_confirmed_is_never_dropped()
    {
        var request = WithEntries(130);

        Assert.Equal(0, request.TrimHistory(keep: 100, archivedThrough: 0));
        Assert.Equal(130, request.History.Length);

        // The store holds entries up to 12 only: those go, the 13th stays, though the request keeps more than 100.
        Assert.Equal(12, request.TrimHistory(keep: 100, archivedThrough: 12));
        Assert.Equal(13, request.History[0].Seq);
        Assert.Equal(118, request.History.Length);
        Assert.Equal(130, request.Version);
    }

    [Fact]
    public void Trimming_again_with_what_is_already_gone_changes_nothing()
    {
        var request = WithEntries(130);
        request.TrimHistory(keep: 100, archivedThrough: 130);
        var before = Snapshot(request);

        Assert.Equal(0, request.TrimHistory(keep: 100, archivedThrough: 130));
        Assert.Equal(0, request.TrimHistory(keep: 100, archivedThrough: 5));

        Assert.Equal(before, Snapshot(request));
    }

    [Fact]
    public void A_history_within_what_is_kept_is_never_trimmed()
    {
        var request = WithEntries(100);

        Assert.Equal(0, request.TrimHistory(keep: 100, archivedThrough: 100));
        Assert.Equal(100, request.History.Length);
        Assert.Equal(0, request.HistoryTrimmed);
    }

    [Fact]
    public void Trimmed_entries_and_the_kept_ones_together_are_every_entry_exactly_once()
    {
        // What the store took before each trim, and what the request kept: numbers 1…N, no gap, no repeat.
        var request = WithEntries(1);
        var archive = new SortedDictionary<int, HistoryEntry>();
        var random = new Random(16);
        for (var step = 0; step < 600; step++)
        {
            if (request.Claims.IsEmpty)
            {
                request.ApplyClaim("li.na", At(step));
            }
            else
            {
                Assert.Null(request.Release(Volunteer("li.na"), At(step)));
            }

            // The projection runs behind, by some entries, sometimes not at all for a while.
            if (random.Next(3) > 0)
            {
                var through = request.Version - random.Next(0, 5);
                foreach (var entry in request.History.Where(e => e.Seq <= through))
                {
                    archive.TryAdd(entry.Seq, entry);
                }
            }

            var archivedThrough = archive.Count == 0 ? 0 : archive.Keys.Max();
            Assert.Equal(archive.Count, archivedThrough);
            if (HistoryWindow.Due(request.History.Length, 10))
            {
                request.TrimHistory(keep: 10, archivedThrough);
            }

            Assert.True(request.History[0].Seq <= archivedThrough + 1, "an entry the store lacks was dropped");
        }

        var all = archive.Values.Concat(request.History).DistinctBy(e => e.Seq).Select(e => e.Seq).Order().ToList();
        Assert.Equal(Enumerable.Range(1, request.Version), all);
        Assert.InRange(request.History.Length, 10, 10 + HistoryWindow.Slack(10) + 5);
    }
}
