using System.Collections.Immutable;

namespace Dispatch.Volunteers;

public enum VolunteerAction
{
    Registered,
    Claimed,
    Released,
    Completed,
    ClaimEnded,

    /// <summary>Staff dispatched a request to the volunteer (an offer).</summary>
    Offered,
    OfferAccepted,
    OfferDeclined,

    /// <summary>An offer was not answered in time.</summary>
    OfferLapsed,

    /// <summary>An offer ended because the request moved on (work started, cancelled).</summary>
    OfferWithdrawn,

    /// <summary>A verification was overturned: the claim is active again.</summary>
    ClaimReinstated,
}

[GenerateSerializer, Immutable, Alias("Dispatch.VolunteerProfile")]
public sealed record VolunteerProfile(string Username, string DisplayName, string CommunityId, ImmutableArray<string> Skills);

[GenerateSerializer, Immutable, Alias("Dispatch.VolunteerHistoryEntry")]
public sealed record VolunteerHistoryEntry(DateTimeOffset At, VolunteerAction Action, Guid? RequestId);

/// <param name="Availability">When the volunteer can help, in their words ("weekday evenings"); set on their profile.</param>
/// <param name="Unit">The volunteer's work unit (工作单位), as they gave it; set on their profile.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.VolunteerView")]
public sealed record VolunteerView(
    string Username,
    string DisplayName,
    string CommunityId,
    ImmutableArray<string> Skills,
    ImmutableArray<Guid> ActiveClaims,
    int ClaimLimit,
    int CompletedCount,
    DateTimeOffset RegisteredAt,
    ImmutableArray<VolunteerHistoryEntry> History,
    ImmutableArray<Guid> PendingOffers,
    ImmutableArray<string> Availability,
    string? Unit);

/// <summary>Why a volunteer's claim ended.</summary>
public enum ClaimEnd
{
    Released,
    Completed,
    Cancelled,
}

/// <summary>What a volunteer changes on their own profile: skills (the matcher reads them), when they can help, their work unit.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.ProfileChange")]
public sealed record ProfileChange(ImmutableArray<string> Skills, ImmutableArray<string> Availability, string? Unit);
