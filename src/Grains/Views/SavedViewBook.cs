using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Views;

/// <summary>
/// One person's saved views, by name (compared as written, after trimming): saving a name again
/// replaces that view; a new name is refused once <see cref="SavedViewRules.MaxViews"/> are kept.
/// </summary>
[GenerateSerializer, Alias("Dispatch.SavedViewBook")]
public sealed class SavedViewBook
{
    [Id(0)] public List<SavedView> Views { get; set; } = [];

    public ImmutableArray<SavedView> List() => [.. Views.OrderBy(v => v.Name, StringComparer.Ordinal)];

    public Outcome<SavedView> Put(SavedView view)
    {
        var index = Views.FindIndex(v => string.Equals(v.Name, view.Name, StringComparison.Ordinal));
        if (index >= 0)
        {
            Views[index] = view;
            return view;
        }

        if (Views.Count >= SavedViewRules.MaxViews)
        {
            return Failure.Conflict("tooManyViews", $"At most {SavedViewRules.MaxViews} views can be saved; delete one first.");
        }

        Views.Add(view);
        return view;
    }

    /// <summary>Removes the view of that name; answers it (to put it back if the write fails), or null when there was none.</summary>
    public SavedView? Remove(string name)
    {
        var index = Views.FindIndex(v => string.Equals(v.Name, name, StringComparison.Ordinal));
        if (index < 0)
        {
            return null;
        }

        var removed = Views[index];
        Views.RemoveAt(index);
        return removed;
    }

    public SavedViewBook Copy() => new() { Views = [.. Views] };
}
