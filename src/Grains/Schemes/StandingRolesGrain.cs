using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Points;
using Microsoft.Extensions.Logging;

namespace Dispatch.Schemes;

/// <summary>Holds a community's standing roles (<see cref="StandingRoster"/>) and runs their month.</summary>
public sealed partial class StandingRolesGrain(
    [PersistentState("standingRoles", StorageNames.Dispatch)] IPersistentState<StandingRolesGrain.State> state,
    TimeProvider time,
    ILogger<StandingRolesGrain> logger) : Grain, IStandingRolesGrain
{
    private string CommunityId => GrainKeys.IdOf(this.GetPrimaryKeyString(), SchemeKeys.StandingRolesPrefix);

    public Task<StandingRolesView> Get() => Task.FromResult(new StandingRolesView(CommunityId, state.State.Roles));

    public async Task<Outcome<StandingRole>> Assign(string username, string role, DateOnly from, Actor actor)
    {
        var outcome = StandingRoster.Assign(state.State.Roles, username, role, from, actor.Username, time.GetUtcNow());
        if (outcome.Value is not { } assigned)
        {
            return outcome;
        }

        state.State.Roles = state.State.Roles.Add(assigned);
        await state.WriteOrReloadAsync(this, exception => LogWriteFailed(exception, CommunityId));
        LogAssigned(CommunityId, username, assigned.Role, actor.Username);
        return assigned;
    }

    public async Task<Outcome<StandingRole>> End(string username, string role, DateOnly on, Actor actor)
    {
        var outcome = StandingRoster.End(state.State.Roles, username, role, on);
        if (outcome.Value is not { } ended)
        {
            return outcome;
        }

        state.State.Roles = state.State.Roles.Replace(StandingRoster.Held(state.State.Roles, username, role)!, ended);
        await state.WriteOrReloadAsync(this, exception => LogWriteFailed(exception, CommunityId));
        LogEnded(CommunityId, username, role, actor.Username);
        return ended;
    }

    public async Task<Outcome<StandingRoleRun>> Run(PlaceInfo community, DateOnly month, Actor actor)
    {
        var rules = (await GrainFactory.PointsRulesAt(community, PointsCalendar.StartOf(month))).ToDictionary(r => r.Rule, StringComparer.Ordinal);
        var postings = ImmutableArray.CreateBuilder<StandingRolePosting>();
        var unpaid = ImmutableArray.CreateBuilder<StandingRole>();
        var capped = ImmutableArray.CreateBuilder<StandingRole>();
        foreach (var role in StandingRoster.HeldIn(state.State.Roles, month))
        {
            if (rules.GetValueOrDefault(PointsRuleNames.Role(role.Role)) is not { Points: > 0 } rule)
            {
                unpaid.Add(role);
                continue;
            }

            var key = StandingRoster.Key(CommunityId, month, role);
            var posted = await GrainFactory.GetGrain<ILedgerGrain>(GrainKeys.Ledger(role.Username)).Post(new PointsPosting(
                key, CommunityId, rule.Points, PostingKind.Earning, $"{CommunityId}:{month:yyyy-MM}",
                $"{role.Role} {month:yyyy-MM}", actor.Username, Under: PostingRule.Of(rule), EarnedAt: PointsCalendar.StartOf(month),
                Subject: new PostingSubject(PostingTopic.StandingRole, role.Role, $"{month:yyyy-MM}")));
            if (posted.Value is { } entry)
            {
                postings.Add(new StandingRolePosting(role.Username, role.Role, entry.Change, entry.Seq, key));
            }
            else if (posted.Failure is { Code: "pointsCapReached" })
            {
                capped.Add(role);
            }
            else
            {
                // Stop at the first ledger that refuses: what was posted stays, and a run again posts the rest.
                return posted.Failure!;
            }
        }

        LogRun(CommunityId, month, postings.Count, unpaid.Count, actor.Username);
        return new StandingRoleRun(CommunityId, $"{month:yyyy-MM}", postings.ToImmutable(), unpaid.ToImmutable(), capped.ToImmutable());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Standing role {Role} of {Volunteer} in {CommunityId} given by {By}")]
    private partial void LogAssigned(string communityId, string volunteer, string role, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "Standing role {Role} of {Volunteer} in {CommunityId} ended by {By}")]
    private partial void LogEnded(string communityId, string volunteer, string role, string by);

    [LoggerMessage(Level = LogLevel.Information, Message = "Standing roles of {CommunityId} run for {Month}: {Postings} postings, {Unpaid} roles no rule pays, by {By}")]
    private partial void LogRun(string communityId, DateOnly month, int postings, int unpaid, string by);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing the standing roles of {CommunityId} failed; the activation will reload")]
    private partial void LogWriteFailed(Exception exception, string communityId);

    [GenerateSerializer, Alias("Dispatch.StandingRolesGrain.State")]
    public sealed class State
    {
        [Id(0)] public ImmutableArray<StandingRole> Roles { get; set; } = [];
    }
}
