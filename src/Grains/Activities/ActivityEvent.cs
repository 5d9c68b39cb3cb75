using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Dispatch.Common;

namespace Dispatch.Activities;

/// <summary>
/// An activity as an event, as plain C#: its window, venue and organiser, the roster of its N
/// places with a waiting list, the check-in code and attendance. The activity grain holds one and
/// stores it after every change this class accepts.
/// </summary>
/// <remarks>
/// Signing up takes a free place or joins the waiting list; a place given back goes to the first
/// who waits. Check-in needs the organiser's current code and is open only from the start to the
/// end of the event. When the event ends (<see cref="Advance"/>), whoever held a place and never
/// checked in is a no-show and whoever is still checked in is checked out at the end.
/// </remarks>
[GenerateSerializer, Alias("Dispatch.ActivityEvent")]
public sealed class ActivityEvent
{
    [Id(0)] public Guid Id { get; private set; }
    [Id(1)] public string CommunityId { get; private set; } = "";
    [Id(2)] public string Title { get; private set; } = "";
    [Id(3)] public int Places { get; private set; }
    [Id(4)] public DateTimeOffset StartsAt { get; private set; }
    [Id(5)] public DateTimeOffset EndsAt { get; private set; }
    [Id(6)] public string Venue { get; private set; } = "";
    [Id(7)] public string Organiser { get; private set; } = "";
    [Id(8)] public string ScheduledBy { get; private set; } = "";

    /// <summary>The key the rotating check-in codes are drawn from; never leaves the grain.</summary>
    [Id(9)] [SecretData] public string CodeKey { get; private set; } = "";

    [Id(10)] public ImmutableArray<Attendance> Roster { get; private set; } = [];

    /// <summary>The end was applied: no-shows and check-outs at the end are recorded.</summary>
    [Id(11)] public bool Closed { get; private set; }

    [Id(12)] public ImmutableArray<ActivityEntry> History { get; private set; } = [];

    /// <summary>Grows by one with every accepted change.</summary>
    public int Version => History.Length;

    public EventDetails Details => new(StartsAt, EndsAt, Venue, Organiser);

    public int PlacesTaken => Roster.Count(a => a.IsPlaced);

    public int PersonTimes => Roster.Count(a => a.Attended);

    public int NoShows => Roster.Count(a => a.Status == AttendanceStatus.NoShow);

    public ImmutableArray<Attendance> WaitingList => [.. Roster.Where(a => a.Status == AttendanceStatus.Waiting)];

    /// <param name="codeKey">The secret the check-in codes derive from (drawn at random by the grain).</param>
    public static ActivityEvent Schedule(Guid id, NewActivityEvent spec, Actor actor, string codeKey, DateTimeOffset now)
    {
        var activity = new ActivityEvent
        {
            Id = id,
            CommunityId = spec.CommunityId,
            Title = spec.Title.Trim(),
            Places = spec.Places,
            StartsAt = spec.Details.StartsAt,
            EndsAt = spec.Details.EndsAt,
            Venue = spec.Details.Venue.Trim(),
            Organiser = Identifiers.NormalizeUsername(spec.Details.Organiser),
            ScheduledBy = actor.Username,
            CodeKey = codeKey,
        };
        activity.Record(actor.Username, ActivityAction.Scheduled, volunteer: null, note: null, now);
        return activity;
    }

    public ActivityPhase PhaseAt(DateTimeOffset now) =>
        Closed || now >= EndsAt ? ActivityPhase.Ended
        : now >= StartsAt ? ActivityPhase.Underway
        : ActivityPhase.Scheduled;

    /// <summary>The next moment the event changes by itself (its end), or null once that is applied.</summary>
    public DateTimeOffset? NextDeadline => Closed ? null : EndsAt;

    /// <summary>Applies the end when it has come: no-shows and check-outs at the end. True when something changed.</summary>
    public bool Advance(DateTimeOffset now)
    {
        if (Closed || now < EndsAt)
        {
            return false;
        }

        Closed = true;
        for (var i = 0; i < Roster.Length; i++)
        {
            var line = Roster[i];
            if (line.Status == AttendanceStatus.SignedUp)
            {
                Roster = Roster.SetItem(i, line with { Status = AttendanceStatus.NoShow });
                Record(ActivityRules.SystemActor, ActivityAction.NoShow, line.Volunteer, note: null, EndsAt);
            }
            else if (line.Status == AttendanceStatus.CheckedIn)
            {
                Roster = Roster.SetItem(i, line with { Status = AttendanceStatus.CheckedOut, CheckedOutAt = EndsAt, AutoCheckOut = true });
                Record(ActivityRules.SystemActor, ActivityAction.CheckedOutAtEnd, line.Volunteer, note: null, EndsAt);
            }
        }

        return true;
    }

