using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Applications;

/// <summary>Who reports in (双报到): a person, or a unit through its contact person.</summary>
public enum ApplicationKind
{
    Person,
    Unit,
}

/// <summary>What kind of unit reports in (单位类型), as the seed's co-building units are sorted.</summary>
public enum UnitKind
{
    /// <summary>党政机关: a Party or government office.</summary>
    Government,

    /// <summary>事业单位: a public institution (a school, a hospital).</summary>
    PublicInstitution,

    /// <summary>国有企业: a state-owned enterprise.</summary>
    StateOwnedEnterprise,

    /// <summary>非公企业: a private enterprise.</summary>
    PrivateEnterprise,

    /// <summary>社会组织: a social organisation.</summary>
    SocialOrganisation,

    /// <summary>其他: any other.</summary>
    Other,
}

public enum ApplicationStatus
{
    Waiting,
    Approved,
    Rejected,
}

/// <summary>What happened to an application, for its audit trail.</summary>
public enum ApplicationAction
{
    Submitted,
    Approved,
    Rejected,
}

/// <summary>
/// A report-in as submitted. The password is not here: it goes straight to the applicant's
/// account, which stores it hashed; an application never holds it.
/// </summary>
/// <param name="Unit">A person's work unit, or the name of the unit that reports in.</param>
/// <param name="Offers">What a unit offers the community (资源清单); a person's are their skills.</param>
/// <param name="UnitKind">What kind of unit reports in (a unit's report-in only; optional).</param>
[GenerateSerializer, Immutable, Alias("Dispatch.NewApplication")]
public sealed record NewApplication(
    ApplicationKind Kind,
    string CommunityId,
    string Name,
    [property: PersonalData] string Phone,
    string Username,
    string? Unit,
    bool PartyMember,
    ImmutableArray<string> Skills,
    ImmutableArray<string> Availability,
    ImmutableArray<string> Offers,
    UnitKind? UnitKind = null)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>An application as staff in scope see it; the phone is private, like a beneficiary's.</summary>
/// <param name="OrganisationId">For an approved unit: the organisation its approval registered.</param>
/// <param name="UnitKind">For a unit: what kind of unit, when its contact said.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.ApplicationView")]
public sealed record ApplicationView(
    string Id,
    ApplicationKind Kind,
    ApplicationStatus Status,
    string CommunityId,
    string Name,
    [property: PersonalData] string Phone,
    string Username,
    string? Unit,
    bool PartyMember,
    ImmutableArray<string> Skills,
    ImmutableArray<string> Availability,
    ImmutableArray<string> Offers,
    DateTimeOffset SubmittedAt,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? Reason = null,
    string? OrganisationId = null,
    UnitKind? UnitKind = null)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>What an applicant sees of their own application: its state and, when rejected, why.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ApplicationStatusView")]
public sealed record ApplicationStatusView(string Id, ApplicationKind Kind, ApplicationStatus Status, string? Reason);

/// <summary>One entry of an application's audit trail: who did what, when, why.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ApplicationEvent")]
public sealed record ApplicationEvent(ApplicationAction Action, string By, DateTimeOffset At, string? Reason);

/// <summary>A line of a community's list of applications: enough to find one and sort the list.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ApplicationSummary")]
public sealed record ApplicationSummary(string Id, string Username, ApplicationStatus Status, DateTimeOffset SubmittedAt);

[GenerateSerializer, Immutable, Alias("Dispatch.ApplicationPage")]
public sealed record ApplicationPage(ImmutableArray<ApplicationView> Items, int Total, int Page, int PageSize);
