using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Consoles;
using Dispatch.Points;
using Dispatch.Statistics;
using Dispatch.Requests;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Communities;

/// <summary>
/// Holds a <see cref="CommunityBoard"/>. New requests and volunteers are stored at once; request
/// changes arrive one-way and are stored in batches, because on activation the board asks every
/// unfinished request for its current summary, which makes it exact again after a crash. Before
/// each write it retires the requests finished longer than <see cref="BoardOptions.FinishedWindow"/>
/// ago, so a write costs as much as the live work, however long the community's history.
/// </summary>
public sealed partial class CommunityGrain(
    [PersistentState("community", StorageNames.Dispatch)] IPersistentState<CommunityGrain.State> state,
    IOptions<BoardOptions> options,
    TimeProvider time,
    ILogger<CommunityGrain> logger) : Grain, ICommunityGrain
{
    /// <summary>How long a change may stay only in memory before the board is stored.</summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromSeconds(2);

    private bool dirty;
    private IGrainTimer? flushTimer;

    private CommunityBoard Board => state.State.Board;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A board stored before it retired old work (or idle for a while) sheds it now.
        dirty = Retire() > 0;
        var unfinished = Board.UnfinishedRequestIds.ToArray();
        if (unfinished.Length == 0)
        {
            if (dirty)
            {
                await Flush();
            }

            return;
        }

        // Summaries sent one-way just before a crash may never have arrived: ask the requests.
        var summaries = await Task.WhenAll(unfinished.Select(id => GrainFactory.GetGrain<IRequestGrain>(id).GetSummary()));
        var changed = summaries.OfType<RequestSummary>().Where(Board.Apply).ToList();
        if (changed.Count > 0 || dirty)
        {
            LogRefreshed(changed.Count, unfinished.Length);
            await state.WriteStateAsync(cancellationToken);
            foreach (var summary in changed)
            {
                Feed().Publish(summary).Ignore();
            }
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (dirty)
        {
            await Flush();
        }
    }

    public async Task Track(RequestSummary summary)
    {
        var changed = Board.Apply(summary);
        if (changed || dirty)
        {
            await Flush();
        }

        if (changed)
        {
            Feed().Publish(summary).Ignore();
        }
    }

    public Task OnRequestChanged(RequestSummary summary)
    {
        if (Board.Apply(summary))
        {
            MarkDirty();
            Feed().Publish(summary).Ignore();
        }

        return Task.CompletedTask;
    }

    public Task OnRequestReopened(RequestSummary finished, RequestSummary current)
    {
        if (Board.Reopen(finished, current))
        {
            MarkDirty();
            Feed().PublishReopened(finished, current).Ignore();
        }

        return Task.CompletedTask;
    }

    /// <summary>A change kept in memory for now: the board is stored within <see cref="FlushDelay"/>.</summary>
    private void MarkDirty()
    {
        dirty = true;
        flushTimer ??= this.RegisterGrainTimer(FlushIfDirty, FlushDelay, FlushDelay);
    }

    public async Task RegisterVolunteer(string username)
    {
        if (Board.RegisterVolunteer(username))
        {
            await Flush();
            Feed().PublishVolunteers(CommunityId, Board.VolunteerCount).Ignore();
        }
    }

    public async Task UnregisterVolunteer(string username)
    {
        if (Board.UnregisterVolunteer(username))
        {
            await Flush();
            Feed().PublishVolunteers(CommunityId, Board.VolunteerCount).Ignore();
        }
    }

    public async Task DisableVolunteer(string username)
    {
        if (Board.DisableVolunteer(username))
        {
            await Flush();
            Feed().PublishVolunteers(CommunityId, Board.VolunteerCount).Ignore();
        }
    }

    public async Task RegisterOrganisation(string organisationId)
    {
        if (Board.RegisterOrganisation(organisationId))
        {
            await Flush();
        }
    }

    public async Task UnregisterOrganisation(string organisationId)
    {
        if (Board.UnregisterOrganisation(organisationId))
        {
            await Flush();
        }
    }

    public Task OnPointsChanged(PointsTotals totals)
    {
        if (Board.ApplyPoints(totals))
        {
            MarkDirty();
        }

        return Task.CompletedTask;
    }

    public Task<FeedExport> Export() => Task.FromResult(new FeedExport(
        [.. Board.Summaries],
        ImmutableDictionary<string, int>.Empty.Add(CommunityId, Board.VolunteerCount),
        Board.Retired));

    public Task<ImmutableArray<string>> GetVolunteers() => Task.FromResult(Board.Volunteers);

    public Task<ImmutableArray<string>> GetDisabledVolunteers() => Task.FromResult(Board.DisabledVolunteers);

    public Task<StatisticsTotals> GetStatistics() => Task.FromResult(Board.Totals());

    public Task<ImmutableArray<string>> GetOrganisations() => Task.FromResult(Board.Organisations);

    public Task<ImmutableArray<PointsTotals>> GetLeaderboard(int top) => Task.FromResult(Board.Leaderboard(top));

    public Task<PlaceCounters> GetCounters() => Task.FromResult(Board.Counters());

    public Task<BoardPage> GetBoard(BoardQuery query) => Task.FromResult(Board.Query(query));

    public Task<ImmutableArray<RequestSummary>> GetOverdue() => Task.FromResult(Board.Overdue());

    private string CommunityId => GrainKeys.IdOf(this.GetPrimaryKeyString(), GrainKeys.CommunityPrefix);

    /// <summary>The community's live feed: one-way, so consoles never slow the board down.</summary>
    private IPlaceFeedGrain Feed() => GrainFactory.GetGrain<IPlaceFeedGrain>(GrainKeys.Feed(CommunityId));

    private async Task FlushIfDirty()
    {
        if (dirty)
        {
            await Flush();
        }
    }

    private int Retire()
    {
        var retired = Board.Retire(time.GetUtcNow() - options.Value.FinishedWindow);
        if (retired > 0)
        {
            LogRetired(retired, Board.RequestCount);
        }

        return retired;
    }

    private async Task Flush()
    {
        Retire();
        dirty = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            dirty = true;
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Community board: {Changed} of {Unfinished} unfinished requests refreshed on activation")]
    private partial void LogRefreshed(int changed, int unfinished);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Community board: {Retired} finished requests retired, {Held} held")]
    private partial void LogRetired(int retired, int held);

    [GenerateSerializer, Alias("Dispatch.CommunityGrain.State")]
    public sealed class State
    {
        [Id(0)] public CommunityBoard Board { get; set; } = new();
    }
}
