using System.Text.Json;
using Dispatch.Common;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>Query-string parsing that reports the parameter at fault instead of failing the binding.</summary>
public static class Query
{
    /// <summary>Parses a camelCase enum name (as the JSON uses); null when absent.</summary>
    public static TEnum? ParseEnum<TEnum>(string? value, string name, ValidationErrors errors)
        where TEnum : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(JsonNamingPolicy.CamelCase.ConvertName(candidate.ToString()), value.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        var allowed = string.Join(", ", Enum.GetNames<TEnum>().Select(JsonNamingPolicy.CamelCase.ConvertName));
        errors.Add(name, $"'{name}' must be one of {allowed}.");
        return null;
    }

    public static int ParseInt(string? value, string name, int fallback, int min, int max, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number)
            && number >= min && number <= max)
        {
            return number;
        }

        errors.Add(name, $"'{name}' must be a whole number between {min} and {max}.");
        return fallback;
    }

    /// <summary>
    /// The page a list route is asked for (<c>page</c> from 1, <c>pageSize</c> up to
    /// <paramref name="maxSize"/>), each parameter at fault named in <paramref name="errors"/>.
    /// </summary>
    public static PageRequest Paging(string? page, string? pageSize, int defaultSize, int maxSize, ValidationErrors errors, int maxPage = int.MaxValue) =>
        new(ParseInt(page, "page", 1, 1, maxPage, errors), ParseInt(pageSize, "pageSize", defaultSize, 1, maxSize, errors));
}

/// <summary>A page of a list: its number (from 1) and size.</summary>
public readonly record struct PageRequest(int Number, int Size)
{
    /// <summary>The items before this page.</summary>
    public int Skip => (int)Math.Min((long)(Number - 1) * Size, int.MaxValue);

    /// <summary>This page of <paramref name="items"/>, already in their order.</summary>
    public IEnumerable<T> Of<T>(IEnumerable<T> items) => items.Skip(Skip).Take(Size);
}
