namespace Dispatch.Queries;

/// <summary>
/// Where every history entry of a request is kept for good (the query store's <c>query_history</c>).
/// The request grain asks it before dropping old entries from its own state: only entries the
/// archive holds are dropped.
/// </summary>
public interface IHistoryArchive
{
    /// <summary>The number up to which every entry of the request is archived (0 when none is).</summary>
    Task<int> ArchivedThrough(Guid requestId, CancellationToken cancellationToken);
}
