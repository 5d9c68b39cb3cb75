using Dispatch.Queries;

namespace Dispatch.Silo.QueryStore;

/// <summary>
/// <see cref="IHistoryArchive"/> over the query store. A request's row and the history entries it
/// adds are written in one transaction, and each row the request stores holds every entry the
/// archive had not confirmed when it was stored; so the row's <c>version</c> is a number up to which
/// every entry is in <c>query_history</c>.
/// </summary>
public sealed class HistoryArchive(QueryStoreDatabase database) : IHistoryArchive
{
    public async Task<int> ArchivedThrough(Guid requestId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM query_requests WHERE id = @id;";
        QueryStoreDatabase.Add(command, "@id", database.Id(requestId));
        return await command.ExecuteScalarAsync(cancellationToken) is { } found and not DBNull ? QueryStoreDatabase.ToInt32(found) : 0;
    }
}
