using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.WebHost.Sheets;

/// <summary>
/// The header row of an uploaded sheet, matched against a sheet's columns: by their name in either
/// language or their JSON field, with or without the template's <c>*</c> and bracketed hints, in
/// any order.
/// </summary>
public static class SheetHeader
{
    /// <summary>
    /// The header's columns, by their JSON field, or the problems with it (keyed <c>header</c>): a
    /// required column missing, a column nobody knows, a column twice.
    /// </summary>
    public static (ImmutableDictionary<string, int>? Positions, ValidationErrors? Errors) Read(
        IReadOnlyList<SheetColumn> columns, IReadOnlyList<string?> header, string sheetName)
    {
        var errors = new ValidationErrors();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = Plain(header[i]);
            if (name.Length == 0)
            {
                continue;
            }

            var column = columns.FirstOrDefault(c =>
                string.Equals(name, c.Zh, StringComparison.Ordinal) || string.Equals(name, c.En, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, c.Field, StringComparison.OrdinalIgnoreCase));
            if (column is null)
            {
                errors.Add("header", $"Column {ColumnLetter(i)} ('{header[i]}') is not a column of the {sheetName}.", "unknownColumn");
            }
            else if (!positions.TryAdd(column.Field, i))
            {
                errors.Add("header", $"Column {ColumnLetter(i)} repeats '{column.En}'.", "repeatedColumn");
            }
        }

        foreach (var column in columns.Where(c => c.Required && !positions.ContainsKey(c.Field)))
        {
            errors.Add("header", $"The column '{column.En}' ({column.Zh}) is missing.", "missingColumn");
        }

        return errors.IsEmpty ? (positions.ToImmutableDictionary(), null) : (null, errors);
    }

    /// <summary>A row's cell under the column of <paramref name="field"/>, trimmed; null when the column is absent or the cell blank.</summary>
    public static string? Cell(IReadOnlyList<string?> cells, ImmutableDictionary<string, int> positions, string field) =>
        positions.TryGetValue(field, out var i) && i < cells.Count && cells[i]?.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>A header without the template's <c>*</c> and bracketed hint.</summary>
    private static string Plain(string? header)
    {
        var text = (header ?? "").Trim().TrimStart('*').Trim();
        var bracket = text.IndexOfAny(['(', '（']);
        return (bracket >= 0 ? text[..bracket] : text).Trim();
    }

    private static string ColumnLetter(int index) =>
        index < 26 ? ((char)('A' + index)).ToString() : ColumnLetter((index / 26) - 1) + (char)('A' + (index % 26));
}
