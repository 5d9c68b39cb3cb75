using System.Collections.Immutable;
using Dispatch.Common;
using Microsoft.Extensions.Logging;

namespace Dispatch.Applications;

/// <summary>
/// One report-in (双报到) and its audit trail. The web host checks who may decide; this grain keeps
/// the order of things (<see cref="ApplicationRules"/>): waiting, then approved or rejected once.
/// Its community's list and staff's inboxes learn of each change only after the change is stored;
/// a reminder registered before that write stands until both have, so a silo lost in between, or
/// an inbox that fails, is caught up by the reminder rather than by the next call.
/// </summary>
public sealed partial class ApplicationGrain(
    [PersistentState("application", StorageNames.Dispatch)] IPersistentState<ApplicationGrain.State> state,
    TimeProvider time,
    ILogger<ApplicationGrain> logger) : Grain, IApplicationGrain, IRemindable, IDisposable
{
    public const string FollowUpReminder = "followUp";

    /// <summary>How soon a follow-up the list or an inbox did not take is tried again.</summary>
    public static readonly TimeSpan FollowUpRetry = TimeSpan.FromMinutes(1);

    private DeadlineAlarm? alarm;

    private string ApplicationId => GrainKeys.IdOf(this.GetPrimaryKeyString(), GrainKeys.ApplicationPrefix);

    private DeadlineAlarm Alarm => alarm ??= new DeadlineAlarm(
        this, FollowUpReminder, FollowUpRetry, time,
        () => state.State.ReminderDue, due => state.State.ReminderDue = due, FollowUp);

    public async Task<Outcome<ApplicationView>> Submit(NewApplication application)
    {
        if (state.State.Application is { } existing)
        {
            if (!ApplicationRules.IsRetryOf(existing, application))
            {
                return Failure.Conflict("alreadyExists", $"Application '{ApplicationId}' already exists.");
            }

            await FollowUp();
            return existing;
        }

        var now = time.GetUtcNow();
        var created = ApplicationRules.Create(ApplicationId, application, now);
        // Staff of the community and of the places above it are told in the same write as the
        // application (never its phone).
        var community = await GrainFactory.GetGrain<Places.IPlaceGrain>(GrainKeys.Place(created.CommunityId)).Get();
        state.State.PendingNotices = Notifications.ApplicationNotices.Waiting(created, community?.Path ?? [created.CommunityId], now);
        await Store(created, new ApplicationEvent(ApplicationAction.Submitted, application.Username, now, null));
        LogSubmitted(created.Id, created.Kind, created.CommunityId);
        await FollowUp();
        return created;
    }

    public Task<ApplicationView?> Get() => Task.FromResult(state.State.Application);

    public Task<Outcome<ApplicationView>> Approve(Actor actor) =>
        Decide(application => ApplicationRules.Approve(application, actor, time.GetUtcNow()), ApplicationAction.Approved, actor);

    public Task<Outcome<ApplicationView>> Reject(Actor actor, string reason) =>
        Decide(application => ApplicationRules.Reject(application, actor, reason, time.GetUtcNow()), ApplicationAction.Rejected, actor);

    public Task<ImmutableArray<ApplicationEvent>> GetTrail() => Task.FromResult(state.State.Trail.ToImmutableArray());

    private async Task<Outcome<ApplicationView>> Decide(Func<ApplicationView, Outcome<ApplicationView>> rule, ApplicationAction action, Actor actor)
    {
        if (state.State.Application is not { } application)
        {
            return Failure.NotFound("Application", ApplicationId);
        }

        var outcome = rule(application);
        if (outcome.Value is not { } decided)
        {
            return outcome;
        }

        if (!ReferenceEquals(decided, application))
        {
            await Store(decided, new ApplicationEvent(action, actor.Username, decided.DecidedAt ?? time.GetUtcNow(), decided.Reason));
            LogDecided(decided.Id, action, actor.Username);
        }

        // Also on a repeat: a first attempt may have stored the decision and failed to update the list.
        await FollowUp();
        return decided;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Alarm.ReminderFired(relyOnRepeat: true);
        await FollowUp();
    }

    public void Dispose() => alarm?.Dispose();

    /// <summary>
    /// Tells the community's list and delivers the waiting notices; once both are done the reminder
    /// goes, otherwise a timer (and the reminder, after a restart) tries again.
    /// </summary>
    private async Task FollowUp()
    {
        if (state.State.Application is not { } application)
        {
            return;
        }

        try
        {
            await List(application);
        }
        catch (Exception exception)
        {
            LogNoticeFailed(exception, ApplicationId, "update the community's list");
            Alarm.ArmTimer(time.GetUtcNow() + FollowUpRetry);
            return;
        }

        await DeliverNotices();
        if (!state.State.PendingNotices.IsDefaultOrEmpty)
        {
            Alarm.ArmTimer(time.GetUtcNow() + FollowUpRetry);
            return;
        }

        Alarm.ArmTimer(null);
        try
        {
            await Alarm.SettleReminderAsync(null);
        }
        catch (Exception exception)
        {
            // The reminder stays and follows up again, which is harmless.
            LogNoticeFailed(exception, ApplicationId, "drop the follow-up reminder");
        }
    }

    /// <summary>
    /// Stores the application with one more trail entry, the follow-up reminder registered first;
    /// or puts memory back when the write fails.
    /// </summary>
    private Task Store(ApplicationView next, ApplicationEvent happened)
    {
        var previous = state.State.Application;
        state.State.Application = next;
        state.State.Trail.Add(happened);
        return state.WriteOrReloadAsync(this, _ =>
        {
            state.State.Application = previous;
            state.State.Trail.RemoveAt(state.State.Trail.Count - 1);
        }, first: () => Alarm.BringReminderForwardAsync(time.GetUtcNow() + FollowUpRetry));
    }

    /// <summary>Delivers the waiting notices and stores that they were; what an inbox did not take waits for the next follow-up.</summary>
    private async Task DeliverNotices()
    {
        if (state.State.PendingNotices.IsDefaultOrEmpty)
        {
            return;
        }

        var delivered = (await Notifications.NoticeDelivery.Deliver(GrainFactory, state.State.PendingNotices, (exception, step) => LogNoticeFailed(exception, ApplicationId, step)))
            .ToHashSet(StringComparer.Ordinal);
        var remaining = state.State.PendingNotices.RemoveAll(n => delivered.Contains(n.Key));
        if (remaining.Length == state.State.PendingNotices.Length)
        {
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
            LogNoticeFailed(exception, ApplicationId, "record delivered notices");
        }
    }

    private Task List(ApplicationView application) =>
        GrainFactory.GetGrain<ICommunityApplicationsGrain>(GrainKeys.CommunityApplications(application.CommunityId))
            .Record(ApplicationRules.SummaryOf(application));

    [LoggerMessage(Level = LogLevel.Information, Message = "Application {Application} ({Kind}) submitted to community {Community}")]
    private partial void LogSubmitted(string application, ApplicationKind kind, string community);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Application {Application} was stored, but the follow-up step '{Step}' failed")]
    private partial void LogNoticeFailed(Exception exception, string application, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Application {Application} {Action} by {Actor}")]
    private partial void LogDecided(string application, ApplicationAction action, string actor);

    [GenerateSerializer, Alias("Dispatch.ApplicationGrain.State")]
    public sealed class State
    {
        [Id(0)] public ApplicationView? Application { get; set; }
        [Id(1)] public List<ApplicationEvent> Trail { get; set; } = [];

        /// <summary>Notices for staff's inboxes, stored with the change that caused them until an inbox took them.</summary>
        [Id(2)] public ImmutableArray<Notifications.PendingNotice> PendingNotices { get; set; } = [];

        /// <summary>When the follow-up reminder next fires, as far as this grain knows.</summary>
        [Id(3)] public DateTimeOffset? ReminderDue { get; set; }
    }
}
