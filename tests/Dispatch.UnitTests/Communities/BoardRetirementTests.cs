using Dispatch.Communities;
using Dispatch.Consoles;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Dispatch.UnitTests.Communities;

/// <summary>
/// A board holds live work only: finished requests older than the window are retired, and the
/// counters and statistics stay exactly what they were, also when a retired request comes back to work.
/// </summary>
public sealed class BoardRetirementTests : IDisposable
{
    private static readonly BoardQuery All = new(null, null, null, 1, CommunityBoard.MaxPageSize);

    // Given's requests finish at Given.Morning: a cutoff a week later retires them.
    private static readonly DateTimeOffset WeekLater = Given.Morning.AddDays(7);

    private readonly ServiceProvider services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(ServiceRequest).Assembly))
        .BuildServiceProvider();

    public void Dispose() => services.Dispose();

    [Fact]
    public void Retiring_forgets_old_finished_requests_and_keeps_every_figure()
    {
        var board = new CommunityBoard();
        var open = Given.OpenWish();
        var inProgress = Given.InProgressWish();
        var verified = Given.VerifiedWish();
        var cancelled = Given.CancelledWish();
        foreach (var request in new[] { open, inProgress, verified, cancelled })
        {
            board.Apply(request.ToSummary());
        }

        var counters = board.Counters();
        var totals = board.Totals();

        Assert.Equal(2, board.Retire(WeekLater));

        Assert.Equal(2, board.RequestCount);
        Assert.Equal(new[] { open.Id, inProgress.Id }.Order(), board.Query(All).Items.Select(s => s.Id).Order());
        Assert.Equal(counters, board.Counters());
        AssertSameTotals(totals, board.Totals());
        Assert.Equal(2, board.Retired.Count);
    }

    [Fact]
    public void Requests_finished_within_the_window_stay_on_the_board()
    {
        var board = new CommunityBoard();
        var verified = Given.VerifiedWish();
        board.Apply(verified.ToSummary());

        Assert.Equal(0, board.Retire(Given.Morning));
        Assert.Equal(0, board.Retire(Given.Morning.AddDays(-1)));

        Assert.Equal(verified.Id, Assert.Single(board.Query(All).Items).Id);
        Assert.Equal(0, board.Retired.Count);
    }

    [Fact]
    public void A_retired_request_that_comes_back_to_work_is_counted_as_if_it_had_never_left()
    {
        var request = Given.VerifiedWish();
        var finished = request.ToSummary();
        var retiring = new CommunityBoard();
        var keeping = new CommunityBoard();
        retiring.Apply(finished);
        keeping.Apply(finished);
        retiring.Retire(WeekLater);
        Assert.Equal(0, retiring.RequestCount);

        Assert.Null(request.Verify(Given.GridWorker, approved: false, rating: null, "The cup never arrived", WeekLater.AddDays(1)));
        var current = request.ToSummary();
        Assert.True(retiring.Reopen(finished, current));
        Assert.True(keeping.Reopen(finished, current));

        Assert.Equal(keeping.Counters(), retiring.Counters());
        AssertSameTotals(keeping.Totals(), retiring.Totals());
        Assert.Equal(1, retiring.Counters().InProgress);
        Assert.Equal(0, retiring.Counters().Verified);
        Assert.Equal(0, retiring.Retired.Count);
        Assert.Equal(current, Assert.Single(retiring.Query(All).Items));
        Assert.False(retiring.Reopen(finished, current));
        Assert.False(retiring.Apply(current));
    }

    [Fact]
    public void Storing_the_board_costs_as_much_as_its_live_work_however_long_its_history()
    {
        var storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        var small = BoardWithHistory(10);
        var large = BoardWithHistory(1_000);
        small.Board.Retire(WeekLater);
        large.Board.Retire(WeekLater);

        var smallBytes = storage.Serialize(small).ToArray().Length;
        var largeBytes = storage.Serialize(large).ToArray().Length;

        // Same live work (one open wish), a hundred times the history: the stored board barely differs.
        Assert.InRange(largeBytes, smallBytes - 16, smallBytes + 16);
        Assert.Equal(1_001, large.Board.Counters() is var c ? c.Open + c.Verified + c.Cancelled : 0);
        Assert.Equal(1_000, large.Board.Totals().Count(RequestStatus.Verified) + large.Board.Totals().Count(RequestStatus.Cancelled));
    }

    [Fact]
    public void Retired_figures_survive_a_store_and_keep_counting()
    {
        var storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        var state = BoardWithHistory(5);
        state.Board.Retire(WeekLater);
        var counters = state.Board.Counters();
        var totals = state.Board.Totals();

        var restored = storage.Deserialize<CommunityGrain.State>(storage.Serialize(state))!.Board;

        Assert.Equal(counters, restored.Counters());
        AssertSameTotals(totals, restored.Totals());
        Assert.Equal(1, restored.RequestCount);
        var wish = Given.OpenWish();
        Assert.True(restored.Apply(wish.ToSummary()));
        Assert.Equal(counters with { Open = counters.Open + 1 }, restored.Counters());
    }

    [Fact]
    public void A_feed_loads_the_retired_figures_retires_on_its_own_and_follows_a_reopening()
    {
        var verified = Given.VerifiedWish();
        var finished = verified.ToSummary();
        var board = new CommunityBoard();
        board.Apply(finished);
        board.Apply(Given.CancelledWish().ToSummary());
        board.Retire(WeekLater);
        var recent = Given.VerifiedWish();
        board.Apply(recent.ToSummary());

        var feed = new PlaceFeed("t1", 0, finishedWindow: TimeSpan.FromDays(7));
        feed.Load(new FeedExport([.. board.Summaries], System.Collections.Immutable.ImmutableDictionary<string, int>.Empty, board.Retired));
        Assert.Equal(board.Counters() with { RegisteredVolunteers = 0 }, feed.Counters);

        // A week after the recent one finished, the feed's own pass retires it too.
        Assert.Equal(1, feed.RetireIfDue(WeekLater.AddMinutes(1)));
        Assert.Equal(0, feed.RequestCount);
        Assert.Equal(board.Counters() with { RegisteredVolunteers = 0 }, feed.Counters);

        Assert.Null(verified.Verify(Given.GridWorker, approved: false, rating: null, null, WeekLater.AddDays(1)));
        var change = feed.Reopen(finished, verified.ToSummary(), WeekLater.AddDays(1));
        Assert.NotNull(change);
        Assert.Equal(1, change.Counters.InProgress);
        Assert.Equal(1, change.Counters.Verified);
        Assert.Equal(1, change.Counters.Cancelled);
        Assert.Equal(verified.Id, Assert.Single(feed.Snapshot().Requests).Id);
    }

    private static void AssertSameTotals(Dispatch.Statistics.StatisticsTotals expected, Dispatch.Statistics.StatisticsTotals actual)
    {
        Assert.Equal<int>(expected.ByKindAndStatus, actual.ByKindAndStatus);
        Assert.Equal(expected with { ByKindAndStatus = [] }, actual with { ByKindAndStatus = [] });
    }

    /// <summary>A board with one open wish and <paramref name="finished"/> requests finished at <see cref="Given.Morning"/>.</summary>
    private static CommunityGrain.State BoardWithHistory(int finished)
    {
        var state = new CommunityGrain.State();
        state.Board.Apply(Given.OpenWish().ToSummary());
        for (var i = 0; i < finished; i++)
        {
            state.Board.Apply((i % 2 == 0 ? Given.VerifiedWish() : Given.CancelledWish()).ToSummary());
        }

        return state;
    }
}
