using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Hours;

/// <summary>
/// One volunteer's service hours as plain C#, kept as the rules for volunteer service records ask
/// (true, accurate, complete, timely): each entry is actual service time from an activity's
/// attendance or a verified request, recorded once; hours added by hand afterwards are marked
/// manual and name who added them and why; no service counts for more than its own length; a
/// correction keeps what it changed in the entry's history. The hours grain holds one.
/// </summary>
[GenerateSerializer, Alias("Dispatch.ServiceHours")]
public sealed class ServiceHours
{
    [Id(0)] public string Username { get; private set; } = "";
    [Id(1)] public ImmutableArray<HoursEntry> Entries { get; private set; } = [];

    public static ServiceHours For(string username) => new() { Username = username };

    public int TotalMinutes => Entries.Sum(e => e.Minutes);

    /// <summary>
    /// Records <paramref name="credit"/> once: a credit under a key already recorded changes
    /// nothing (a retry). Refused when it would make its service count for more than
    /// <see cref="HoursCredit.MaxMinutes"/>, or a manual one carries no reason.
    /// </summary>
    public Outcome<HoursEntry> Credit(HoursCredit credit, Guid entryId, DateTimeOffset now)
    {
        if (Entries.FirstOrDefault(e => e.Key == credit.Key) is { } recorded)
        {
            return recorded;
        }

        if (credit.Minutes <= 0)
        {
            return Failure.Invalid("minutes", "'minutes' must be more than 0.");
        }

        var manual = credit.Source == HoursSource.Manual;
        if (manual && string.IsNullOrWhiteSpace(credit.Reason))
        {
            return Failure.Invalid("reason", "Hours added by hand need a reason.");
        }

        var room = credit.MaxMinutes - MinutesFor(credit.ReferenceId);
        if (credit.Minutes > room)
        {
            return TooLong(room);
        }

        var entry = new HoursEntry(entryId, credit.Key, credit.Source, credit.ReferenceId, credit.Title, credit.CommunityId,
            credit.ServedAt, credit.Minutes, credit.MaxMinutes, credit.RecordedBy, now, credit.Reason?.Trim(), []);
        Entries = Entries.Add(entry);
        return entry;
    }

    /// <summary>Sets an entry's minutes, keeping the old value, who and why in its history.</summary>
    public Outcome<HoursEntry> Correct(Guid entryId, int minutes, Actor actor, string reason, DateTimeOffset now)
    {
        if (Entries.FirstOrDefault(e => e.Id == entryId) is not { } entry)
        {
            return Failure.NotFound("Hours entry", entryId.ToString());
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Failure.Invalid("reason", "A correction needs a reason.");
        }

        if (minutes < 0)
        {
            return Failure.Invalid("minutes", "'minutes' must be 0 or more.");
        }

        var room = entry.MaxMinutes - (MinutesFor(entry.ReferenceId) - entry.Minutes);
        if (minutes > room)
        {
            return TooLong(room);
        }

        if (minutes == entry.Minutes)
        {
            return entry;
        }

        var corrected = entry with
        {
            Minutes = minutes,
            Corrections = entry.Corrections.Add(new HoursCorrection(now, actor.Username, entry.Minutes, minutes, reason.Trim())),
        };
        Entries = Entries.SetItem(Entries.IndexOf(entry), corrected);
        return corrected;
    }

    /// <summary>Minutes recorded for one activity or request, across its entries.</summary>
    public int MinutesFor(Guid referenceId) => Entries.Where(e => e.ReferenceId == referenceId).Sum(e => e.Minutes);

    /// <summary>Entries served in the half-open period [from, to), either end open when null.</summary>
    public IEnumerable<HoursEntry> In(DateTimeOffset? from, DateTimeOffset? to) =>
        Entries.Where(e => (from is null || e.ServedAt >= from) && (to is null || e.ServedAt < to));

    public VolunteerHoursView ToView(DateTimeOffset? from, DateTimeOffset? to)
    {
        var period = In(from, to).OrderByDescending(e => e.ServedAt).Select(e => e.ToView()).ToImmutableArray();
        var minutes = period.Sum(e => e.Minutes);
        var personTimes = HoursRollup.PersonTimes(period.Select(e => (Username, e)));
        var total = TotalMinutes;
        return new VolunteerHoursView(Username, from, to, minutes, HoursLimits.ToHours(minutes), personTimes,
            total, HoursLimits.ToHours(total), HoursLimits.StarsFor(total), HoursLimits.NextStarAt(total), period);
    }

    private static Failure TooLong(int room) => new(
        FailureKind.Invalid, "exceedsServiceLength",
        $"This would count more than the service's own length: at most {Math.Max(room, 0)} more minutes.", "minutes", Limit: Math.Max(room, 0));
}

/// <summary>One recorded service: what, where, when, how long, who recorded it; its corrections.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.HoursEntry")]
public sealed record HoursEntry(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Key,
    [property: Id(2)] HoursSource Source,
    [property: Id(3)] Guid ReferenceId,
    [property: Id(4)] string Title,
    [property: Id(5)] string CommunityId,
    [property: Id(6)] DateTimeOffset ServedAt,
    [property: Id(7)] int Minutes,
    [property: Id(8)] int MaxMinutes,
    [property: Id(9)] string RecordedBy,
    [property: Id(10)] DateTimeOffset RecordedAt,
    [property: Id(11)] string? Reason,
    [property: Id(12)] ImmutableArray<HoursCorrection> Corrections)
{
    public HoursEntryView ToView() => new(
        Id, Source, ReferenceId, Title, CommunityId, ServedAt, Minutes, Source == HoursSource.Manual,
        RecordedBy, RecordedAt, Reason, Corrections);
}
