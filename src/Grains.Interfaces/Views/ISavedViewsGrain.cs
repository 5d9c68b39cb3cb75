using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Views;

/// <summary>
/// One staff member's saved views of the board (their filters and table columns under a name),
/// keyed by <see cref="SavedViewKeys.Views"/>: kept on the server so they follow the person to
/// another computer.
/// </summary>
public interface ISavedViewsGrain : IGrainWithStringKey
{
    /// <summary>The saved views, by name.</summary>
    Task<ImmutableArray<SavedView>> List();

    /// <summary>Saves (or replaces) the view of that name; refused when the person already keeps the most views allowed.</summary>
    Task<Outcome<SavedView>> Put(SavedView view);

    /// <summary>Forgets the view of that name; false when there was none.</summary>
    Task<bool> Delete(string name);
}

/// <summary>The board's filters as a view keeps them: each left empty matches everything.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.SavedViewFilters")]
public sealed record SavedViewFilters(string? Kind, string? Urgency, string? Category, string? Community, bool Overdue, string? Text);

/// <summary>A named view of the board: its filters, the table's columns in order, and when it was saved.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.SavedView")]
public sealed record SavedView(string Name, SavedViewFilters Filters, ImmutableArray<string> Columns, DateTimeOffset SavedAt);

/// <summary>What a view may hold, checked by the web host before it asks the grain.</summary>
public static class SavedViewRules
{
    public const int MaxName = 60;
    public const int MaxViews = 30;
    public const int MaxFilterText = 200;

    /// <summary>The table's columns a view may name.</summary>
    public static readonly ImmutableArray<string> Columns =
        ["title", "kind", "urgency", "status", "categories", "community", "claimants", "owner", "due", "createdAt"];

    public static readonly ImmutableArray<string> Kinds = ["wish", "errand", "case", "activity"];
    public static readonly ImmutableArray<string> Urgencies = ["normal", "urgent", "critical"];

    /// <summary>A name as stored: trimmed; null when there is nothing left.</summary>
    public static string? NormalizeName(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();

    public static ValidationErrors Validate(string? name, SavedViewFilters? filters, IReadOnlyList<string>? columns)
    {
        var errors = new ValidationErrors();
        var normalized = NormalizeName(name);
        errors.RequireText(normalized, "name", MaxName);
        if (normalized is not null)
        {
            errors.Require(!normalized.Any(char.IsControl), "name", "'name' must not hold control characters.");
        }

        if (filters is not null)
        {
            errors.Require(Empty(filters.Kind) || Kinds.Contains(filters.Kind!), "filters.kind", "'filters.kind' must be wish, errand, case or activity.")
                .Require(Empty(filters.Urgency) || Urgencies.Contains(filters.Urgency!), "filters.urgency", "'filters.urgency' must be normal, urgent or critical.")
                .RequireText(filters.Category, "filters.category", MaxFilterText, required: false)
                .RequireText(filters.Community, "filters.community", MaxFilterText, required: false)
                .RequireText(filters.Text, "filters.text", MaxFilterText, required: false);
        }

        if (columns is not null)
        {
            errors.Require(columns.All(c => c is not null && Columns.Contains(c)), "columns", $"'columns' may name only {string.Join(", ", Columns)}.")
                .Require(columns.Distinct(StringComparer.Ordinal).Count() == columns.Count, "columns", "'columns' must not name a column twice.");
        }

        return errors;
    }

    private static bool Empty(string? value) => string.IsNullOrEmpty(value);
}

/// <summary>The saved views grain's key: a prefixed username (see GrainKeys on why keys carry a prefix).</summary>
public static class SavedViewKeys
{
    public const string ViewsPrefix = "views:";

    public static string Views(string username) => ViewsPrefix + username;
}