    /// <summary>Takes a free place for the volunteer, or puts them on the waiting list when every place is taken.</summary>
    public Outcome<Attendance> SignUp(Actor actor, DateTimeOffset now)
    {
        if (PhaseAt(now) == ActivityPhase.Ended)
        {
            return Ended("sign up for");
        }

        if (Find(actor.Username) is not null)
        {
            return Failure.Conflict("alreadySignedUp", $"'{actor.Username}' is already on this activity's roster.");
        }

        var placed = PlacesTaken < Places;
        var line = new Attendance(actor.Username, placed ? AttendanceStatus.SignedUp : AttendanceStatus.Waiting, now, placed ? now : null);
        Roster = Roster.Add(line);
        Record(actor.Username, placed ? ActivityAction.SignedUp : ActivityAction.Waitlisted, actor.Username,
            placed ? null : $"waiting list position {WaitingList.Length}", now);
        return line;
    }

    /// <summary>
    /// Takes the volunteer off the roster before they have checked in; a place they held goes to
    /// the first on the waiting list. Answers who got the place, if anyone.
    /// </summary>
    public Outcome<Promotion> Withdraw(Actor actor, DateTimeOffset now)
    {
        if (PhaseAt(now) == ActivityPhase.Ended)
        {
            return Ended("withdraw from");
        }

        if (Find(actor.Username) is not { } line)
        {
            return NotOnRoster(actor.Username);
        }

        if (line.Attended)
        {
            return Failure.Conflict("alreadyCheckedIn", "You checked in already: your attendance stays on record.");
        }

        Roster = Roster.RemoveAll(a => a.Volunteer == actor.Username);
        Record(actor.Username, ActivityAction.Withdrew, actor.Username, note: null, now);
        if (!line.IsPlaced || Roster.FirstOrDefault(a => a.Status == AttendanceStatus.Waiting) is not { } next)
        {
            return new Promotion(null);
        }

        var index = Roster.IndexOf(next);
        Roster = Roster.SetItem(index, next with { Status = AttendanceStatus.SignedUp, PlacedAt = now });
        Record(ActivityRules.SystemActor, ActivityAction.PromotedFromWaitingList, next.Volunteer, $"place freed by '{actor.Username}'", now);
        return new Promotion(next.Volunteer);
    }

    /// <summary>The code the organiser shows now: only the organiser or staff in scope, only while the event is underway.</summary>
    public Outcome<CheckInCodeView> CurrentCode(Actor actor, bool staffInScope, DateTimeOffset now)
    {
        if (!MayRun(actor, staffInScope))
        {
            return NotOrganiser();
        }

        if (WindowRefusal(now, "show the check-in code of") is { } refused)
        {
            return refused;
        }

        var slot = SlotAt(now);
        var validUntil = StartsAt + (ActivityLimits.CodeSpan * (slot + 1));
        return new CheckInCodeView(ActivityRules.Code(CodeKey, slot), validUntil < EndsAt ? validUntil : EndsAt);
    }

    /// <summary>
    /// Records the volunteer's arrival with the organiser's code (the current one or the one just
    /// before it). A wrong code is counted on their line; after <see cref="ActivityLimits.MaxWrongCodes"/>
    /// only a manual record counts them. Checking in again is answered as done, with no change.
    /// </summary>
    public Failure? CheckIn(Actor actor, string code, DateTimeOffset now)
    {
        if (WindowRefusal(now, "check in to") is { } refused)
        {
            return refused;
        }

        if (Find(actor.Username) is not { } line)
        {
            return NotOnRoster(actor.Username);
        }

        switch (line.Status)
        {
            case AttendanceStatus.Waiting:
                return Failure.Conflict("onWaitingList", "You are on the waiting list: check in once a place is freed for you.");
            case AttendanceStatus.CheckedIn:
                return null;
            case AttendanceStatus.CheckedOut:
                return Failure.Conflict("alreadyCheckedOut", "You checked out of this activity already.");
        }

        if (line.WrongCodes >= ActivityLimits.MaxWrongCodes)
        {
            return Failure.Conflict("checkInLocked", "Too many wrong codes were entered: ask the organiser to record your attendance.");
        }

        var slot = SlotAt(now);
        if (!Matches(code.Trim(), slot) && !(slot > 0 && Matches(code.Trim(), slot - 1)))
        {
            var wrong = line.WrongCodes + 1;
            Replace(line with { WrongCodes = wrong });
            Record(actor.Username, ActivityAction.CheckInRejected, actor.Username, $"wrong code ({wrong} of {ActivityLimits.MaxWrongCodes})", now);
            return new Failure(FailureKind.Invalid, "wrongCheckInCode",
                $"The code does not match the organiser's ({ActivityLimits.MaxWrongCodes - wrong} attempts left).", "code");
        }

        Replace(line with { Status = AttendanceStatus.CheckedIn, CheckedInAt = now });
        Record(actor.Username, ActivityAction.CheckedIn, actor.Username, note: null, now);
        return null;
    }

