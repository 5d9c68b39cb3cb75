using Dispatch.Communities;
using Dispatch.Consoles;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Communities;

public sealed class CommunityBoardTests
{
    private static readonly PlaceCounters Nothing = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    [Fact]
    public void A_new_board_counts_nothing()
    {
        var board = new CommunityBoard();

        Assert.Equal(Nothing, board.Counters());
        Assert.Equal(0, board.RequestCount);
        Assert.Empty(board.UnfinishedRequestIds);
        Assert.Equal(0, board.Query(AllOnPage(1)).Total);
    }

    [Fact]
    public void Apply_is_idempotent_the_same_summary_twice_counts_once()
    {
        var board = new CommunityBoard();
        var summary = Given.OpenWish().ToSummary();

        Assert.True(board.Apply(summary));
        Assert.False(board.Apply(summary));

        Assert.Equal(Nothing with { Open = 1 }, board.Counters());
        Assert.Equal(1, board.RequestCount);
    }

    [Fact]
    public void Apply_of_an_older_version_after_a_newer_one_is_ignored()
    {
        var request = Given.OpenWish();
        var open = request.ToSummary();
        request.ApplyClaim("li.na", Given.Morning);
        var claimed = request.ToSummary();
        Assert.Null(request.Start(Given.Volunteer("li.na"), Given.Morning));
        var inProgress = request.ToSummary();
        var board = new CommunityBoard();

        Assert.True(board.Apply(inProgress));
        Assert.False(board.Apply(claimed));
        Assert.False(board.Apply(open));

        Assert.Equal(Nothing with { InProgress = 1 }, board.Counters());
        var held = Assert.Single(board.Query(AllOnPage(1)).Items);
        Assert.Equal(inProgress, held);
    }

    [Fact]
    public void Apply_of_a_newer_version_replaces_the_held_one()
    {
        var request = Given.OpenWish();
        var board = new CommunityBoard();
        Assert.True(board.Apply(request.ToSummary()));

        request.ApplyClaim("li.na", Given.Morning);
        Assert.True(board.Apply(request.ToSummary()));

        Assert.Equal(Nothing with { Claimed = 1 }, board.Counters());
        Assert.Equal(1, board.RequestCount);
        Assert.Equal(1, Assert.Single(board.Query(AllOnPage(1)).Items).ClaimantCount);
    }

    [Fact]
    public void Counters_move_with_every_transition_of_a_request()
    {
        var board = new CommunityBoard();
        var request = Given.OpenWish();
        var volunteer = Given.Volunteer("li.na");

        board.Apply(request.ToSummary());
        Assert.Equal(Nothing with { Open = 1 }, board.Counters());

        request.ApplyClaim("li.na", Given.Morning);
        board.Apply(request.ToSummary());
        Assert.Equal(Nothing with { Claimed = 1 }, board.Counters());

        Assert.Null(request.Start(volunteer, Given.Morning));
        board.Apply(request.ToSummary());
        Assert.Equal(Nothing with { InProgress = 1 }, board.Counters());

        Assert.Null(request.Complete(volunteer, null, Given.Morning));
        board.Apply(request.ToSummary());
        Assert.Equal(Nothing with { Completed = 1 }, board.Counters());

        Assert.Null(request.Verify(Given.GridWorker, approved: false, rating: null, "Redo", Given.Morning));
        board.Apply(request.ToSummary());
        Assert.Equal(Nothing with { InProgress = 1 }, board.Counters());

        Assert.Null(request.Complete(volunteer, null, Given.Morning));
        Assert.Null(request.Verify(Given.GridWorker, approved: true, rating: 5, null, Given.Morning));
        board.Apply(request.ToSummary());
        Assert.Equal(Nothing with { Verified = 1, WishesFulfilled = 1 }, board.Counters());

        var other = Given.OpenWish();
        board.Apply(other.ToSummary());
        Assert.Null(other.Cancel(Given.GridWorker, "Duplicate", Given.Morning));
        board.Apply(other.ToSummary());
        Assert.Equal(Nothing with { Verified = 1, Cancelled = 1, WishesFulfilled = 1 }, board.Counters());
    }

