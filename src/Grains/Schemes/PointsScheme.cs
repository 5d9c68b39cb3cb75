using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Places;

namespace Dispatch.Schemes;

/// <summary>
/// The points schemes (《积分管理办法》) of places as plain C#. A county or a town sets a scheme,
/// which applies below it; a lower place's rule replaces the same rule from above, within the
/// limit (<see cref="PointsRule.MaxPoints"/>) set above; a community may only override rules set
/// above it, never add one or set limits. Each place keeps its versions; a new version is added,
/// none is ever changed, so whatever was posted under an old version stays as it was.
/// </summary>
public static class PointsScheme
{
    public const int MaxRules = 100;
    public const int MaxPoints = 10_000;
    public const int MaxCap = 1_000_000;

    /// <summary>The version of <paramref name="versions"/> in force on <paramref name="on"/>: the newest whose date has come.</summary>
    public static PointsSchemeVersion? InForce(IEnumerable<PointsSchemeVersion> versions, DateOnly on) =>
        versions.Where(v => v.EffectiveFrom <= on).MaxBy(v => v.Version);

    /// <summary>
    /// The rules in force on <paramref name="on"/> at the last place of <paramref name="chain"/>:
    /// the places from the top of the hierarchy down, each with its kind and its versions.
    /// Figures above a limit set higher up (a limit lowered after a community's override) are cut to it.
    /// </summary>
    public static ImmutableArray<EffectiveRule> Resolve(
        IEnumerable<(string PlaceId, PlaceKind Kind, IReadOnlyList<PointsSchemeVersion> Versions)> chain, DateOnly on)
    {
        var rules = new Dictionary<string, EffectiveRule>(StringComparer.Ordinal);
        foreach (var (placeId, kind, versions) in chain)
        {
            if (kind is not (PlaceKind.County or PlaceKind.Town or PlaceKind.Community) || InForce(versions, on) is not { } version)
            {
                continue;
            }

            foreach (var rule in version.Rules.Where(r => (r.EffectiveFrom ?? version.EffectiveFrom) <= on))
            {
                var above = rules.GetValueOrDefault(rule.Rule);
                if (kind == PlaceKind.Community && above is null)
                {
                    continue;
                }

                var ceiling = kind == PlaceKind.Community ? above!.Ceiling : Lowest(above?.Ceiling, rule.MaxPoints);
                rules[rule.Rule] = new EffectiveRule(
                    rule.Rule,
                    Math.Min(rule.Points, above?.Ceiling ?? int.MaxValue),
                    above?.Cap is { } capAbove && kind == PlaceKind.Community ? Lowest(rule.Cap, capAbove) : rule.Cap,
                    rule.Period,
                    ceiling,
                    placeId,
                    version.Version);
            }
        }

        return [.. rules.Values.OrderBy(r => r.Rule, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The next version of the scheme of a place of <paramref name="kind"/> that has
    /// <paramref name="versions"/>, or why the draft is refused (the JSON field at fault). The
    /// draft is checked against <paramref name="inherited"/>: the rules in force from above on its date.
    /// </summary>
    public static Outcome<PointsSchemeVersion> Next(
        string placeId,
        PlaceKind kind,
        IReadOnlyList<PointsSchemeVersion> versions,
        SchemeDraft draft,
        IReadOnlyList<EffectiveRule> inherited,
        string by,
        DateTimeOffset at)
    {
        if (kind is not (PlaceKind.County or PlaceKind.Town or PlaceKind.Community))
        {
            return Failure.Invalid("id", "A points scheme is set at a county, a town or a community.");
        }

        if (versions.Count > 0 && draft.EffectiveFrom < versions[^1].EffectiveFrom)
        {
            return Failure.Invalid("effectiveFrom", $"'effectiveFrom' may not be before {versions[^1].EffectiveFrom:yyyy-MM-dd}, the date of version {versions[^1].Version}.");
        }

        var rules = draft.Rules.IsDefault ? [] : draft.Rules;
        if (rules.Length > MaxRules)
        {
            return Failure.Invalid("rules", $"A scheme holds at most {MaxRules} rules.");
        }

        var above = inherited.ToDictionary(r => r.Rule, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Length; i++)
        {
            if (Check(rules[i], $"rules[{i}]", kind, draft.EffectiveFrom, above.GetValueOrDefault(rules[i].Rule ?? "")) is { } failure)
            {
                return failure;
            }

            if (!seen.Add(rules[i].Rule))
            {
                return Failure.Invalid($"rules[{i}].rule", $"Rule '{rules[i].Rule}' is in the scheme twice.");
            }
        }

        return new PointsSchemeVersion(placeId, versions.Count + 1, draft.EffectiveFrom, rules, by, at);
    }

    private static Failure? Check(PointsRule rule, string at, PlaceKind kind, DateOnly effectiveFrom, EffectiveRule? above)
    {
        if (rule is null || string.IsNullOrWhiteSpace(rule.Rule) || !PointsRuleNames.IsKnown(rule.Rule))
        {
            return Failure.Invalid($"{at}.rule", $"'{rule?.Rule}' is not a rule: activity.attend, request.<kind>.<urgency>, role.<name> or rating.high.");
        }

        if (rule.Points is < 0 or > MaxPoints)
        {
            return Failure.Invalid($"{at}.points", $"'points' must be between 0 and {MaxPoints}.");
        }

        if (rule.Cap is < 1 or > MaxCap)
        {
            return Failure.Invalid($"{at}.cap", $"'cap' must be between 1 and {MaxCap}, or left out for no cap.");
        }

        if (!Enum.IsDefined(rule.Period))
        {
            return Failure.Invalid($"{at}.period", "'period' must be month, quarter or year.");
        }

        if (rule.EffectiveFrom < effectiveFrom)
        {
            return Failure.Invalid($"{at}.effectiveFrom", "A rule cannot apply before its version does.");
        }

        if (kind == PlaceKind.Community)
        {
            if (above is null)
            {
                return Failure.Invalid($"{at}.rule", $"'{rule.Rule}' is not set above this community: a community only overrides rules its county or town set.");
            }

            if (rule.MaxPoints is not null)
            {
                return Failure.Invalid($"{at}.maxPoints", "Only a county or a town sets limits for the places below it.");
            }
        }

        if (above?.Ceiling is { } ceiling && rule.Points > ceiling)
        {
            return Failure.Invalid($"{at}.points", $"'points' may be at most {ceiling} here: the limit set above for '{rule.Rule}'.");
        }

        if (rule.MaxPoints is { } max && (max < rule.Points || max > (above?.Ceiling ?? MaxPoints)))
        {
            return Failure.Invalid($"{at}.maxPoints", $"'maxPoints' must be between the rule's points and {above?.Ceiling ?? MaxPoints}.");
        }

        return null;
    }

    private static int? Lowest(int? a, int? b) => a is { } x && b is { } y ? Math.Min(x, y) : a ?? b;
}