    /// <summary>Records the volunteer's leaving; their service time is check-in to now. Checking out again changes nothing.</summary>
    public Failure? CheckOut(Actor actor, DateTimeOffset now)
    {
        if (Find(actor.Username) is not { } line)
        {
            return NotOnRoster(actor.Username);
        }

        if (line.Status == AttendanceStatus.CheckedOut)
        {
            return null;
        }

        if (line.Status != AttendanceStatus.CheckedIn)
        {
            return Failure.Conflict("notCheckedIn", "Check in with the organiser's code before checking out.");
        }

        if (PhaseAt(now) == ActivityPhase.Ended)
        {
            return Ended("check out of");
        }

        Replace(line with { Status = AttendanceStatus.CheckedOut, CheckedOutAt = now });
        Record(actor.Username, ActivityAction.CheckedOut, actor.Username, note: null, now);
        return null;
    }

    /// <summary>The roster and its sums, for the organiser or staff in scope.</summary>
    public Outcome<AttendanceList> AttendanceFor(Actor actor, bool staffInScope, DateTimeOffset now) =>
        MayRun(actor, staffInScope)
            ? new AttendanceList(Id, PhaseAt(now), Places, PersonTimes, NoShows,
                Roster.Sum(a => a.MinutesWithin(StartsAt, EndsAt, now)), [.. Roster.Select(a => ViewOf(a, now))])
            : NotOrganiser();

    public Attendance? Find(string username) => Roster.FirstOrDefault(a => a.Volunteer == username);

    public ActivityView ToView(string? username, DateTimeOffset now) => new(
        Id, CommunityId, Title, Places, StartsAt, EndsAt, Venue, Organiser, PhaseAt(now),
        PlacesTaken, WaitingList.Length, PersonTimes, NoShows, Version,
        username is not null && Find(username) is { } mine ? ViewOf(mine, now) : null);

    public AttendanceView ViewOf(Attendance line, DateTimeOffset now)
    {
        int? position = line.Status == AttendanceStatus.Waiting ? WaitingList.IndexOf(line) + 1 : null;
        return new AttendanceView(line.Volunteer, line.Status, line.SignedUpAt, line.PlacedAt, line.CheckedInAt,
            line.CheckedOutAt, line.AutoCheckOut, line.MinutesWithin(StartsAt, EndsAt, now), position);
    }

    /// <summary>The organiser runs the event; staff in scope (and admins) may stand in for them.</summary>
    private bool MayRun(Actor actor, bool staffInScope) =>
        actor.IsAdmin || (actor.IsStaff && staffInScope) || actor.Username == Organiser;

    private long SlotAt(DateTimeOffset now) => (long)((now - StartsAt) / ActivityLimits.CodeSpan);

    private bool Matches(string code, long slot) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(code), Encoding.UTF8.GetBytes(ActivityRules.Code(CodeKey, slot)));

    private Failure? WindowRefusal(DateTimeOffset now, string what) => PhaseAt(now) switch
    {
        ActivityPhase.Scheduled => Failure.Conflict("activityNotStarted", $"You can {what} this activity only once it has started ({StartsAt:u})."),
        ActivityPhase.Ended => Ended(what),
        _ => null,
    };

    private void Replace(Attendance line) =>
        Roster = Roster.SetItem(Roster.IndexOf(Find(line.Volunteer)!), line);

    private void Record(string actor, ActivityAction action, string? volunteer, string? note, DateTimeOffset now) =>
        History = History.Add(new ActivityEntry(History.Length + 1, now, actor, action, volunteer, note));

    private static Failure Ended(string what) =>
        Failure.Conflict("activityEnded", $"This activity has ended: you can no longer {what} it.");

    private static Failure NotOnRoster(string username) =>
        Failure.Conflict("notSignedUp", $"'{username}' is not signed up for this activity.");

    private static Failure NotOrganiser() =>
        Failure.Forbidden("notOrganiser", "Only the activity's organiser or staff in scope may do this.");
}

/// <summary>Who got the place a withdrawal freed, if anyone.</summary>
public sealed record Promotion(string? Volunteer);

/// <summary>How check-in codes are drawn.</summary>
public static class ActivityRules
{
    /// <summary>Who the event's own clock acts as in its history.</summary>
    public const string SystemActor = "system";

    /// <summary>A new random key for an activity's codes.</summary>
    public static string NewCodeKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The six-digit code of one <see cref="ActivityLimits.CodeSpan"/> of the event: HMAC-SHA256 of the slot's number, truncated as HOTP does.</summary>
    public static string Code(string codeKey, long slot)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, slot);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(Convert.FromBase64String(codeKey), counter, hash);
        var offset = hash[^1] & 0x0F;
        var value = BinaryPrimitives.ReadInt32BigEndian(hash.Slice(offset, 4)) & 0x7FFFFFFF;
        return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }
}
