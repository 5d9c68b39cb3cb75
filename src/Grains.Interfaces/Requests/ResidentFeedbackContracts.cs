namespace Dispatch.Requests;

/// <summary>The residents' rating of finished work (群众评议): 满意, 基本满意, 不满意.</summary>
public enum ResidentRating
{
    /// <summary>满意.</summary>
    Satisfied,

    /// <summary>基本满意.</summary>
    BasicallySatisfied,

    /// <summary>不满意: the request goes back to staff for review.</summary>
    Unsatisfied,
}

/// <summary>
/// What the resident who filed a request answered through their tracking code: whether the work
/// is done, then how satisfied they are. Kept apart from staff's <see cref="Verification"/>; it
/// never holds the resident's contact.
/// </summary>
/// <param name="Done">The resident's one-tap answer to "is it done?".</param>
/// <param name="Comment">The resident's own words with the rating, if any.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.ResidentFeedback")]
public sealed record ResidentFeedback(
    bool Done,
    DateTimeOffset ConfirmedAt,
    ResidentRating? Rating = null,
    string? Comment = null,
    DateTimeOffset? RatedAt = null)
{
    /// <summary>The resident said the work is not done, or is unsatisfied with it: staff must look at it again.</summary>
    public bool Disputed => !Done || Rating == ResidentRating.Unsatisfied;
}

/// <summary>Bounds of a resident's answers.</summary>
public static class ResidentFeedbackLimits
{
    public const int MaxComment = 500;
}
