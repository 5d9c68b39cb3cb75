using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Requests;

namespace Dispatch.Suggestions;

/// <summary>The result of a rule: the suggestion as it now is, and what to add to its history (nothing for a repeat).</summary>
public sealed record SuggestionChange(SuggestionView View, ImmutableArray<SuggestionEvent> Events)
{
    public bool Changed => !Events.IsEmpty;
}

/// <summary>
/// The order of a suggestion's life, plain C#: filed, handed over once (to one department, with a
/// deadline), answered once, rated once by its author. Past its deadline an unanswered suggestion
/// climbs the place concerned's <see cref="EscalationLadder"/> exactly as a request does: one
/// level at the deadline, then one more every <see cref="SuggestionView.EscalateEvery"/> (the
/// policy of kind case), never past the top; an answer stops the climb and the level stays.
/// </summary>
public static class SuggestionLifecycle
{
    public static SuggestionView File(string id, NewSuggestion suggestion, ImmutableArray<string> placePath, string author, RepresentativeTitle title, DateTimeOffset now) =>
        new(id, suggestion.Kind, suggestion.Title.Trim(), suggestion.Content.Trim(), suggestion.PlaceId, placePath, author, title, now, SuggestionStatus.Filed);

    /// <summary>True when <paramref name="suggestion"/> asks again, by the same author, for what <paramref name="existing"/> already is.</summary>
    public static bool IsRetryOf(SuggestionView existing, NewSuggestion suggestion, string author) =>
        string.Equals(existing.Author, author, StringComparison.Ordinal)
        && existing.Kind == suggestion.Kind
        && string.Equals(existing.Title, suggestion.Title?.Trim(), StringComparison.Ordinal)
        && string.Equals(existing.Content, suggestion.Content?.Trim(), StringComparison.Ordinal)
        && string.Equals(existing.PlaceId, suggestion.PlaceId, StringComparison.Ordinal);

    public static Outcome<SuggestionChange> HandOver(SuggestionView suggestion, SuggestionHandover handover, string by, DateTimeOffset now)
    {
        if (suggestion.Status != SuggestionStatus.Filed)
        {
            // A retried batch hands the same suggestion to the same department again: nothing changes.
            return suggestion.DepartmentId == handover.DepartmentId && suggestion.Deadline == handover.Deadline
                ? Unchanged(suggestion)
                : Failure.Conflict("alreadyHandedOver", $"Suggestion '{suggestion.Id}' was already handed over to department '{suggestion.DepartmentId}'.");
        }

        if (handover.Deadline <= now)
        {
            return Failure.Invalid("deadline", "'deadline' must be in the future.");
        }

        var handed = suggestion with
        {
            Status = SuggestionStatus.HandedOver,
            DepartmentId = handover.DepartmentId,
            HandedOverBy = by,
            HandedOverAt = now,
            Deadline = handover.Deadline,
            EscalateEvery = handover.EscalateEvery,
        };
        return new SuggestionChange(handed, [new SuggestionEvent(SuggestionAction.HandedOver, by, now, handover.DepartmentId)]);
    }

    public static Outcome<SuggestionChange> Answer(SuggestionView suggestion, string answer, string by, DateTimeOffset now)
    {
        switch (suggestion.Status)
        {
            case SuggestionStatus.Filed:
                return Failure.Conflict("notHandedOver", $"Suggestion '{suggestion.Id}' has not been handed over to a department.");
            case SuggestionStatus.Answered:
                return string.Equals(suggestion.Answer, answer.Trim(), StringComparison.Ordinal) && suggestion.AnsweredBy == by
                    ? Unchanged(suggestion)
                    : Failure.Conflict("alreadyAnswered", $"Suggestion '{suggestion.Id}' was already answered.");
        }

        // Climbs due by the answer are applied first, so a late answer is late whenever the grain woke.
        var advanced = Advance(suggestion, now);
        var answered = advanced.View with { Status = SuggestionStatus.Answered, Answer = answer.Trim(), AnsweredBy = by, AnsweredAt = now };
        var note = answered.AnsweredOnTime ? "on time" : "late";
        return new SuggestionChange(answered, advanced.Events.Add(new SuggestionEvent(SuggestionAction.Answered, by, now, note, answered.Level)));
    }

    public static Outcome<SuggestionChange> Rate(SuggestionView suggestion, SuggestionRating rating, string by, DateTimeOffset now)
    {
        if (!string.Equals(suggestion.Author, by, StringComparison.Ordinal))
        {
            return Failure.Forbidden("notAuthor", $"Only the representative who filed suggestion '{suggestion.Id}' may rate its answer.");
        }

        if (suggestion.Status != SuggestionStatus.Answered)
        {
            return Failure.Conflict("notAnswered", $"Suggestion '{suggestion.Id}' has not been answered yet.");
        }

        if (suggestion.Rating is { } given)
        {
            return given == rating
                ? Unchanged(suggestion)
                : Failure.Conflict("alreadyRated", $"The answer to suggestion '{suggestion.Id}' was already rated.");
        }

        return new SuggestionChange(
            suggestion with { Rating = rating, RatedAt = now },
            [new SuggestionEvent(SuggestionAction.Rated, by, now, rating.ToString())]);
    }

    /// <summary>When the suggestion next climbs: its deadline, then every escalation period up to the top; null when nothing waits.</summary>
    public static DateTimeOffset? NextDeadline(SuggestionView suggestion) => suggestion switch
    {
        { Status: not SuggestionStatus.HandedOver } => null,
        { Level: 0, Deadline: { } deadline } => deadline,
        { Level: < EscalationLadder.MaxLevel, EscalatedAt: { } at, EscalateEvery: { } every } when every > TimeSpan.Zero => at + every,
        _ => null,
    };

    /// <summary>
    /// Applies every climb due by <paramref name="now"/>, each from its own due time, so a grain
    /// woken late ends as one woken on time. Each climb names the place of the level it reaches.
    /// </summary>
    public static SuggestionChange Advance(SuggestionView suggestion, DateTimeOffset now)
    {
        var events = ImmutableArray.CreateBuilder<SuggestionEvent>();
        var ladder = new EscalationLadder(suggestion.PlacePath, suggestion.PlaceId);
        while (NextDeadline(suggestion) is { } due && due <= now)
        {
            var level = EscalationLadder.Above(suggestion.Level);
            suggestion = suggestion with { Level = level, EscalatedAt = due };
            events.Add(new SuggestionEvent(SuggestionAction.Escalated, ServiceRequest.SystemActor, due, "unanswered past the deadline", level, ladder.PlaceAt(level)));
        }

        return new SuggestionChange(suggestion, events.ToImmutable());
    }

    private static SuggestionChange Unchanged(SuggestionView suggestion) => new(suggestion, []);
}
