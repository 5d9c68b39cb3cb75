using Dispatch.Applications;
using Dispatch.Common;

namespace Dispatch.Intake;

/// <summary>
/// What a resident's filing must hold and how staff decide it: waiting, then accepted (as a new
/// request), merged (into an existing one) or declined (with a reason the resident is shown), once.
/// Plain rules, shared by the grain and the web host.
/// </summary>
public static class IntakeRules
{
    public const int MaxTitle = 100;
    public const int MaxDescription = 2000;
    public const int MaxName = 100;
    public const int MaxAddress = 200;
    public const int MaxReason = 500;

    /// <summary>Every problem with a filing's fields, keyed by JSON name (whether the community exists is not checked here).</summary>
    public static ValidationErrors Check(NewIntake intake) =>
        new ValidationErrors()
            .Require(Identifiers.IsValidPlaceId(intake.CommunityId), "communityId", "'communityId' must be the id of a community.")
            .Require(Enum.IsDefined(intake.Kind), "kind", "'kind' must be wish, help or grievance.")
            .Require(intake.Kind != IntakeKind.Help || intake.Help is { } help && Enum.IsDefined(help), "help", "'help' must be handle, book or lookUp when 'kind' is help.")
            .Require(intake.Kind == IntakeKind.Help || intake.Help is null, "help", "'help' is only for 'kind' help.")
            .RequireText(intake.Title, "title", MaxTitle)
            .RequireText(intake.Description, "description", MaxDescription, required: false)
            .RequireText(intake.Name, "name", MaxName)
            .Require(ApplicationRules.IsValidPhone(intake.Phone), "phone", "'phone' must be a phone number: 5 to 20 digits, optionally starting with '+'.")
            .RequireText(intake.Address, "address", MaxAddress, required: false)
            .Require(Enum.IsDefined(intake.Language), "language", "'language' must be zh-CN or en.");

    /// <summary>The item as stored on filing: texts trimmed, an empty description or address left out.</summary>
    public static IntakeItem Create(string id, NewIntake intake, DateTimeOffset now) =>
        new(id, intake.CommunityId, intake.Kind, intake.Help, intake.Title.Trim(), Trimmed(intake.Description),
            intake.Name.Trim(), intake.Phone, Trimmed(intake.Address), intake.Language, IntakeStatus.Waiting, now);

    /// <summary>True when <paramref name="intake"/> is what <paramref name="existing"/> was filed as: a retry.</summary>
    public static bool IsRetryOf(IntakeItem existing, NewIntake intake) =>
        existing.CommunityId == intake.CommunityId && existing.Phone == intake.Phone
        && existing.Kind == intake.Kind && existing.Title == intake.Title.Trim();

    /// <summary>Accepts a waiting item as the new request <paramref name="requestId"/>; the same acceptance again changes nothing.</summary>
    public static Outcome<IntakeItem> Accept(IntakeItem item, Actor actor, Guid requestId, DateTimeOffset now) =>
        Decide(item, IntakeStatus.Accepted, actor, requestId, null, now);

    /// <summary>Merges a waiting item into the existing request <paramref name="requestId"/>; the same merge again changes nothing.</summary>
    public static Outcome<IntakeItem> Merge(IntakeItem item, Actor actor, Guid requestId, DateTimeOffset now) =>
        Decide(item, IntakeStatus.Merged, actor, requestId, null, now);

    /// <summary>Declines a waiting item with a reason the resident is shown; the same decline again changes nothing.</summary>
    public static Outcome<IntakeItem> Decline(IntakeItem item, Actor actor, string reason, DateTimeOffset now)
    {
        var trimmed = reason.Trim();
        return trimmed.Length is 0 or > MaxReason
            ? Failure.Invalid("reason", $"'reason' is required, at most {MaxReason} characters: the resident is shown it.")
            : Decide(item, IntakeStatus.Declined, actor, null, trimmed, now);
    }

    /// <summary>An item's id: 32 lowercase hex digits (a Guid, which the request it is accepted as takes).</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: 32 } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public static IntakeLine LineOf(IntakeItem item) => new(item.Id, item.Status, item.SubmittedAt);

    private static Outcome<IntakeItem> Decide(IntakeItem item, IntakeStatus status, Actor actor, Guid? requestId, string? reason, DateTimeOffset now)
    {
        if (item.Status == IntakeStatus.Waiting)
        {
            return item with { Status = status, DecidedBy = actor.Username, DecidedAt = now, RequestId = requestId, Reason = reason };
        }

        return item.Status == status && item.RequestId == requestId && item.Reason == reason
            ? item
            : Failure.Conflict("alreadyDecided", $"Intake item '{item.Id}' was already {item.Status.ToString().ToLowerInvariant()} by {item.DecidedBy}.");
    }

    private static string? Trimmed(string? text) => text?.Trim() is { Length: > 0 } trimmed ? trimmed : null;
}