    [Fact]
    public void Unfinished_requests_are_those_neither_verified_nor_cancelled()
    {
        var open = Given.OpenWish();
        var inProgress = Given.InProgressWish();
        var completed = Given.CompletedWish();
        var board = BoardOf(open, inProgress, completed, Given.VerifiedWish(), Given.CancelledWish());

        Assert.Equal(
            new[] { open.Id, inProgress.Id, completed.Id }.Order(),
            board.UnfinishedRequestIds.Order());
    }

    [Fact]
    public void Registered_volunteers_are_counted_once()
    {
        var board = new CommunityBoard();

        Assert.True(board.RegisterVolunteer("li.na"));
        Assert.False(board.RegisterVolunteer("li.na"));
        Assert.True(board.RegisterVolunteer("zhao.lei"));

        Assert.Equal(2, board.Counters().RegisteredVolunteers);
    }

    [Fact]
    public void A_disabled_volunteer_leaves_the_list_but_stays_on_record_until_enabled_or_moved()
    {
        var board = new CommunityBoard();
        board.RegisterVolunteer("li.na");
        board.RegisterVolunteer("zhao.lei");

        Assert.True(board.DisableVolunteer("li.na"));
        Assert.False(board.DisableVolunteer("li.na"));
        Assert.Equal(["zhao.lei"], board.Volunteers.AsEnumerable());
        Assert.Equal(["li.na"], board.DisabledVolunteers.AsEnumerable());
        Assert.Equal(1, board.Counters().RegisteredVolunteers);

        Assert.True(board.RegisterVolunteer("li.na")); // Enabled again.
        Assert.Equal(["li.na", "zhao.lei"], board.Volunteers.AsEnumerable());
        Assert.Empty(board.DisabledVolunteers);

        board.DisableVolunteer("zhao.lei");
        Assert.True(board.UnregisterVolunteer("zhao.lei")); // Moved away while disabled.
        Assert.Empty(board.DisabledVolunteers);
        Assert.Equal(["li.na"], board.Volunteers.AsEnumerable());
    }

    [Fact]
    public void Query_filters_by_status()
    {
        var open = Given.OpenWish();
        var claimed = Given.ClaimedBy(Given.Wish(), "li.na");
        var board = BoardOf(open, claimed, Given.InProgressWish());

        var page = board.Query(new BoardQuery(RequestStatus.Claimed, null, null, 1, 20));

        Assert.Equal(claimed.Id, Assert.Single(page.Items).Id);
        Assert.Equal(1, page.Total);
    }

    [Fact]
    public void Query_filters_by_kind()
    {
        var wish = Given.OpenWish();
        var activity = Given.Open(Given.Activity(6));
        var board = BoardOf(wish, activity);

        var page = board.Query(new BoardQuery(null, RequestKind.Activity, null, 1, 20));

        Assert.Equal(activity.Id, Assert.Single(page.Items).Id);
    }

    [Fact]
    public void Query_filters_by_category_ignoring_case()
    {
        var health = Given.Open(Given.Wish() with { Categories = ["Health", "elderly"] });
        var children = Given.Open(Given.Wish() with { Categories = ["children"] });
        var board = BoardOf(health, children);

        var page = board.Query(new BoardQuery(null, null, "HEALTH", 1, 20));

        Assert.Equal(health.Id, Assert.Single(page.Items).Id);
        Assert.Empty(board.Query(new BoardQuery(null, null, "heal", 1, 20)).Items);
    }

    [Fact]
    public void Query_combines_filters()
    {
        var openActivity = Given.Open(Given.Activity(6));
        var fullActivity = Given.ClaimedBy(Given.Activity(1), "a");
        var openWish = Given.Open(Given.Wish() with { Categories = ["health"] });
        var board = BoardOf(openActivity, fullActivity, openWish);

        var page = board.Query(new BoardQuery(RequestStatus.Open, RequestKind.Activity, "health", 1, 20));

        Assert.Equal(openActivity.Id, Assert.Single(page.Items).Id);
    }

