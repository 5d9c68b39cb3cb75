using Dispatch.Common;
using Dispatch.Points;

namespace Dispatch.IntegrationTests.Grains;

/// <summary>The ledger grain on a two-silo cluster: postings stored before they are acknowledged, once per key.</summary>
public sealed class LedgerGrainTests(ShopClusterFixture fixture) : IClassFixture<ShopClusterFixture>
{
    private IGrainFactory Grains => fixture.Grains;

    [Fact]
    public async Task A_posting_is_acknowledged_once_stored_and_a_retry_with_its_key_posts_nothing()
    {
        var community = GrainWorld.Unique("l");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var ledger = Grains.GetGrain<ILedgerGrain>(GrainKeys.Ledger(volunteer));

        var first = await ledger.Post(Earning(community, "request:1:earn", 40));
        var retries = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => ledger.Post(Earning(community, "request:1:earn", 40))));

        Assert.All(retries, r => Assert.Equal(first.Value, r.Value));
        var statement = await ledger.GetStatement(10);
        Assert.Equal((40, 40, 0, 1), (statement.Balance, statement.Earned, statement.Redeemed, statement.TotalEntries));

        // What was acknowledged is what is stored.
        var stored = fixture.Storage.Inner.Peek<LedgerGrain.State>("ledger", GrainKeys.Ledger(volunteer));
        Assert.Equal((40, community), (stored!.Ledger!.Balance, stored.HomeCommunityId));
    }

    [Fact]
    public async Task Concurrent_debits_never_overdraw_the_account()
    {
        var community = GrainWorld.Unique("l");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var ledger = Grains.GetGrain<ILedgerGrain>(GrainKeys.Ledger(volunteer));
        await ledger.Post(Earning(community, "seed", 100));

        var debits = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => ledger.Post(
            new PointsPosting($"order:{i}", community, -30, PostingKind.Redemption, $"order-{i}", "rush", volunteer))));

        Assert.Equal(3, debits.Count(d => d.Succeeded));
        Assert.All(debits.Where(d => !d.Succeeded), d => Assert.Equal("insufficientPoints", d.Failure!.Code));
        Assert.Equal(10, (await ledger.GetStatement(0)).Balance);
    }

    [Fact]
    public async Task A_posting_whose_write_fails_is_not_acknowledged_and_leaves_nothing_behind()
    {
        var community = GrainWorld.Unique("l");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var ledger = Grains.GetGrain<ILedgerGrain>(GrainKeys.Ledger(volunteer));
        await ledger.Post(Earning(community, "seed", 10));

        fixture.Storage.FailOneWrite("ledger", GrainKeys.Ledger(volunteer));
        var failure = await Assert.ThrowsAsync<InjectedStorageFaultException>(() => ledger.Post(Earning(community, "request:2:earn", 5)));
        Assert.Equal(InjectedStorageFaultException.MessageFor("ledger", ledger.GetGrainId()), failure.Message);
        Assert.False(fixture.Storage.FaultPending);

        // The activation reloaded what is stored: the failed posting is not there, and its key is free.
        var after = await ledger.GetStatement(10);
        Assert.Equal((10, 1), (after.Balance, after.TotalEntries));
        Assert.True((await ledger.Post(Earning(community, "request:2:earn", 5))).Succeeded);
        Assert.Equal(15, (await ledger.GetStatement(0)).Balance);
    }

    [Fact]
    public async Task A_debit_beyond_the_balance_is_refused_unless_it_may_be_partial()
    {
        var community = GrainWorld.Unique("l");
        var volunteer = (await Grains.CreateCommunityWithVolunteers(community, 1))[0];
        var ledger = Grains.GetGrain<ILedgerGrain>(GrainKeys.Ledger(volunteer));
        await ledger.Post(Earning(community, "seed", 10));

        var refused = await ledger.Post(new PointsPosting("adj", community, -11, PostingKind.Adjustment, "adj", "typo", "staff"));
        var partial = await ledger.Post(new PointsPosting("rev", community, -25, PostingKind.Reversal, "r", "overturned", "staff", AllowPartialDebit: true));

        Assert.Equal("insufficientPoints", refused.Failure?.Code);
        Assert.Equal((10, -10, 0), (partial.Value!.Amount, partial.Value.Change, partial.Value.BalanceAfter));
        Assert.Equal(0, (await ledger.GetStatement(0)).Balance);
    }

    [Fact]
    public async Task An_unregistered_volunteer_has_no_account_to_post_to()
    {
        var ledger = Grains.GetGrain<ILedgerGrain>(GrainKeys.Ledger(GrainWorld.Unique("nobody")));

        var outcome = await ledger.Post(Earning("somewhere", "k", 5));

        Assert.Equal("notFound", outcome.Failure?.Code);
        Assert.Equal(0, (await ledger.GetStatement(5)).TotalEntries);
    }

    private static PointsPosting Earning(string community, string key, int amount) =>
        new(key, community, amount, PostingKind.Earning, key, "verified", "staff");
}
