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
    ImmutableArray<Guid> PendingOffers);

/// <summary>Why a volunteer's claim ended.</summary>
public enum ClaimEnd
{
    Released,
    Completed,
    Cancelled,
}
