using System.Collections.Immutable;
using Dispatch.Requests;

namespace Dispatch.Silo.QueryStore;

/// <summary>
/// What the query store keeps of one request, captured from the state being written (so it is
/// exactly what the grain storage holds at <see cref="StateVersion"/>). Immutable: it is taken on
/// the grain's turn and written later by the projector.
/// </summary>
public sealed record RequestRow(
    RequestSummary Summary,
    long KeyN0,
    long KeyN1,
    int StateVersion,
    string PlacePath,
    string? Description,
    string CreatedBy,
    DateTimeOffset? NextDue,
    DateTimeOffset? FinishedAt,
    ImmutableArray<HistoryEntry> History)
{
    public Guid Id => Summary.Id;

    /// <summary>Takes what the store needs from the request; <paramref name="stateVersion"/> is the grain storage version it is stored at.</summary>
    public static RequestRow From(ServiceRequest request, int stateVersion)
    {
        var summary = request.ToSummary();
        var (n0, n1) = StorageKey(request.Id);
        var path = request.PlacePath.IsDefaultOrEmpty ? [request.CommunityId] : request.PlacePath;
        DateTimeOffset? finished = summary.Status switch
        {
            RequestStatus.Verified => summary.VerifiedAt ?? summary.UpdatedAt,
            RequestStatus.Cancelled => summary.UpdatedAt,
            _ => null,
        };
        return new RequestRow(
            summary, n0, n1, stateVersion, PathText(path), request.Description, request.CreatedBy,
            request.IsFinal ? null : request.NextDue, finished, request.History);
    }

    /// <summary>'/r1/c1/t1/m1/': every subtree is a range of these strings.</summary>
    public static string PathText(IEnumerable<string> path) => "/" + string.Join('/', path) + "/";

    /// <summary>The numeric key columns the Orleans ADO.NET provider stores a Guid key in (GrainIdN0, GrainIdN1).</summary>
    public static (long N0, long N1) StorageKey(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        return (BitConverter.ToInt64(bytes[..8]), BitConverter.ToInt64(bytes[8..]));
    }
}
