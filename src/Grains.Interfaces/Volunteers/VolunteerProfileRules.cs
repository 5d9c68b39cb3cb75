using System.Collections.Immutable;
using Dispatch.Applications;
using Dispatch.Common;
using Dispatch.Places;

namespace Dispatch.Volunteers;

/// <summary>The rules of a volunteer's own profile: the same limits as a report-in's fields.</summary>
public static class VolunteerProfileRules
{
    /// <summary>The change as posted: items and unit trimmed, an empty unit none.</summary>
    public static ProfileChange From(string?[]? skills, string?[]? availability, string? unit) =>
        new(Items(skills), Items(availability), string.IsNullOrWhiteSpace(unit) ? null : unit.Trim());

    /// <summary>Every problem, keyed by JSON name.</summary>
    public static ValidationErrors Check(ProfileChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var errors = new ValidationErrors().RequireText(change.Unit, "unit", ApplicationRules.MaxUnit, required: false);
        CheckList(errors, change.Skills, "skills", ApplicationRules.MaxSkills, ApplicationRules.MaxSkill);
        CheckList(errors, change.Availability, "availability", ApplicationRules.MaxAvailability, ApplicationRules.MaxAvailabilityItem);
        return errors;
    }

    /// <summary>
    /// Null when <paramref name="actor"/> may change the profile of <paramref name="volunteer"/>:
    /// the volunteer only. Staff read a profile, they do not speak for the volunteer (403 <c>outOfScope</c>).
    /// </summary>
    public static Failure? CheckChanger(string volunteer, Actor actor) =>
        string.Equals(volunteer, actor.Username, StringComparison.Ordinal)
            ? null
            : Scope.Refuse("A volunteer's profile is changed by the volunteer only.");

    private static void CheckList(ValidationErrors errors, ImmutableArray<string> items, string field, int most, int longest) =>
        errors
            .Require(items.Length <= most, field, $"'{field}' may hold at most {most} items.")
            .Require(items.All(i => i.Length is > 0 && i.Length <= longest), field, $"Each of '{field}' must be 1 to {longest} characters.");

    private static ImmutableArray<string> Items(string?[]? items) =>
        items is null ? [] : [.. items.Select(i => i?.Trim() ?? "").Distinct(StringComparer.Ordinal)];
}
