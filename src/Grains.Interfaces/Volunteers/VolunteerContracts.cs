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
    ImmutableArray<VolunteerHistoryEntry> History);

/// <summary>Why a volunteer's claim ended.</summary>
public enum ClaimEnd
{
    Released,
    Completed,
    Cancelled,
}
