using System.Collections.Immutable;
using Dispatch.Schemes;

namespace Dispatch.Posts;

/// <summary>
/// When a declared service is on offer: inside one of its weekly slots, on a day inside its date
/// ranges (every day when it names none). Times are China time, as providers declare them.
/// </summary>
public static class ServiceAvailability
{
    /// <summary>How far ahead a window is searched: a slot more than two weeks away does not make anyone available now.</summary>
    public const int MaxWindowDays = 14;

    /// <summary>True when <paramref name="at"/> falls inside one of the declaration's slots on a declared day.</summary>
    public static bool IsAvailableAt(PostDeclaration declaration, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        var local = at.ToOffset(PointsCalendar.Offset);
        var day = DateOnly.FromDateTime(local.DateTime);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return OnDeclaredDay(declaration, day)
            && Slots(declaration).Any(s => s.Day == local.DayOfWeek && s.From <= time && time < s.To);
    }

    /// <summary>
    /// True when one of the declaration's slots overlaps the window [<paramref name="from"/>,
    /// <paramref name="to"/>) on a declared day; a window longer than <see cref="MaxWindowDays"/>
    /// is cut to that many days.
    /// </summary>
    public static bool IsAvailableBetween(PostDeclaration declaration, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        if (to <= from)
        {
            return IsAvailableAt(declaration, from);
        }

        if (to - from > TimeSpan.FromDays(MaxWindowDays))
        {
            to = from.AddDays(MaxWindowDays);
        }

        var start = from.ToOffset(PointsCalendar.Offset);
        var end = to.ToOffset(PointsCalendar.Offset);
        for (var day = DateOnly.FromDateTime(start.DateTime); day <= DateOnly.FromDateTime(end.DateTime); day = day.AddDays(1))
        {
            if (!OnDeclaredDay(declaration, day))
            {
                continue;
            }

            foreach (var slot in Slots(declaration).Where(s => s.Day == day.DayOfWeek))
            {
                var slotStart = new DateTimeOffset(day.ToDateTime(slot.From), PointsCalendar.Offset);
                var slotEnd = new DateTimeOffset(day.ToDateTime(slot.To), PointsCalendar.Offset);
                if (slotStart < end && start < slotEnd)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The first problem with a slot, or null: it must end after it starts.</summary>
    public static string? Problem(WeeklySlot slot) =>
        slot.To <= slot.From ? "A slot must end after it starts (a slot past midnight is two slots)." : null;

    /// <summary>The first problem with a date range, or null: it must not end before it starts.</summary>
    public static string? Problem(DayRange range) =>
        range.To < range.From ? "A date range must not end before it starts." : null;

    private static bool OnDeclaredDay(PostDeclaration declaration, DateOnly day) =>
        declaration.Dates.IsDefaultOrEmpty || declaration.Dates.Any(r => r.From <= day && day <= r.To);

    private static ImmutableArray<WeeklySlot> Slots(PostDeclaration declaration) =>
        declaration.Slots.IsDefault ? [] : declaration.Slots;
}
