using System.Collections.Immutable;
using Dispatch.Common;
using Microsoft.Extensions.Logging;

namespace Dispatch.Intake;

/// <summary>
/// One resident's filing and its audit trail. The web host checks who may decide; this grain keeps
/// the order of things (<see cref="IntakeRules"/>). Its community's list learns of each change only after it is stored.
/// </summary>
public sealed partial class IntakeGrain(
    [PersistentState("intake", StorageNames.Dispatch)] IPersistentState<IntakeGrain.State> state,
    TimeProvider time,
    ILogger<IntakeGrain> logger) : Grain, IIntakeGrain
{
    private string IntakeId => GrainKeys.IdOf(this.GetPrimaryKeyString(), IntakeKeys.IntakePrefix);

    public async Task<Outcome<IntakeItem>> Submit(NewIntake intake)
    {
        if (state.State.Item is { } existing)
        {
            if (!IntakeRules.IsRetryOf(existing, intake))
            {
                return Failure.Conflict("alreadyExists", $"Intake item '{IntakeId}' already exists.");
            }

            await List(existing);
            return existing;
        }

        var errors = IntakeRules.Check(intake);
        if (!errors.IsEmpty)
        {
            var (field, messages) = errors.ToDictionary().First();
            return Failure.Invalid(field, messages[0]);
        }

        var now = time.GetUtcNow();
        var created = IntakeRules.Create(IntakeId, intake, now);
        await Store(created, new IntakeEvent(IntakeStatus.Waiting, "resident", now, null, null));
        LogFiled(created.Id, created.Kind, created.CommunityId);
        await List(created);
        return created;
    }

    public Task<IntakeItem?> Get() => Task.FromResult(state.State.Item);

    public Task<Outcome<IntakeItem>> Accept(Actor actor, Guid requestId) =>
        Decide(item => IntakeRules.Accept(item, actor, requestId, time.GetUtcNow()), actor);

    public Task<Outcome<IntakeItem>> Merge(Actor actor, Guid requestId) =>
        Decide(item => IntakeRules.Merge(item, actor, requestId, time.GetUtcNow()), actor);

    public Task<Outcome<IntakeItem>> Decline(Actor actor, string reason) =>
        Decide(item => IntakeRules.Decline(item, actor, reason, time.GetUtcNow()), actor);

    public Task<ImmutableArray<IntakeEvent>> GetTrail() => Task.FromResult(state.State.Trail.ToImmutableArray());

    private async Task<Outcome<IntakeItem>> Decide(Func<IntakeItem, Outcome<IntakeItem>> rule, Actor actor)
    {
        if (state.State.Item is not { } item)
        {
            return Failure.NotFound("Intake item", IntakeId);
        }

        var outcome = rule(item);
        if (outcome.Value is not { } decided)
        {
            return outcome;
        }

        if (!ReferenceEquals(decided, item))
        {
            await Store(decided, new IntakeEvent(decided.Status, actor.Username, decided.DecidedAt ?? time.GetUtcNow(), decided.Reason, decided.RequestId));
            LogDecided(decided.Id, decided.Status, actor.Username);
        }

        // Also on a repeat: a first attempt may have stored the decision and failed to update the list.
        await List(decided);
        return decided;
    }

    /// <summary>Stores the item with one more trail entry, or puts memory back when the write fails.</summary>
    private Task Store(IntakeItem next, IntakeEvent happened)
    {
        var previous = state.State.Item;
        state.State.Item = next;
        state.State.Trail.Add(happened);
        return state.WriteOrReloadAsync(this, _ =>
        {
            state.State.Item = previous;
            state.State.Trail.RemoveAt(state.State.Trail.Count - 1);
        });
    }

    private Task List(IntakeItem item) =>
        GrainFactory.GetGrain<ICommunityIntakeGrain>(IntakeKeys.CommunityIntake(item.CommunityId)).Record(IntakeRules.LineOf(item));

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake item {Intake} ({Kind}) filed with community {Community}")]
    private partial void LogFiled(string intake, IntakeKind kind, string community);

    [LoggerMessage(Level = LogLevel.Information, Message = "Intake item {Intake} {Status} by {Actor}")]
    private partial void LogDecided(string intake, IntakeStatus status, string actor);

    [GenerateSerializer, Alias("Dispatch.IntakeGrain.State")]
    public sealed class State
    {
        [Id(0)] public IntakeItem? Item { get; set; }
        [Id(1)] public List<IntakeEvent> Trail { get; set; } = [];
    }
}