    [Fact]
    public void Query_orders_most_urgent_first_then_oldest_first()
    {
        var oldNormal = Given.Open(Given.Wish() with { Urgency = Urgency.Normal }, Given.Morning);
        var newNormal = Given.Open(Given.Wish() with { Urgency = Urgency.Normal }, Given.Morning.AddHours(1));
        var oldUrgent = Given.Open(Given.Wish() with { Urgency = Urgency.Urgent }, Given.Morning.AddMinutes(5));
        var newCritical = Given.Open(Given.Wish() with { Urgency = Urgency.Critical }, Given.Morning.AddHours(3));
        var oldCritical = Given.Open(Given.Wish() with { Urgency = Urgency.Critical }, Given.Morning.AddMinutes(1));
        var board = BoardOf(newNormal, oldUrgent, oldNormal, newCritical, oldCritical);

        var page = board.Query(AllOnPage(1));

        Assert.Equal(
            [oldCritical.Id, newCritical.Id, oldUrgent.Id, oldNormal.Id, newNormal.Id],
            page.Items.Select(s => s.Id));
    }

    [Fact]
    public void Query_pages_through_every_match_once_in_order()
    {
        var board = BoardOf([.. Enumerable.Range(0, 25).Select(i => Given.Open(Given.Wish(), Given.Morning.AddMinutes(i)))]);

        var pages = Enumerable.Range(1, 4).Select(p => board.Query(new BoardQuery(null, null, null, p, 10))).ToList();

        Assert.Equal([10, 10, 5, 0], pages.Select(p => p.Items.Length));
        Assert.All(pages, p => Assert.Equal(25, p.Total));
        Assert.All(pages, p => Assert.Equal(10, p.PageSize));
        Assert.Equal([1, 2, 3, 4], pages.Select(p => p.Page));
        var all = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal(all.Select(s => s.Id).Distinct().Count(), all.Count);
        Assert.Equal(all.OrderBy(s => s.CreatedAt).Select(s => s.Id), all.Select(s => s.Id));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(1, 1)]
    [InlineData(100, 100)]
    [InlineData(101, 100)]
    [InlineData(int.MaxValue, 100)]
    public void Query_clamps_the_page_size_to_1_through_100(int asked, int used)
    {
        var board = BoardOf([.. Enumerable.Range(0, 120).Select(_ => Given.OpenWish())]);

        var page = board.Query(new BoardQuery(null, null, null, 1, asked));

        Assert.Equal(used, page.PageSize);
        Assert.Equal(used, page.Items.Length);
        Assert.Equal(120, page.Total);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Query_treats_a_page_below_1_as_the_first_page(int asked)
    {
        var board = BoardOf([.. Enumerable.Range(0, 3).Select(i => Given.Open(Given.Wish(), Given.Morning.AddMinutes(i)))]);

        var page = board.Query(new BoardQuery(null, null, null, asked, 2));

        Assert.Equal(1, page.Page);
        Assert.Equal<RequestSummary>(board.Query(new BoardQuery(null, null, null, 1, 2)).Items, page.Items);
    }

    [Fact]
    public void Query_of_a_page_just_beyond_the_end_is_empty_but_reports_the_total()
    {
        var board = BoardOf(Given.OpenWish(), Given.OpenWish());

        var page = board.Query(new BoardQuery(null, null, null, 3, 1));

        Assert.Empty(page.Items);
        Assert.Equal(2, page.Total);
        Assert.Equal(3, page.Page);
    }

    [Theory]
    [InlineData(21_474_838, 100)]
    [InlineData(107_374_184, 20)]
    [InlineData(int.MaxValue, 100)]
    public void Query_of_a_page_far_beyond_the_end_is_empty_but_reports_the_total(int asked, int pageSize)
    {
        var board = BoardOf(Given.OpenWish(), Given.OpenWish());

        var page = board.Query(new BoardQuery(null, null, null, asked, pageSize));

        Assert.Empty(page.Items);
        Assert.Equal(2, page.Total);
    }

    [Fact]
    public void A_board_rebuilt_from_the_same_summaries_in_another_order_is_the_same()
    {
        var random = new Random(7);
        var history = new List<RequestSummary>();
        var requests = new List<ServiceRequest>();
        foreach (var i in Enumerable.Range(0, 40))
        {
            var request = Given.Open(i % 3 == 0 ? Given.Activity(3) : Given.Wish(), Given.Morning.AddMinutes(i));
            requests.Add(request);
            history.Add(request.ToSummary());
            DriveRandomly(request, random, history);
        }

        var live = new CommunityBoard();
        foreach (var summary in history)
        {
            live.Apply(summary);
        }

        var shuffled = history.ToArray();
        random.Shuffle(shuffled);
        var rebuilt = new CommunityBoard();
        foreach (var summary in shuffled.Concat(shuffled.Take(20)))
        {
            rebuilt.Apply(summary);
        }

        var latestOnly = BoardOf([.. requests]);

        Assert.Equal(live.Counters(), rebuilt.Counters());
        Assert.Equal(live.Counters(), latestOnly.Counters());
        Assert.Equal(
            requests.Count,
            live.Counters() is var c ? c.Open + c.Claimed + c.InProgress + c.Completed + c.Verified + c.Cancelled : 0);
        Assert.Equal(live.Query(AllOnPage(1)).Items.Select(Comparable), rebuilt.Query(AllOnPage(1)).Items.Select(Comparable));
        Assert.Equal(requests.Select(r => r.ToSummary()).OrderBy(s => s.Id).Select(Comparable), rebuilt.Query(AllOnPage(1)).Items.OrderBy(s => s.Id).Select(Comparable));
    }

    /// <summary>A summary with its claimants as text: each summary carries its own claimants array, which records compare by reference.</summary>
    private static (RequestSummary Summary, string Claimants) Comparable(RequestSummary summary) =>
        (summary with { Claimants = [] }, string.Join(",", summary.Claimants));

    private static void DriveRandomly(ServiceRequest request, Random random, List<RequestSummary> history)
    {
        var steps = random.Next(6);
        for (var step = 0; step < steps && !request.IsFinal; step++)
        {
            var claimant = request.Claimants.IsEmpty ? null : Given.Volunteer(request.Claimants[0]);
            var changed = request.Status switch
            {
                RequestStatus.Open when random.Next(5) == 0 => request.Cancel(Given.GridWorker, "Withdrawn", Given.Morning) is null,
                RequestStatus.Open or RequestStatus.Claimed when claimant is not null && random.Next(2) == 0 =>
                    request.Start(claimant, Given.Morning) is null,
                RequestStatus.Open => ClaimOnce(request, $"v{step}"),
                RequestStatus.InProgress => request.Complete(claimant ?? Given.GridWorker, null, Given.Morning) is null,
                RequestStatus.Completed => request.Verify(Given.GridWorker, random.Next(3) > 0, 4, null, Given.Morning) is null,
                _ => request.Release(claimant!, Given.Morning) is null,
            };
            if (changed)
            {
                history.Add(request.ToSummary());
            }
        }
    }

    private static bool ClaimOnce(ServiceRequest request, string username)
    {
        if (request.CheckClaim(username, Given.CommunityId) is not null)
        {
            return false;
        }

        request.ApplyClaim(username, Given.Morning);
        return true;
    }

    private static BoardQuery AllOnPage(int page) => new(null, null, null, page, CommunityBoard.MaxPageSize);

    private static CommunityBoard BoardOf(params ServiceRequest[] requests)
    {
        var board = new CommunityBoard();
        foreach (var request in requests)
        {
            Assert.True(board.Apply(request.ToSummary()));
        }

        return board;
    }
}
