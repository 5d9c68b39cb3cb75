using Dispatch.Common;

namespace Dispatch.Suggestions;

/// <summary>What a suggestion, a hand-over, an answer and a rating must be: plain rules, shared by the web host and the grain.</summary>
public static class SuggestionRules
{
    public const int MaxTitle = 200;
    public const int MaxContent = 4000;
    public const int MaxAnswer = 4000;

    /// <summary>The most suggestions one hand-over carries (集中交办 hands a few hundred at once).</summary>
    public const int MaxBatch = 500;

    /// <summary>The longest deadline a hand-over may set.</summary>
    public static readonly TimeSpan LongestDeadline = TimeSpan.FromDays(366);

    /// <summary>Every problem with a new suggestion's own fields, keyed by JSON name (whether the place exists is not checked here).</summary>
    public static ValidationErrors Check(NewSuggestion suggestion) =>
        new ValidationErrors()
            .RequireText(suggestion.Title, "title", MaxTitle)
            .RequireText(suggestion.Content, "content", MaxContent)
            .Require(Identifiers.IsValidPlaceId(suggestion.PlaceId), "placeId", "'placeId' must be the id of a place.");

    /// <summary>Every problem with a hand-over's deadline and list, keyed by JSON name.</summary>
    public static ValidationErrors CheckHandover(IReadOnlyCollection<string> suggestionIds, DateTimeOffset deadline, DateTimeOffset now)
    {
        var errors = new ValidationErrors()
            .Require(suggestionIds.Count is >= 1 and <= MaxBatch, "suggestionIds", $"'suggestionIds' must list 1 to {MaxBatch} suggestions.")
            .Require(deadline > now, "deadline", "'deadline' must be in the future.")
            .Require(deadline <= now + LongestDeadline, "deadline", $"'deadline' must be within {LongestDeadline.TotalDays:0} days.");
        var repeated = suggestionIds.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        return repeated.Count == 0 ? errors : errors.Add("suggestionIds", $"Listed more than once: {string.Join(", ", repeated)}.");
    }

    /// <summary>The answer's problems, keyed by JSON name.</summary>
    public static ValidationErrors CheckAnswer(string? answer) =>
        new ValidationErrors().RequireText(answer, "answer", MaxAnswer);

    /// <summary>A suggestion id as the grain draws it: 32 lower-case hex digits.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: 32 } && id.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
