using System.Collections.Immutable;
using Dispatch.Common;
using Microsoft.Extensions.Logging;

namespace Dispatch.Suggestions;

/// <summary>
/// One suggestion or proposal and its history. The rules are <see cref="SuggestionLifecycle"/>;
/// this grain stores each change before it answers, then tells the index. Its deadline is a
/// <see cref="DeadlineAlarm"/>, as a request's: a timer when it is near, a reminder as the backstop,
/// so an unanswered suggestion climbs the place concerned's ladder whether or not anyone asks.
/// </summary>
public sealed partial class SuggestionGrain(
    [PersistentState("suggestion", StorageNames.Dispatch)] IPersistentState<SuggestionGrain.State> state,
    TimeProvider time,
    ILogger<SuggestionGrain> logger) : Grain, ISuggestionGrain, IRemindable, IDisposable
{
    public const string DeadlineReminder = "suggestionDeadline";

    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private DeadlineAlarm? alarm;

    private string SuggestionId => GrainKeys.IdOf(this.GetPrimaryKeyString(), SuggestionKeys.SuggestionPrefix);

    private DeadlineAlarm Alarm => alarm ??= new DeadlineAlarm(
        this, DeadlineReminder, ReminderPeriod, time,
        () => state.State.ReminderDue, due => state.State.ReminderDue = due, Wake);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A deadline that passed while the grain was away is applied in a turn of its own.
        Alarm.ArmTimer(Next());
        return Task.CompletedTask;
    }

    public async Task<Outcome<SuggestionView>> File(NewSuggestion suggestion, ImmutableArray<string> placePath, string author, RepresentativeTitle title)
    {
        if (state.State.Suggestion is { } existing)
        {
            if (!SuggestionLifecycle.IsRetryOf(existing, suggestion, author))
            {
                return Failure.Conflict("alreadyExists", $"Suggestion '{SuggestionId}' already exists.");
            }

            await Index(existing);
            return existing;
        }

        var errors = SuggestionRules.Check(suggestion).ToDictionary();
        if (errors.Count > 0)
        {
            return Failure.Invalid(errors.First().Key, errors.First().Value[0]);
        }

        var now = time.GetUtcNow();
        var filed = SuggestionLifecycle.File(SuggestionId, suggestion, placePath, author, title, now);
        await Store(new SuggestionChange(filed, [new SuggestionEvent(SuggestionAction.Filed, author, now, suggestion.Kind.ToString())]));
        LogChanged(SuggestionId, SuggestionAction.Filed, author);
        return filed;
    }

    public Task<SuggestionView?> Get() => Task.FromResult(state.State.Suggestion);

    public Task<ImmutableArray<SuggestionEvent>> GetHistory() => Task.FromResult(state.State.History.ToImmutableArray());

    public Task<Outcome<SuggestionView>> HandOver(SuggestionHandover handover, string by) =>
        Change(SuggestionAction.HandedOver, by, (s, now) => SuggestionLifecycle.HandOver(s, handover, by, now));

    public Task<Outcome<SuggestionView>> Answer(string answer, string by) =>
        Change(SuggestionAction.Answered, by, (s, now) => SuggestionLifecycle.Answer(s, answer, by, now));

    public Task<Outcome<SuggestionView>> Rate(SuggestionRating rating, string by) =>
        Change(SuggestionAction.Rated, by, (s, now) => SuggestionLifecycle.Rate(s, rating, by, now));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Alarm.ReminderFired();
        await Wake();
        await Alarm.SettleReminderAsync(Next());
    }

    public void Dispose() => alarm?.Dispose();

    private async Task<Outcome<SuggestionView>> Change(SuggestionAction action, string by, Func<SuggestionView, DateTimeOffset, Outcome<SuggestionChange>> rule)
    {
        if (state.State.Suggestion is not { } suggestion)
        {
            return Failure.NotFound("Suggestion", SuggestionId);
        }

        var outcome = rule(suggestion, time.GetUtcNow());
        if (outcome.Value is not { } change)
        {
            return outcome.Failure!;
        }

        if (change.Changed)
        {
            await Store(change);
            LogChanged(SuggestionId, action, by);
        }
        else
        {
            // A repeat: the first attempt may have stored the change and failed to tell the index.
            await Index(change.View);
        }

        return change.View;
    }

    /// <summary>Applies the climbs that are due; stores them and tells the index.</summary>
    private async Task Wake()
    {
        if (state.State.Suggestion is not { } suggestion)
        {
            return;
        }

        var advanced = SuggestionLifecycle.Advance(suggestion, time.GetUtcNow());
        if (advanced.Changed)
        {
            await Store(advanced);
            LogEscalated(SuggestionId, advanced.View.Level);
        }
        else
        {
            Alarm.ArmTimer(Next());
        }
    }

    private DateTimeOffset? Next() => state.State.Suggestion is { } suggestion ? SuggestionLifecycle.NextDeadline(suggestion) : null;

    /// <summary>Stores the change (memory put back when the write fails), moves the alarm, then tells the index.</summary>
    private async Task Store(SuggestionChange change)
    {
        var previous = state.State.Suggestion;
        var entries = state.State.History.Count;
        state.State.Suggestion = change.View;
        state.State.History.AddRange(change.Events);
        var next = Next();
        await state.WriteOrReloadAsync(
            this,
            _ =>
            {
                state.State.Suggestion = previous;
                state.State.History.RemoveRange(entries, state.State.History.Count - entries);
            },
            first: () => Alarm.BringReminderForwardAsync(next));
        if (next is null)
        {
            await Alarm.SettleReminderAsync(null);
        }

        Alarm.ArmTimer(next);
        await Index(change.View);
    }

    /// <summary>Tells the index; best effort after the stored change (the next change, or a repeat, tells it again).</summary>
    private async Task Index(SuggestionView suggestion)
    {
        try
        {
            await GrainFactory.GetGrain<ISuggestionIndexGrain>(SuggestionKeys.Index).Record(suggestion);
        }
        catch (Exception exception)
        {
            LogIndexFailed(exception, SuggestionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Suggestion {Suggestion}: {Action} by {Actor}")]
    private partial void LogChanged(string suggestion, SuggestionAction action, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Suggestion {Suggestion} unanswered past its deadline: now at level {Level}")]
    private partial void LogEscalated(string suggestion, int level);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suggestion {Suggestion} was stored, but the index could not be told")]
    private partial void LogIndexFailed(Exception exception, string suggestion);

    [GenerateSerializer, Alias("Dispatch.SuggestionGrain.State")]
    public sealed class State
    {
        [Id(0)] public SuggestionView? Suggestion { get; set; }
        [Id(1)] public List<SuggestionEvent> History { get; set; } = [];

        /// <summary>When the registered reminder wakes the grain (<see cref="DeadlineAlarm"/>).</summary>
        [Id(2)] public DateTimeOffset? ReminderDue { get; set; }
    }
}
