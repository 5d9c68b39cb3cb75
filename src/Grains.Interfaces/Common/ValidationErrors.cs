namespace Dispatch.Common;

/// <summary>
/// Collects problems with an input, keyed by the JSON name of the field at fault, in the shape
/// that RFC 9457 validation problem details use. Each message has a stable camelCase code beside
/// it (<c>required</c>, <c>tooLong</c>, <c>outOfRange</c>, <c>invalid</c> unless a rule names its
/// own), for a reader that translates the reason instead of showing the English message.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<(string Message, string Code)>> errors = new(StringComparer.Ordinal);

    public bool IsEmpty => errors.Count == 0;

    public ValidationErrors Add(string field, string message) => Add(field, message, "invalid");

    public ValidationErrors Add(string field, string message, string code)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.Add((message, code));
        return this;
    }

    /// <summary>Adds <paramref name="message"/> (with <paramref name="code"/>) when <paramref name="condition"/> is false.</summary>
    public ValidationErrors Require(bool condition, string field, string message, string code = "invalid") =>
        condition ? this : Add(field, message, code);

    public ValidationErrors RequireText(string? value, string field, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? Add(field, $"'{field}' is required.", "required") : this;
        }

        return Require(value.Length <= maxLength, field, $"'{field}' must be at most {maxLength} characters.", "tooLong");
    }

    public ValidationErrors RequireRange(int value, string field, int min, int max) =>
        Require(value >= min && value <= max, field, $"'{field}' must be between {min} and {max}.", "outOfRange");

    /// <summary>The first field at fault as a refusal, or null: for a grain guarding its own callers, which the web host has checked already.</summary>
    public Failure? FirstFailure()
    {
        foreach (var (field, messages) in errors)
        {
            return Failure.Invalid(field, string.Join(" ", messages.Select(m => m.Message)));
        }

        return null;
    }

    public IDictionary<string, string[]> ToDictionary() =>
        errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.Message).ToArray(), StringComparer.Ordinal);

    /// <summary>The codes of the messages, keyed and ordered as <see cref="ToDictionary"/> keys and orders them.</summary>
    public IDictionary<string, string[]> Codes() =>
        errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.Code).ToArray(), StringComparer.Ordinal);
}
