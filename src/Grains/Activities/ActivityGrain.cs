using Dispatch.Common;
using Dispatch.Hours;
using Microsoft.Extensions.Logging;

namespace Dispatch.Activities;

/// <summary>
/// Holds one <see cref="ActivityEvent"/>, keyed by its request's id. Calls run one at a time (the
/// grain is not reentrant), so two volunteers never take the same last place. The end of the
/// event is applied by a reminder at <see cref="ActivityEvent.EndsAt"/>, and before any call that
/// comes after it, so no-shows are on record whether or not anyone asks.
/// </summary>
public sealed partial class ActivityGrain(
    [PersistentState("activity", StorageNames.Dispatch)] IPersistentState<ActivityGrain.State> state,
    TimeProvider time,
    ILogger<ActivityGrain> logger) : Grain, IActivityGrain, IRemindable, IDisposable
{
    public const string EndReminder = "activityEnd";

    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private DeadlineAlarm? alarm;

    private ActivityEvent? Event => state.State.Event;

    private DeadlineAlarm Alarm => alarm ??= new DeadlineAlarm(
        this, EndReminder, ReminderPeriod, time,
        () => state.State.ReminderDue, due => state.State.ReminderDue = due, ApplyEnd);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An end that passed while the grain was away, or hours not yet posted, in a turn of its own.
        Alarm.ArmTimer(NextWake());
        return Task.CompletedTask;
    }

    public async Task<Outcome<ActivityView>> Schedule(NewActivityEvent activity, Actor actor)
    {
        var now = time.GetUtcNow();
        if (Event is { } existing)
        {
            // The same author again: a retry (the web host derives the id from an Idempotency-Key).
            return existing.ScheduledBy == actor.Username
                ? existing.ToView(actor.Username, now)
                : Failure.Conflict("alreadyScheduled", $"Activity '{existing.Id}' already has its event.");
        }

        var errors = ActivityLimits.Validate(activity.Details);
        if (!errors.IsEmpty)
        {
            var (field, messages) = errors.ToDictionary().First();
            return Failure.Invalid(field, messages[0]);
        }

        state.State.Event = ActivityEvent.Schedule(this.GetPrimaryKey(), activity, actor, ActivityRules.NewCodeKey(), now);
        await Store(Event!.NextDeadline);
        LogScheduled(Event.Id, Event.CommunityId, Event.StartsAt, Event.EndsAt, Event.Organiser);
        return Event.ToView(actor.Username, now);
    }

    public async Task<ActivityView?> Get(string username)
    {
        await ApplyEnd();
        return Event?.ToView(username, time.GetUtcNow());
    }

    public Task<Outcome<ActivityView>> SignUp(Actor actor) =>
        Change(actor, (activity, now) => activity.SignUp(actor, now).Failure);

    public Task<Outcome<ActivityView>> Withdraw(Actor actor) =>
        Change(actor, (activity, now) =>
        {
            var withdrawn = activity.Withdraw(actor, now);
            if (withdrawn.Value?.Volunteer is { } promoted)
            {
                LogPromoted(activity.Id, promoted);
            }

            return withdrawn.Failure;
        });

    public async Task<Outcome<CheckInCodeView>> CurrentCode(Actor actor, bool staffInScope)
    {
        if (await Applied() is not { } activity)
        {
            return NotFound();
        }

        return activity.CurrentCode(actor, staffInScope, time.GetUtcNow());
    }

    public Task<Outcome<ActivityView>> CheckIn(Actor actor, string code) =>
        Change(actor, (activity, now) => activity.CheckIn(actor, code, now));

    public Task<Outcome<ActivityView>> CheckOut(Actor actor) =>
        Change(actor, (activity, now) => activity.CheckOut(actor, now));

    public async Task<Outcome<AttendanceList>> Attendance(Actor actor, bool staffInScope)
    {
        if (await Applied() is not { } activity)
        {
            return NotFound();
        }

        return activity.AttendanceFor(actor, staffInScope, time.GetUtcNow());
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // It repeats every period while hours wait to be posted: that is the retry.
        Alarm.ReminderFired(relyOnRepeat: true);
        await ApplyEnd();
        await Alarm.SettleReminderAsync(NextWake());
    }

    public void Dispose() => alarm?.Dispose();

    /// <summary>
    /// Applies the end if it has come, then the change; stores whatever changed (a refused wrong
    /// code is counted, and stored) before answering.
    /// </summary>
    private async Task<Outcome<ActivityView>> Change(Actor actor, Func<ActivityEvent, DateTimeOffset, Failure?> change)
    {
        if (await Applied() is not { } activity)
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        var before = activity.Version;
        var refused = change(activity, now);
        if (activity.Version != before)
        {
            await Store(activity.NextDeadline);
            LogChanged(activity.Id, activity.History[^1].Action, actor.Username);
        }

        return refused is null ? activity.ToView(actor.Username, now) : refused;
    }

    /// <summary>The event with its end applied (and stored) if the end has come.</summary>
    private async Task<ActivityEvent?> Applied()
    {
        await ApplyEnd();
        return Event;
    }

    private async Task ApplyEnd()
    {
        if (Event is not { } activity)
        {
            return;
        }

        if (activity.Advance(time.GetUtcNow()))
        {
            await Store(NextWake());
            LogEnded(activity.Id, activity.PersonTimes, activity.NoShows);
        }

        if (activity.Closed && !state.State.HoursPosted)
        {
            await PostHours(activity);
        }
    }

    /// <summary>
    /// Credits each volunteer who came with their service time (check-in to check-out), once per
    /// activity (the key <c>activity:{id}</c>), after the end is stored. A ledger that does not
    /// answer is tried again from the reminder, which repeats until every one is posted.
    /// </summary>
    private async Task PostHours(ActivityEvent activity)
    {
        var length = (int)(activity.EndsAt - activity.StartsAt).TotalMinutes;
        try
        {
            var attendance = await AttendanceRule(activity);
            foreach (var line in activity.Roster.Where(a => a.Attended))
            {
                var minutes = line.MinutesWithin(activity.StartsAt, activity.EndsAt, activity.EndsAt);
                if (minutes <= 0)
                {
                    continue;
                }

                var credit = new HoursCredit($"activity:{activity.Id}", HoursSource.Activity, activity.Id, activity.Title,
                    activity.CommunityId, activity.StartsAt, minutes, length, ActivityRules.SystemActor);
                await GrainFactory.GetGrain<IHoursGrain>(HoursKeys.For(line.Volunteer)).Credit(credit);
                if (attendance is not null)
                {
                    await PostAttendancePoints(activity, line.Volunteer, attendance);
                }
            }
        }
        catch (Exception exception)
        {
            LogHoursNotPosted(exception, activity.Id);
            await Alarm.BringReminderForwardAsync(time.GetUtcNow() + ReminderPeriod);
            return;
        }

        state.State.HoursPosted = true;
        await Store(null);
    }

    /// <summary>The end, or, once it is applied, the retry of hours not yet posted; null when nothing is left.</summary>
    private DateTimeOffset? NextWake() =>
        Event is not { } activity ? null
        : activity.NextDeadline ?? (state.State.HoursPosted ? null : time.GetUtcNow());

    private async Task Store(DateTimeOffset? next)
    {
        await state.WriteOrReloadAsync(this, first: () => Alarm.BringReminderForwardAsync(next));
        if (next is null)
        {
            await Alarm.SettleReminderAsync(null);
        }
        else if (next > time.GetUtcNow())
        {
            Alarm.ArmTimer(next);
        }
    }

    private Failure NotFound() => Failure.NotFound("Activity", this.GetPrimaryKey().ToString());

    [LoggerMessage(Level = LogLevel.Information, Message = "Activity {ActivityId} in {CommunityId} scheduled {StartsAt} to {EndsAt}, organised by {Organiser}")]
    private partial void LogScheduled(Guid activityId, string communityId, DateTimeOffset startsAt, DateTimeOffset endsAt, string organiser);

    [LoggerMessage(Level = LogLevel.Information, Message = "Activity {ActivityId}: {Action} by {Actor}")]
    private partial void LogChanged(Guid activityId, ActivityAction action, string actor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Activity {ActivityId}: a freed place went to {Volunteer} from the waiting list")]
    private partial void LogPromoted(Guid activityId, string volunteer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Activity {ActivityId} ended: {PersonTimes} person-times, {NoShows} no-shows")]
    private partial void LogEnded(Guid activityId, int personTimes, int noShows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activity {ActivityId}: hours not posted yet, tried again from the reminder")]
    private partial void LogHoursNotPosted(Exception exception, Guid activityId);

    [GenerateSerializer, Alias("Dispatch.ActivityGrain.State")]
    public sealed class State
    {
        [Id(0)] public ActivityEvent? Event { get; set; }

        /// <summary>When the end reminder is registered for.</summary>
        [Id(1)] public DateTimeOffset? ReminderDue { get; set; }

        /// <summary>Every attendee's service time is credited to their hours.</summary>
        [Id(2)] public bool HoursPosted { get; set; }
    }
}
