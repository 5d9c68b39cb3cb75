using Dispatch.Points;
using Dispatch.UnitTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Dispatch.UnitTests.Points;

/// <summary>The points ledger's rules: double entry, keys used once, never below zero, totals folded from the entries.</summary>
public sealed class PointsLedgerTests : IDisposable
{
    private const string Pool = Given.CommunityId;

    private static readonly DateTimeOffset At = Given.Morning;

    private readonly ServiceProvider services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(PointsLedger).Assembly))
        .BuildServiceProvider();

    public void Dispose() => services.Dispose();

    [Fact]
    public void A_credit_moves_points_from_the_community_pool_to_the_volunteer()
    {
        var ledger = new PointsLedger("li.na");

        var entry = Post(ledger, Earning("request:1:earn:5:li.na", 30));

        Assert.Equal(1, entry.Seq);
        Assert.Equal(("pool:" + Pool, "volunteer:li.na", 30, 30, 30), (entry.From, entry.To, entry.Amount, entry.Change, entry.BalanceAfter));
        Assert.Equal((30, 30, 0, 1), (ledger.Balance, ledger.Earned, ledger.Redeemed, ledger.Count));
        Assert.Null(entry.Asked);
    }

    [Fact]
    public void An_entry_keeps_what_its_posting_is_about_for_readers_in_any_language()
    {
        var ledger = Funded(30);
        var about = new PostingSubject(PostingTopic.ShopItem, "大米一袋", "库存不足");

        var entry = Post(ledger, Redemption("order:a", 20) with { Subject = about });

        Assert.Equal(about, entry.Subject);
        Assert.Equal(about, ledger.ToStatement(10).Entries[0].Subject);
    }

    [Fact]
    public void A_debit_moves_points_from_the_volunteer_to_the_pool()
    {
        var ledger = Funded(50);

        var entry = Post(ledger, Redemption("order:a", 20));

        Assert.Equal(("volunteer:li.na", "pool:" + Pool, 20, -20, 30), (entry.From, entry.To, entry.Amount, entry.Change, entry.BalanceAfter));
        Assert.Equal((30, 50, 20), (ledger.Balance, ledger.Earned, ledger.Redeemed));
    }

    [Fact]
    public void The_same_key_again_returns_the_first_entry_and_posts_nothing()
    {
        var ledger = Funded(50);
        var first = Post(ledger, Redemption("order:a", 20));

        // A retry, even one that (wrongly) asks for another amount, is the first posting.
        var again = Post(ledger, Redemption("order:a", 20));
        var different = Post(ledger, Redemption("order:a", 45));

        Assert.Same(first, again);
        Assert.Same(first, different);
        Assert.Equal((30, 2), (ledger.Balance, ledger.Count));
    }

    [Fact]
    public void A_key_reused_for_another_kind_or_reference_is_refused_and_changes_nothing()
    {
        var ledger = Funded(50);
        Post(ledger, Redemption("order:a", 20));

        var asRefund = ledger.Post(Refund("order:a", 20), At);
        var otherReference = ledger.Post(Redemption("order:a", 20) with { Reference = "another-order" }, At);

        Assert.Equal("postingKeyReused", asRefund.Failure?.Code);
        Assert.Equal("postingKeyReused", otherReference.Failure?.Code);
        Assert.Equal((30, 2), (ledger.Balance, ledger.Count));
    }

    [Fact]
    public void A_debit_beyond_the_balance_is_refused_records_nothing_and_leaves_the_key_unused()
    {
        var ledger = Funded(10);

        var refused = ledger.Post(Redemption("order:a", 11), At);

        Assert.Equal(Dispatch.Common.FailureKind.Conflict, refused.Failure?.Kind);
        Assert.Equal("insufficientPoints", refused.Failure?.Code);
        Assert.Equal((10, 1), (ledger.Balance, ledger.Count));
        Assert.Null(ledger.Find("order:a"));

        // With more points, the same key is posted after all: the refusal did not consume it.
        Post(ledger, Earning("earn:2", 5));
        Assert.Equal(4, Post(ledger, Redemption("order:a", 11)).BalanceAfter);
    }

    [Fact]
    public void A_debit_of_exactly_the_balance_leaves_zero()
    {
        var ledger = Funded(25);

        Assert.Equal(0, Post(ledger, Redemption("order:a", 25)).BalanceAfter);
        Assert.Equal("insufficientPoints", ledger.Post(Redemption("order:b", 1), At).Failure?.Code);
    }

    [Fact]
    public void A_partial_debit_takes_what_the_balance_allows_and_states_the_shortfall()
    {
        var ledger = Funded(30);
        Post(ledger, Redemption("order:a", 20));

        var reversal = Post(ledger, Reversal("request:1:reverse", 30, partial: true));

        Assert.Equal((10, -10, 0, (int?)30), (reversal.Amount, reversal.Change, reversal.BalanceAfter, reversal.Asked));
        Assert.Contains("only 10 of 30", reversal.Reason, StringComparison.Ordinal);
        Assert.Contains("20 short", reversal.Reason, StringComparison.Ordinal);
        Assert.Equal((0, 20, 20), (ledger.Balance, ledger.Earned, ledger.Redeemed));
    }

    [Fact]
    public void A_partial_debit_of_an_empty_account_records_a_zero_entry_so_its_key_is_used()
    {
        var ledger = new PointsLedger("li.na");

        var entry = Post(ledger, Reversal("request:1:reverse", 30, partial: true));
        var retry = Post(ledger, Reversal("request:1:reverse", 30, partial: true));

        Assert.Equal((0, 0, 0), (entry.Amount, entry.Change, entry.BalanceAfter));
        Assert.Equal(("volunteer:li.na", "pool:" + Pool), (entry.From, entry.To));
        Assert.Same(entry, retry);
        Assert.Equal(1, ledger.Count);
    }

    [Theory]
    [InlineData(PostingKind.Earning, 0, false, "amount")]
    [InlineData(PostingKind.Adjustment, 0, false, "amount")]
    [InlineData(PostingKind.Earning, -5, false, "amount")]
    [InlineData(PostingKind.Refund, -5, false, "amount")]
    [InlineData(PostingKind.Redemption, 5, false, "amount")]
    [InlineData(PostingKind.Reversal, 5, false, "amount")]
    [InlineData(PostingKind.Reversal, 5, true, "amount")]
    [InlineData(PostingKind.Earning, 5, true, "amount")]
    [InlineData((PostingKind)42, 5, false, "kind")]
    public void Postings_that_move_points_the_wrong_way_or_not_at_all_are_invalid(PostingKind kind, int amount, bool partial, string field)
    {
        var ledger = Funded(100);

        var outcome = ledger.Post(new PointsPosting("k", Pool, amount, kind, "ref", "why", "staff", partial), At);

        Assert.Equal("invalid", outcome.Failure?.Code);
        Assert.Equal(field, outcome.Failure?.Field);
        Assert.Equal((100, 1), (ledger.Balance, ledger.Count));
    }

    [Fact]
    public void A_posting_needs_a_key_and_a_pool()
    {
        var ledger = new PointsLedger("li.na");

        Assert.Equal("key", ledger.Post(Earning(" ", 5), At).Failure?.Field);
        Assert.Equal("poolCommunityId", ledger.Post(Earning("k", 5) with { PoolCommunityId = "" }, At).Failure?.Field);
        Assert.Equal(0, ledger.Count);
    }

    [Fact]
    public void Adjustments_count_as_earned_in_either_direction_and_refunds_reduce_what_was_redeemed()
    {
        var ledger = Funded(100);
        Post(ledger, Adjustment("adj:1", 15));
        Post(ledger, Adjustment("adj:2", -5));
        Post(ledger, Redemption("order:a", 40));
        Post(ledger, Redemption("order:b", 30));
        Post(ledger, Refund("refund:b", 30));
        Post(ledger, Reversal("reverse:1", 20, partial: false));

        Assert.Equal((90, 40, 50), (ledger.Earned, ledger.Redeemed, ledger.Balance));
        Assert.Equal(ledger.Earned - ledger.Redeemed, ledger.Balance);
    }

    [Fact]
    public void A_statement_lists_the_newest_entries_first_up_to_the_limit()
    {
        var ledger = Funded(10);
        for (var i = 1; i <= 5; i++)
        {
            Post(ledger, Earning($"earn:{i + 1}", i));
        }

        var statement = ledger.ToStatement(3);

        Assert.Equal(("li.na", 25, 25, 0, 6), (statement.Username, statement.Balance, statement.Earned, statement.Redeemed, statement.TotalEntries));
        Assert.Equal([6L, 5L, 4L], statement.Entries.Select(e => e.Seq));
        Assert.Equal(6, ledger.ToStatement(1_000).Entries.Length);
        Assert.Empty(ledger.ToStatement(-1).Entries);
    }

    public static TheoryData<int> Seeds() => new([1, 7, 42, 2025, 90_000]);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_postings_never_go_below_zero_and_the_totals_always_equal_the_fold_of_the_entries(int seed)
    {
        var random = new Random(seed);
        var ledger = new PointsLedger("li.na");
        var kinds = Enum.GetValues<PostingKind>();
        var expectedBalance = 0;

        for (var step = 0; step < 2_000; step++)
        {
            var kind = kinds[random.Next(kinds.Length)];
            var size = random.Next(1, 60);
            var partial = kind == PostingKind.Reversal && random.Next(2) == 0;
            var direction = PointsLedger.DirectionOf(kind) is 0 ? (random.Next(2) == 0 ? 1 : -1) : PointsLedger.DirectionOf(kind);

            // Now and then a key used before: a retry.
            var key = step > 0 && random.Next(10) == 0 ? ledger.Entries[random.Next(ledger.Count)].Key : $"k{step}";
            var posting = new PointsPosting(key, Pool, direction * size, kind, $"ref-{key}", "random", "test", partial);
            if (ledger.Find(key) is { } used)
            {
                posting = posting with { Kind = used.Kind, Reference = used.Reference };
            }

            var before = ledger.Count;
            var outcome = ledger.Post(posting, At.AddSeconds(step));

            if (ledger.Count > before)
            {
                expectedBalance += outcome.Value!.Change;
            }
            else if (outcome.Failure is { } failure)
            {
                Assert.Equal("insufficientPoints", failure.Code);
                Assert.True(size > ledger.Balance);
            }

            Assert.True(ledger.Balance >= 0);
            Assert.Equal(expectedBalance, ledger.Balance);
        }

        Assert.Equal(new LedgerTotals(ledger.Balance, ledger.Earned, ledger.Redeemed), PointsLedger.Fold(ledger.Entries));
        Assert.Equal(ledger.Earned - ledger.Redeemed, ledger.Balance);
        Assert.Equal(ledger.Count, ledger.Entries.Select(e => e.Key).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, ledger.Count).Select(i => (long)i), ledger.Entries.Select(e => e.Seq));

        // Double entry: every entry's two sides cancel, and each balance-after follows from the one before.
        var running = 0;
        foreach (var entry in ledger.Entries)
        {
            Assert.Equal(Math.Abs(entry.Change), entry.Amount);
            Assert.Equal(entry.Change > 0 ? "volunteer:li.na" : "pool:" + Pool, entry.To);
            running += entry.Change;
            Assert.Equal(running, entry.BalanceAfter);
        }
    }

    [Fact]
    public void A_stored_ledger_comes_back_with_its_totals_and_its_used_keys()
    {
        var ledger = Funded(80);
        Post(ledger, Redemption("order:a", 30) with { Subject = new PostingSubject(PostingTopic.ShopItem, "保温杯") });
        Post(ledger, Adjustment("adj:1", -5));

        var restored = RoundTrip(new LedgerGrain.State { Ledger = ledger, HomeCommunityId = Pool });

        Assert.Equal(Pool, restored.HomeCommunityId);
        var back = restored.Ledger!;
        Assert.Equal(("li.na", 45, 75, 30, 3), (back.Username, back.Balance, back.Earned, back.Redeemed, back.Count));
        Assert.Equal<LedgerEntry>(ledger.Entries, back.Entries);
        Assert.Equal(ledger.Find("order:a"), Post(back, Redemption("order:a", 30)));
        Assert.Equal(3, back.Count);
        Assert.Equal(4, Post(back, Earning("earn:2", 1)).Seq);
    }

    private static PointsLedger Funded(int points)
    {
        var ledger = new PointsLedger("li.na");
        Post(ledger, Earning("earn:1", points));
        return ledger;
    }

    private static LedgerEntry Post(PointsLedger ledger, PointsPosting posting)
    {
        var outcome = ledger.Post(posting, At);
        Assert.True(outcome.Succeeded, outcome.Failure?.Detail);
        return outcome.Value!;
    }

    private static PointsPosting Earning(string key, int amount) => new(key, Pool, amount, PostingKind.Earning, "request-1", "verified", "grid.wang");

    private static PointsPosting Reversal(string key, int amount, bool partial) =>
        new(key, Pool, -amount, PostingKind.Reversal, "request-1", "overturned", "grid.wang", partial);

    private static PointsPosting Adjustment(string key, int amount) => new(key, Pool, amount, PostingKind.Adjustment, key, "correction", "grid.wang");

    private static PointsPosting Redemption(string key, int amount) => new(key, Pool, -amount, PostingKind.Redemption, key, "thermos", "li.na");

    private static PointsPosting Refund(string key, int amount) => new(key, Pool, amount, PostingKind.Refund, key, "cancelled", "grid.wang");

    private T RoundTrip<T>(T state)
        where T : class
    {
        var storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        return storage.Deserialize<T>(storage.Serialize(state)) ?? throw new InvalidOperationException("Nothing came back.");
    }
}
