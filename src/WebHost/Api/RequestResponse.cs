using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Dispatch.Requests;

namespace Dispatch.WebHost.Api;

/// <summary>A request as the API shows it; <see cref="Beneficiary"/> is present only for readers allowed to see it.</summary>
public sealed record RequestResponse(
    Guid Id,
    string CommunityId,
    RequestKind Kind,
    string Title,
    string? Description,
    ImmutableArray<string> Categories,
    Urgency Urgency,
    RequestStatus Status,
    int Places,
    int FreePlaces,
    ImmutableArray<string> Claimants,
    int EscalationLevel,
    int Points,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    string? CompletionNote,
    Verification? Verification,
    string? CancelReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Beneficiary? Beneficiary)
{
    public static RequestResponse From(RequestView view, bool withBeneficiary) => new(
        view.Id, view.CommunityId, view.Kind, view.Title, view.Description, view.Categories, view.Urgency,
        view.Status, view.Places, view.FreePlaces, view.Claimants, view.EscalationLevel, view.Points,
        view.CreatedBy, view.CreatedAt, view.UpdatedAt, view.Version, view.CompletionNote, view.Verification,
        view.CancelReason, withBeneficiary ? view.Beneficiary : null);
}
