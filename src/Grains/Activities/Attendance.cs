namespace Dispatch.Activities;

/// <summary>One volunteer's line on an activity's roster, in sign-up order.</summary>
/// <param name="PlacedAt">When they got a place: at sign-up, or when one was freed for them on the waiting list.</param>
/// <param name="AutoCheckOut">The end of the event checked them out: they did not themselves.</param>
/// <param name="WrongCodes">Wrong check-in codes they entered.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.Attendance")]
public sealed record Attendance(
    [property: Id(0)] string Volunteer,
    [property: Id(1)] AttendanceStatus Status,
    [property: Id(2)] DateTimeOffset SignedUpAt,
    [property: Id(3)] DateTimeOffset? PlacedAt = null,
    [property: Id(4)] DateTimeOffset? CheckedInAt = null,
    [property: Id(5)] DateTimeOffset? CheckedOutAt = null,
    [property: Id(6)] bool AutoCheckOut = false,
    [property: Id(7)] int WrongCodes = 0)
{
    /// <summary>Holds a place (whether or not they came).</summary>
    public bool IsPlaced => Status != AttendanceStatus.Waiting;

    /// <summary>Came: one person-time (人次).</summary>
    public bool Attended => CheckedInAt is not null;

    /// <summary>
    /// Actual service time: check-in to check-out, inside the event's window, in whole minutes
    /// (still checked in: up to <paramref name="now"/>).
    /// </summary>
    public int MinutesWithin(DateTimeOffset startsAt, DateTimeOffset endsAt, DateTimeOffset now)
    {
        if (CheckedInAt is not { } inAt)
        {
            return 0;
        }

        var from = inAt < startsAt ? startsAt : inAt;
        var outAt = CheckedOutAt ?? now;
        var to = outAt > endsAt ? endsAt : outAt;
        return to <= from ? 0 : (int)(to - from).TotalMinutes;
    }
}
