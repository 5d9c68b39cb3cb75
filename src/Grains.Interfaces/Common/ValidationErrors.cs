namespace Dispatch.Common;

/// <summary>
/// Collects problems with an input, keyed by the JSON name of the field at fault, in the shape
/// that RFC 9457 validation problem details use.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add(message);
        return this;
    }

    /// <summary>Adds <paramref name="message"/> when <paramref name="condition"/> is false.</summary>
    public ValidationErrors Require(bool condition, string field, string message) => condition ? this : Add(field, message);

    public ValidationErrors RequireText(string? value, string field, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? Add(field, $"'{field}' is required.") : this;
        }

        return Require(value.Length <= maxLength, field, $"'{field}' must be at most {maxLength} characters.");
    }

    public ValidationErrors RequireRange(int value, string field, int min, int max) =>
        Require(value >= min && value <= max, field, $"'{field}' must be between {min} and {max}.");

    /// <summary>The first field at fault as a refusal, or null: for a grain guarding its own callers, which the web host has checked already.</summary>
    public Failure? FirstFailure() =>
        errors.Count == 0 ? null : Failure.Invalid(errors.First().Key, string.Join(" ", errors.First().Value));

    public IDictionary<string, string[]> ToDictionary() =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
