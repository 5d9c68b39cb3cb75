using Dispatch.Suggestions;

namespace Dispatch.Notifications;

/// <summary>
/// Who a suggestion's change concerns, as notices, decided from the history entry the change
/// appended and the suggestion as the change left it. The rules, in one place:
/// <list type="bullet">
/// <item>handed over (交办) → every account of the department it was handed to (its contacts);</item>
/// <item>a climb past the deadline while unanswered → the same department's accounts;</item>
/// <item>answered → the representative who filed it.</item>
/// </list>
/// A notice names the suggestion by its title, never its content or the answer (either may quote a
/// resident's name or phone number).
/// </summary>
public static class SuggestionNotices
{
    public static IEnumerable<PendingNotice> For(SuggestionView suggestion, SuggestionEvent entry)
    {
        switch (entry.Action)
        {
            case SuggestionAction.HandedOver when suggestion.DepartmentId is { } department:
                yield return ToDepartment(department, Notice(suggestion, entry, NoticeKind.SuggestionAssigned, $"contacts:{department}") with
                {
                    Until = suggestion.Deadline,
                });
                break;

            case SuggestionAction.Escalated when suggestion.DepartmentId is { } department:
                yield return ToDepartment(department, Notice(suggestion, entry, NoticeKind.SuggestionOverdue, $"contacts:{department}:{entry.Level}") with
                {
                    Level = entry.Level,
                });
                break;

            case SuggestionAction.Answered:
                yield return new PendingNotice(suggestion.Author, null, Notice(suggestion, entry, NoticeKind.SuggestionAnswered, suggestion.Author));
                break;
        }
    }

    private static PendingNotice ToDepartment(string department, InboxNotice notice) =>
        new(null, null, notice, ContactsOf: department);

    /// <summary>The key names the suggestion, the kind and the audience: one notice per change and person, however often delivered.</summary>
    private static InboxNotice Notice(SuggestionView suggestion, SuggestionEvent entry, NoticeKind kind, string audience) => new(
        $"suggestion:{suggestion.Id}:{kind}:{audience}", kind, entry.At, suggestion.Title, suggestion.PlaceId, RequestId: null, entry.By,
        SuggestionId: suggestion.Id);
}
