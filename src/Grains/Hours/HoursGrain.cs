using Dispatch.Activities;
using Dispatch.Common;
using Microsoft.Extensions.Logging;

namespace Dispatch.Hours;

/// <summary>Holds one volunteer's <see cref="ServiceHours"/>; changes one at a time, each stored before it is answered.</summary>
public sealed partial class HoursGrain(
    [PersistentState("hours", StorageNames.Dispatch)] IPersistentState<HoursGrain.State> state,
    TimeProvider time,
    ILogger<HoursGrain> logger) : Grain, IHoursGrain
{
    private ServiceHours Hours => state.State.Hours ??= ServiceHours.For(GrainKeys.IdOf(this.GetPrimaryKeyString(), HoursKeys.Prefix));

    public async Task<Outcome<HoursEntryView>> Credit(HoursCredit credit)
    {
        var before = Hours.Entries.Length;
        var credited = Hours.Credit(credit, Guid.NewGuid(), time.GetUtcNow());
        if (credited.Value is not { } entry)
        {
            return credited.Failure!;
        }

        if (Hours.Entries.Length != before)
        {
            await state.WriteOrReloadAsync(this);
            LogCredited(Hours.Username, entry.Source, entry.ReferenceId, entry.Minutes, entry.RecordedBy);
        }

        return entry.ToView();
    }

    public async Task<Outcome<HoursEntryView>> AddForActivity(ActivityView activity, int minutes, string reason, Actor actor)
    {
        if (activity.Phase != ActivityPhase.Ended)
        {
            return Failure.Conflict("activityNotEnded", "Hours are added by hand only once the activity has ended.");
        }

        var length = (int)(activity.EndsAt - activity.StartsAt).TotalMinutes;
        return await Credit(new HoursCredit(
            $"manual:{Guid.NewGuid()}", HoursSource.Manual, activity.Id, activity.Title, activity.CommunityId,
            activity.StartsAt, minutes, length, actor.Username, reason));
    }

    public async Task<Outcome<HoursEntryView>> Correct(Guid entryId, int minutes, string reason, Actor actor)
    {
        var corrected = Hours.Correct(entryId, minutes, actor, reason, time.GetUtcNow());
        if (corrected.Value is not { } entry)
        {
            return corrected.Failure!;
        }

        await state.WriteOrReloadAsync(this);
        LogCorrected(Hours.Username, entryId, entry.Minutes, actor.Username);
        return entry.ToView();
    }

    public Task<VolunteerHoursView> Get(DateTimeOffset? from, DateTimeOffset? to) => Task.FromResult(Hours.ToView(from, to));

    [LoggerMessage(Level = LogLevel.Information, Message = "Hours of {Volunteer}: {Minutes} minutes from {Source} {ReferenceId}, recorded by {RecordedBy}")]
    private partial void LogCredited(string volunteer, HoursSource source, Guid referenceId, int minutes, string recordedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hours of {Volunteer}: entry {EntryId} corrected to {Minutes} minutes by {Actor}")]
    private partial void LogCorrected(string volunteer, Guid entryId, int minutes, string actor);

    [GenerateSerializer, Alias("Dispatch.HoursGrain.State")]
    public sealed class State
    {
        [Id(0)] public ServiceHours? Hours { get; set; }
    }
}
