using Dispatch.Common;

namespace Dispatch.Activities;

/// <summary>
/// The event section of one activity, keyed by its request's id: the roster with its waiting list,
/// the check-in code and attendance. Every answer about a change is given after it is stored.
/// </summary>
/// <remarks>
/// Who may do what is decided here from the roster and the organiser's name; the web host has
/// checked the caller's scope over the request (<paramref name="staffInScope"/> says it covers it).
/// </remarks>
public interface IActivityGrain : IGrainWithGuidKey
{
    /// <summary>Sets the event up once; the same schedule again (a retry) answers the same view.</summary>
    Task<Outcome<ActivityView>> Schedule(NewActivityEvent activity, Actor actor);

    /// <summary>The event with the caller's own line; null when the request has no event section.</summary>
    Task<ActivityView?> Get(string username);

    Task<Outcome<ActivityView>> SignUp(Actor actor);

    Task<Outcome<ActivityView>> Withdraw(Actor actor);

    /// <summary>The current check-in code, for the organiser or staff in scope, only while the event is underway.</summary>
    Task<Outcome<CheckInCodeView>> CurrentCode(Actor actor, bool staffInScope);

    Task<Outcome<ActivityView>> CheckIn(Actor actor, string code);

    Task<Outcome<ActivityView>> CheckOut(Actor actor);

    /// <summary>The roster and its sums, for the organiser or staff in scope.</summary>
    Task<Outcome<AttendanceList>> Attendance(Actor actor, bool staffInScope);
}
