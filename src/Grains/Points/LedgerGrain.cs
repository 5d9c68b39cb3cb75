using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Volunteers;
using Microsoft.Extensions.Logging;

namespace Dispatch.Points;

/// <summary>
/// Holds one volunteer's <see cref="PointsLedger"/>. Postings to an account are handled one at a
/// time, so concurrent debits (several shop items, a reversal) can never overdraw it; each is
/// acknowledged only once stored.
/// </summary>
public sealed partial class LedgerGrain(
    [PersistentState("ledger", StorageNames.Dispatch)] IPersistentState<LedgerGrain.State> state,
    TimeProvider time,
    ILogger<LedgerGrain> logger) : Grain, ILedgerGrain
{
    /// <summary>The most entries one statement returns.</summary>
    public const int MaxStatementEntries = PointsLimits.MaxStatementEntries;

    private string Username => GrainKeys.IdOf(this.GetPrimaryKeyString(), GrainKeys.LedgerPrefix);

    private PointsLedger Ledger => state.State.Ledger ??= new PointsLedger(Username);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Totals sent one-way just before a crash may never have reached the board: send them again.
        if (state.State.Ledger is { Count: > 0 })
        {
            Announce();
        }

        return Task.CompletedTask;
    }

    public async Task<Outcome<LedgerEntry>> Post(PointsPosting posting)
    {
        if (Ledger.Find(posting.Key) is not null)
        {
            // A retry: answered from memory (the first entry, or why the key does not fit).
            return Ledger.Post(posting, time.GetUtcNow());
        }

        // The home community is asked once, on the first posting, and stored with it.
        if (state.State.HomeCommunityId is null)
        {
            if (await GrainFactory.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(Username)).Get() is not { } volunteer)
            {
                return Failure.NotFound("Volunteer", Username);
            }

            state.State.HomeCommunityId = volunteer.CommunityId;
        }

        var before = Ledger.Count;
        var outcome = Ledger.Post(posting, time.GetUtcNow());
        if (Ledger.Count == before)
        {
            return outcome;
        }

        // Not stored, so not posted.
        await state.WriteOrReloadAsync(this, exception => LogWriteFailed(exception, Username, posting.Key));

        var entry = outcome.Value!;
        LogPosted(Username, entry.Kind, entry.Change, entry.Key, entry.BalanceAfter);
        Announce();
        return entry;
    }

    public Task<PointsStatement> GetStatement(int limit) =>
        Task.FromResult(Ledger.ToStatement(Math.Clamp(limit, 0, MaxStatementEntries)));

    public Task<int> GetEarned(DateTimeOffset from, DateTimeOffset to) => Task.FromResult(Ledger.EarnedBetween(from, to));

    /// <summary>Tells the home community's board the totals just stored (one-way: never on the poster's path).</summary>
    private void Announce()
    {
        if (state.State.HomeCommunityId is { } home)
        {
            var ledger = Ledger;
            GrainFactory.GetGrain<ICommunityGrain>(GrainKeys.Community(home))
                .OnPointsChanged(new PointsTotals(Username, home, ledger.Count, ledger.Balance, ledger.Earned, ledger.Redeemed))
                .Ignore();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger of {Volunteer}: {Kind} {Change:+#;-#;0} ({Key}), balance {Balance}")]
    private partial void LogPosted(string volunteer, PostingKind kind, int change, string key, int balance);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing the ledger of {Volunteer} failed at posting {Key}; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, string volunteer, string key);

    [GenerateSerializer, Alias("Dispatch.LedgerGrain.State")]
    public sealed class State
    {
        [Id(0)] public PointsLedger? Ledger { get; set; }

        /// <summary>The volunteer's community when the ledger first posted: whose board its totals go to.</summary>
        [Id(1)] public string? HomeCommunityId { get; set; }
    }
}
