using System.Collections.Immutable;
using Dispatch.Requests;

namespace Dispatch.Communities;

[GenerateSerializer, Immutable, Alias("Dispatch.BoardQuery")]
public sealed record BoardQuery(RequestStatus? Status, RequestKind? Kind, string? Category, int Page, int PageSize);

[GenerateSerializer, Immutable, Alias("Dispatch.BoardPage")]
public sealed record BoardPage(ImmutableArray<RequestSummary> Items, int Total, int Page, int PageSize);
