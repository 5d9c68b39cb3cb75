using Dispatch.Common;

namespace Dispatch.Places;

/// <summary>What a place must be: a valid id and name, and exactly one level below its parent.</summary>
public static class PlaceRules
{
    public const int MaxName = 200;

    public static ValidationErrors Check(NewPlace place)
    {
        var errors = new ValidationErrors()
            .Require(Identifiers.IsValidPlaceId(place.Id), "id", "'id' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
            .RequireText(place.Name, "name", MaxName)
            .Require(Enum.IsDefined(place.Kind), "kind", "'kind' must be one of region, county, town, community, grid.");
        if (place.Kind == PlaceKind.Region)
        {
            errors.Require(place.ParentId is null, "parentId", "A region has no parent.");
        }
        else
        {
            errors.Require(place.ParentId is not null, "parentId", $"A place of kind '{Name(place.Kind)}' needs a parent.");
        }

        return errors;
    }

    public static Failure? Validate(NewPlace place)
    {
        var errors = Check(place).ToDictionary();
        return errors.Count == 0 ? null : Failure.Invalid(errors.First().Key, errors.First().Value[0]);
    }

    /// <summary>
    /// Whether creating <paramref name="place"/> again is a retry of the creation that made
    /// <paramref name="existing"/>: the same id, name (trimmed), kind and parent.
    /// </summary>
    public static bool IsRetryOf(PlaceInfo existing, NewPlace place) =>
        string.Equals(existing.Id, place.Id, StringComparison.Ordinal)
        && string.Equals(existing.Name, place.Name?.Trim(), StringComparison.Ordinal)
        && existing.Kind == place.Kind
        && string.Equals(existing.ParentId, place.ParentId, StringComparison.Ordinal);

    /// <summary>Null when <paramref name="kind"/> may sit directly below <paramref name="parentKind"/>.</summary>
    public static Failure? CheckParent(PlaceKind kind, PlaceKind parentKind) =>
        (int)kind == (int)parentKind + 1
            ? null
            : Failure.Invalid("parentId", $"A {Name(kind)} cannot be placed under a {Name(parentKind)}.");

    private static string Name(PlaceKind kind) => kind.ToString().ToLowerInvariant();
}
