using System.Collections.Immutable;
using Dispatch.Accounts;
using Dispatch.Common;
using Microsoft.Extensions.Logging;

namespace Dispatch.Suggestions;

/// <summary>
/// One suggestion or proposal and its history. The rules are <see cref="SuggestionLifecycle"/>;
/// this grain stores each change before it answers, then tells the index. Its deadline is a
/// <see cref="DeadlineAlarm"/>, as a request's: a timer when it is near, a reminder as the backstop,
/// so an unanswered suggestion climbs the place concerned's ladder whether or not anyone asks.
/// The people a change concerns (<see cref="Notifications.SuggestionNotices"/>) are told through an
/// outbox stored in the same write as the change; what an inbox did not take is tried again by the
/// same alarm (<see cref="NoticeRetry"/>), and an inbox keeps a notice's key once.
/// </summary>
public sealed partial class SuggestionGrain(
    [PersistentState("suggestion", StorageNames.Dispatch)] IPersistentState<SuggestionGrain.State> state,
    TimeProvider time,
    ILogger<SuggestionGrain> logger) : Grain, ISuggestionGrain, IRemindable, IDisposable
{
    public const string DeadlineReminder = "suggestionDeadline";

    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How soon notices an inbox did not take are tried again.</summary>
    public static readonly TimeSpan NoticeRetry = TimeSpan.FromMinutes(1);

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

    public async Task<Outcome<SuggestionView>> File(NewSuggestion suggestion, ImmutableArray<string> placePath, Actor author)
    {
        if (state.State.Suggestion is { } existing)
        {
            if (!SuggestionLifecycle.IsRetryOf(existing, suggestion, author.Username))
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

        // The title is the account's as it is now: an admin may have given or taken it since the token was issued.
        var account = await GrainFactory.GetGrain<IAccountGrain>(GrainKeys.Account(author.Username)).Get();
        if (SuggestionScope.CheckAuthor(account, out var title) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var filed = SuggestionLifecycle.File(SuggestionId, suggestion, placePath, author.Username, title, now);
        await Store(new SuggestionChange(filed, [new SuggestionEvent(SuggestionAction.Filed, author.Username, now, suggestion.Kind.ToString())]));
        LogChanged(SuggestionId, SuggestionAction.Filed, author.Username);
        return filed;
    }

    public Task<SuggestionView?> Get() => Task.FromResult(state.State.Suggestion);

    public Task<ImmutableArray<SuggestionEvent>> GetHistory() => Task.FromResult(state.State.History.ToImmutableArray());

    public Task<Outcome<SuggestionView>> HandOver(SuggestionHandover handover, string by) =>
        Change(SuggestionAction.HandedOver, by, (s, now) => SuggestionLifecycle.HandOver(s, handover, by, now));

    public async Task<Outcome<SuggestionView>> Answer(string answer, Actor by)
    {
        if (state.State.Suggestion is not { } suggestion)
        {
            return Failure.NotFound("Suggestion", SuggestionId);
        }

        // The department is the account's as it is now (an admin may have moved it since the token was issued).
        var department = by.Role == AccountRole.Department
            ? (await GrainFactory.GetGrain<IAccountGrain>(GrainKeys.Account(by.Username)).Get())?.DepartmentId
            : null;
        if (SuggestionScope.CheckAnswerer(suggestion, by, department) is { } refused)
        {
            return refused;
        }

        return await Change(SuggestionAction.Answered, by.Username, (s, now) => SuggestionLifecycle.Answer(s, answer, by.Username, now));
    }

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
            // A repeat: the first attempt may have stored the change and failed to tell the index or an inbox.
            await Index(change.View);
            await DeliverNotices();
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

        await DeliverNotices();

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

    /// <summary>When the grain must next wake: the suggestion's next climb, or sooner while notices wait for an inbox.</summary>
    private DateTimeOffset? Next()
    {
        var deadline = state.State.Suggestion is { } suggestion ? SuggestionLifecycle.NextDeadline(suggestion) : null;
        if (state.State.PendingNotices.IsDefaultOrEmpty)
        {
            return deadline;
        }

        var retry = time.GetUtcNow() + NoticeRetry;
        return deadline is { } due && due < retry ? due : retry;
    }

    /// <summary>
    /// Stores the change with the notices it causes (memory put back when the write fails), tells
    /// the index, delivers the notices, then moves the alarm.
    /// </summary>
    private async Task Store(SuggestionChange change)
    {
        var previous = state.State.Suggestion;
        var entries = state.State.History.Count;
        var waiting = state.State.PendingNotices;
        state.State.Suggestion = change.View;
        state.State.History.AddRange(change.Events);
        state.State.PendingNotices = [.. waiting, .. change.Events.SelectMany(e => Notifications.SuggestionNotices.For(change.View, e))];
        var next = Next();
        await state.WriteOrReloadAsync(
            this,
            _ =>
            {
                state.State.Suggestion = previous;
                state.State.History.RemoveRange(entries, state.State.History.Count - entries);
                state.State.PendingNotices = waiting;
            },
            first: () => Alarm.BringReminderForwardAsync(next));
        await Index(change.View);
        await DeliverNotices();
        next = Next();
        if (next is null)
        {
            await Alarm.SettleReminderAsync(null);
        }

        Alarm.ArmTimer(next);
    }

    /// <summary>Delivers the waiting notices and stores that they were; what an inbox did not take waits for the next wake.</summary>
    private async Task DeliverNotices()
    {
        if (state.State.PendingNotices.IsDefaultOrEmpty)
        {
            return;
        }

        var delivered = (await Notifications.NoticeDelivery.Deliver(GrainFactory, state.State.PendingNotices, (exception, step) => LogNoticeFailed(exception, SuggestionId, step)))
            .ToHashSet(StringComparer.Ordinal);
        var remaining = state.State.PendingNotices.RemoveAll(n => delivered.Contains(n.Key));
        if (remaining.Length == state.State.PendingNotices.Length)
        {
            Alarm.ArmTimer(Next());
            return;
        }

        state.State.PendingNotices = remaining;
        try
        {
            await state.WriteOrReloadAsync(this);
        }
        catch (Exception exception)
        {
            // Delivered already; an inbox keeps a key once, so delivering again is harmless.
            LogNoticeFailed(exception, SuggestionId, "record delivered notices");
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suggestion {Suggestion} was stored, but the notice step '{Step}' failed; it is tried again")]
    private partial void LogNoticeFailed(Exception exception, string suggestion, string step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suggestion {Suggestion} was stored, but the index could not be told")]
    private partial void LogIndexFailed(Exception exception, string suggestion);

    [GenerateSerializer, Alias("Dispatch.SuggestionGrain.State")]
    public sealed class State
    {
        [Id(0)] public SuggestionView? Suggestion { get; set; }
        [Id(1)] public List<SuggestionEvent> History { get; set; } = [];

        /// <summary>When the registered reminder wakes the grain (<see cref="DeadlineAlarm"/>).</summary>
        [Id(2)] public DateTimeOffset? ReminderDue { get; set; }

        /// <summary>Notices for inboxes, stored with the change that caused them until an inbox took them.</summary>
        [Id(3)] public ImmutableArray<Notifications.PendingNotice> PendingNotices { get; set; } = [];
    }
}
