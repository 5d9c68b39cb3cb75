using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Requests;

namespace Dispatch.Intake;

/// <summary>What a resident asks for on the public form: a wish, help with an errand, or a grievance.</summary>
public enum IntakeKind
{
    /// <summary>微心愿: a small need; becomes a request of kind wish.</summary>
    Wish,

    /// <summary>帮办代办: an errand done on the resident's behalf (see <see cref="HelpKind"/>); becomes an errand.</summary>
    Help,

    /// <summary>信访代办, 矛盾纠纷: a grievance or dispute; becomes a case.</summary>
    Grievance,
}

/// <summary>Which errand a resident asks help with.</summary>
public enum HelpKind
{
    /// <summary>帮您办: handle something for me.</summary>
    Handle,

    /// <summary>帮您约: book something for me.</summary>
    Book,

    /// <summary>帮您查: look something up for me.</summary>
    LookUp,
}

/// <summary>The language a resident filed in, and reads their tracking page in.</summary>
public enum ResidentLanguage
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("zh-CN")]
    ZhCn,

    [System.Text.Json.Serialization.JsonStringEnumMemberName("en")]
    En,
}

/// <summary>Where an intake item stands: waiting for staff, then accepted, merged or declined, once.</summary>
public enum IntakeStatus
{
    Waiting,
    Accepted,
    Merged,
    Declined,
}

/// <summary>A need as a resident filed it, checked by <see cref="IntakeRules.Check"/>.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.NewIntake")]
public sealed record NewIntake(
    string CommunityId,
    IntakeKind Kind,
    HelpKind? Help,
    string Title,
    string? Description,
    [property: PersonalData] string Name,
    [property: PersonalData] string Phone,
    [property: PersonalData] string? Address,
    ResidentLanguage Language)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>
/// One intake item as staff in scope see it: the resident's need, their private contact, and what
/// staff decided. Volunteers never see it; they see the request staff accept it as.
/// </summary>
/// <param name="RequestId">The request it was accepted as or merged into.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.IntakeItem")]
public sealed record IntakeItem(
    string Id,
    string CommunityId,
    IntakeKind Kind,
    HelpKind? Help,
    string Title,
    string? Description,
    [property: PersonalData] string Name,
    [property: PersonalData] string Phone,
    [property: PersonalData] string? Address,
    ResidentLanguage Language,
    IntakeStatus Status,
    DateTimeOffset SubmittedAt,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? Reason = null,
    Guid? RequestId = null)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>One entry of an intake item's audit trail.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.IntakeEvent")]
public sealed record IntakeEvent(IntakeStatus Status, string By, DateTimeOffset At, string? Reason, Guid? RequestId);

/// <summary>A line of a community's intake list: enough to page and filter it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.IntakeLine")]
public sealed record IntakeLine(string Id, IntakeStatus Status, DateTimeOffset SubmittedAt);

[GenerateSerializer, Immutable, Alias("Dispatch.IntakePage")]
public sealed record IntakePage(ImmutableArray<IntakeItem> Items, int Total, int Page, int PageSize);

/// <summary>What a tracking code leads to: an intake item (a resident's filing) or a request directly (Open311).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.TrackingLink")]
public sealed record TrackingLink(string? IntakeId, Guid? RequestId);

/// <summary>The mapping of a resident's kind onto a request's.</summary>
public static class IntakeKinds
{
    public static RequestKind RequestKindOf(IntakeKind kind) => kind switch
    {
        IntakeKind.Wish => RequestKind.Wish,
        IntakeKind.Help => RequestKind.Errand,
        _ => RequestKind.Case,
    };

    /// <summary>The category an errand's help kind files under, so staff and volunteers see which errand it is.</summary>
    public static string? CategoryOf(HelpKind? help) => help switch
    {
        HelpKind.Handle => "帮您办",
        HelpKind.Book => "帮您约",
        HelpKind.LookUp => "帮您查",
        _ => null,
    };
}
