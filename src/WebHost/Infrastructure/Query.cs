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
}
