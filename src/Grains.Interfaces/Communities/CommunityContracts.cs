using System.Collections.Immutable;
using Dispatch.Requests;

namespace Dispatch.Communities;

/// <summary>Live counts of a community's requests by status, and of its registered volunteers.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.CommunityCounters")]
public sealed record CommunityCounters(
    int Open,
    int Claimed,
    int InProgress,
    int Completed,
    int Verified,
    int Cancelled,
    int RegisteredVolunteers,
    int Overdue);

[GenerateSerializer, Immutable, Alias("Dispatch.BoardQuery")]
public sealed record BoardQuery(RequestStatus? Status, RequestKind? Kind, string? Category, int Page, int PageSize);

[GenerateSerializer, Immutable, Alias("Dispatch.BoardPage")]
public sealed record BoardPage(ImmutableArray<RequestSummary> Items, int Total, int Page, int PageSize);
