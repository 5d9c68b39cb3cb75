using System.Collections.Immutable;

namespace Dispatch.Requests;

/// <summary>
/// What of a request a reader who is neither staff in scope nor one of its claimants may see, stated
/// once for every door (issue #16, item 9): the public fields only. Staff free text (completion
/// notes, verification comments, the resident's rating comment, cancel reasons, and every history note: decline reasons, offers,
/// escalations, handovers) is for staff and the request's claimants (a finished request's too).
/// </summary>
public static class RequestPrivacy
{
    /// <summary>The request without its staff free text.</summary>
    public static RequestView WithoutNotes(this RequestView request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request with
        {
            CompletionNote = null,
            CancelReason = null,
            Verification = request.Verification is { } verification ? verification with { Comment = null } : null,
            ResidentFeedback = request.ResidentFeedback is { } feedback ? feedback with { Comment = null } : null,
        };
    }

    /// <summary>The history without its notes: who did what, and when.</summary>
    public static ImmutableArray<HistoryEntry> WithoutNotes(this ImmutableArray<HistoryEntry> history) =>
        history.IsDefaultOrEmpty ? [] : [.. history.Select(entry => entry.Note is null ? entry : entry with { Note = null })];
}
