using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Activities;

/// <summary>Where a volunteer stands on an activity's roster.</summary>
public enum AttendanceStatus
{
    /// <summary>Holds one of the activity's places.</summary>
    SignedUp,

    /// <summary>On the waiting list: the first place freed is theirs.</summary>
    Waiting,

    /// <summary>Entered the organiser's code at the venue during the event.</summary>
    CheckedIn,

    /// <summary>Left after checking in (or was checked out when the event ended).</summary>
    CheckedOut,

    /// <summary>Held a place and did not check in before the event ended.</summary>
    NoShow,
}

/// <summary>Where the event is in time.</summary>
public enum ActivityPhase
{
    Scheduled,
    Underway,
    Ended,
}

public enum ActivityAction
{
    Scheduled,
    SignedUp,
    Waitlisted,
    Withdrew,
    PromotedFromWaitingList,
    CheckedIn,
    CheckInRejected,
    CheckedOut,
    CheckedOutAtEnd,
    NoShow,
}

/// <summary>The event section of an activity: when, where and who organises it.</summary>
/// <param name="Organiser">The username of the account that runs the event at the venue and shows the check-in code.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.EventDetails")]
public sealed record EventDetails(DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Venue, string Organiser);

/// <summary>What an activity's event is made from: its request's community, title and places, and the event section.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.NewActivityEvent")]
public sealed record NewActivityEvent(string CommunityId, string Title, int Places, EventDetails Details);

/// <summary>One volunteer's line on the roster.</summary>
/// <param name="Minutes">Service time counted so far: check-in to check-out, inside the event window.</param>
/// <param name="AutoCheckOut">True when the volunteer did not check out and the end of the event did.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.AttendanceView")]
public sealed record AttendanceView(
    string Volunteer,
    AttendanceStatus Status,
    DateTimeOffset SignedUpAt,
    DateTimeOffset? PlacedAt,
    DateTimeOffset? CheckedInAt,
    DateTimeOffset? CheckedOutAt,
    bool AutoCheckOut,
    int Minutes,
    int? WaitingPosition);

/// <param name="PersonTimes">人次: volunteers who checked in.</param>
/// <param name="Mine">The caller's own line, when they are on the roster.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.ActivityView")]
public sealed record ActivityView(
    Guid Id,
    string CommunityId,
    string Title,
    int Places,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string Venue,
    string Organiser,
    ActivityPhase Phase,
    int SignedUp,
    int Waiting,
    int PersonTimes,
    int NoShows,
    int Version,
    AttendanceView? Mine = null);

/// <summary>The roster of an activity and what it adds up to, for the organiser and staff.</summary>
/// <param name="ServiceMinutes">Service time of everyone who checked in, in minutes.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.AttendanceList")]
public sealed record AttendanceList(
    Guid ActivityId,
    ActivityPhase Phase,
    int Places,
    int PersonTimes,
    int NoShows,
    int ServiceMinutes,
    ImmutableArray<AttendanceView> Attendance);

/// <summary>The code volunteers enter at the venue, and until when it is accepted as the current one.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.CheckInCodeView")]
public sealed record CheckInCodeView([property: SecretData] string Code, DateTimeOffset ValidUntil)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>One change of an activity's roster: who did what to whose line, when.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ActivityEntry")]
public sealed record ActivityEntry(int Seq, DateTimeOffset At, string Actor, ActivityAction Action, string? Volunteer, string? Note);
