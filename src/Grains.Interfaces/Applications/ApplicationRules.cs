using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Dispatch.Accounts;
using Dispatch.Common;

namespace Dispatch.Applications;

/// <summary>What a report-in must hold and how it is decided: plain rules, shared by the grain and the web host.</summary>
public static partial class ApplicationRules
{
    public const int MaxName = 100;
    public const int MaxUnit = 100;
    public const int MaxSkills = 20;
    public const int MaxSkill = 50;
    public const int MaxAvailability = 10;
    public const int MaxAvailabilityItem = 50;
    public const int MaxOffers = 20;
    public const int MaxOffer = 100;
    public const int MaxReason = 500;

    /// <summary>Every problem with an application's own fields and its password, keyed by JSON name (whether the community exists is not checked here).</summary>
    public static ValidationErrors Check(NewApplication application, string? password)
    {
        var weakPassword = PasswordPolicy.Check(password, application.Username);
        var errors = new ValidationErrors()
            .Require(Enum.IsDefined(application.Kind), "kind", "'kind' must be person or unit.")
            .Require(Identifiers.IsValidPlaceId(application.CommunityId), "communityId", "'communityId' must be the id of a community.")
            .RequireText(application.Name, "name", MaxName)
            .Require(IsValidPhone(application.Phone), "phone", "'phone' must be a phone number: 5 to 20 digits, optionally starting with '+'.")
            .Require(Identifiers.IsValidUsername(application.Username), "username", "'username' must be 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
            .Require(!Identifiers.ReservedUsernames.Contains(application.Username), "username", $"'{application.Username}' is reserved.")
            .Require(weakPassword is null, "password", weakPassword ?? "")
            .RequireText(application.Unit, "unit", MaxUnit, required: application.Kind == ApplicationKind.Unit)
            .Require(application.UnitKind is null || application.Kind == ApplicationKind.Unit, "unitKind", "'unitKind' is for a unit's report-in only.")
            .Require(application.UnitKind is not { } unitKind || Enum.IsDefined(unitKind), "unitKind", "'unitKind' must be government, publicInstitution, stateOwnedEnterprise, privateEnterprise, socialOrganisation or other.");
        CheckList(errors, application.Skills, "skills", MaxSkills, MaxSkill);
        CheckList(errors, application.Availability, "availability", MaxAvailability, MaxAvailabilityItem);
        CheckList(errors, application.Offers, "offers", MaxOffers, MaxOffer);
        return errors;
    }

    /// <summary>A phone number as stored: digits (and a leading '+'), without the spaces and dashes people type.</summary>
    public static string NormalizePhone(string? phone) =>
        phone is null ? "" : SeparatorPattern().Replace(phone.Trim(), "");

    public static bool IsValidPhone(string? phone) => phone is not null && PhonePattern().IsMatch(phone);

    /// <summary>The application as it is stored on submission: texts trimmed, lists without blanks.</summary>
    public static ApplicationView Create(string id, NewApplication application, DateTimeOffset now) =>
        new(id, application.Kind, ApplicationStatus.Waiting, application.CommunityId, application.Name.Trim(),
            application.Phone, application.Username, application.Unit?.Trim() is { Length: > 0 } unit ? unit : null,
            application.PartyMember, Clean(application.Skills), Clean(application.Availability), Clean(application.Offers), now)
        {
            UnitKind = application.UnitKind,
        };

    /// <summary>True when <paramref name="application"/> is what <paramref name="existing"/> was submitted as: a retry.</summary>
    public static bool IsRetryOf(ApplicationView existing, NewApplication application) =>
        existing.Username == application.Username && existing.CommunityId == application.CommunityId
        && existing.Kind == application.Kind && existing.Phone == application.Phone;

    /// <summary>Approves a waiting application; an approved one stays as it is; a rejected one cannot be.</summary>
    public static Outcome<ApplicationView> Approve(ApplicationView application, Actor actor, DateTimeOffset now) =>
        application.Status switch
        {
            ApplicationStatus.Waiting => application with
            {
                Status = ApplicationStatus.Approved,
                DecidedBy = actor.Username,
                DecidedAt = now,
                OrganisationId = application.Kind == ApplicationKind.Unit ? OrganisationIdOf(application.Id) : null,
            },
            ApplicationStatus.Approved => application,
            _ => AlreadyDecided(application),
        };

    /// <summary>Rejects a waiting application with a reason; the same rejection again changes nothing.</summary>
    public static Outcome<ApplicationView> Reject(ApplicationView application, Actor actor, string reason, DateTimeOffset now)
    {
        var trimmed = reason.Trim();
        if (trimmed.Length is 0 or > MaxReason)
        {
            return Failure.Invalid("reason", $"'reason' is required, at most {MaxReason} characters: the applicant is shown it.");
        }

        return application.Status switch
        {
            ApplicationStatus.Waiting => application with
            {
                Status = ApplicationStatus.Rejected,
                DecidedBy = actor.Username,
                DecidedAt = now,
                Reason = trimmed,
            },
            ApplicationStatus.Rejected when application.Reason == trimmed => application,
            _ => AlreadyDecided(application),
        };
    }

    /// <summary>What the applicant is shown.</summary>
    public static ApplicationStatusView StatusOf(ApplicationView application) =>
        new(application.Id, application.Kind, application.Status, application.Status == ApplicationStatus.Rejected ? application.Reason : null);

    public static ApplicationSummary SummaryOf(ApplicationView application) =>
        new(application.Id, application.Username, application.Status, application.SubmittedAt);

    /// <summary>The organisation an approved unit becomes: named after its application, so that a retried approval finds it.</summary>
    public static string OrganisationIdOf(string applicationId) => "unit-" + applicationId;

    private static Failure AlreadyDecided(ApplicationView application) =>
        Failure.Conflict("alreadyDecided", $"Application '{application.Id}' was already {application.Status.ToString().ToLowerInvariant()} by {application.DecidedBy}.");

    private static void CheckList(ValidationErrors errors, ImmutableArray<string> items, string field, int maxItems, int maxLength)
    {
        var list = items.IsDefault ? [] : items;
        errors.Require(list.Length <= maxItems, field, $"At most {maxItems} entries in '{field}'.")
            .Require(list.All(s => s is not null && s.Trim().Length is > 0 && s.Trim().Length <= maxLength), field, $"Each entry of '{field}' must be non-empty and at most {maxLength} characters.");
    }

    private static ImmutableArray<string> Clean(ImmutableArray<string> items) =>
        items.IsDefault ? [] : [.. items.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)];

    [GeneratedRegex(@"^\+?[0-9]{5,20}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"[\s\-()]")]
    private static partial Regex SeparatorPattern();
}
