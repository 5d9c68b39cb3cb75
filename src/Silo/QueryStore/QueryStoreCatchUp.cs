using Dispatch.Requests;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Dispatch.Silo.QueryStore;

/// <summary>
/// Brings the query store level with the grain storage: every request whose stored state is newer
/// than its projected row (or has none) is read from <c>OrleansStorage</c> and projected. The
/// comparison runs on two indexes (the request rows of the grain storage by key and version, and
/// the projected rows by key and version), so a store that is level costs no payload read. With
/// an empty store it is a rebuild.
/// </summary>
public sealed partial class QueryStoreCatchUp(QueryStoreDatabase database, QueryStoreWriter writer, IGrainStorageSerializer serializer, string serviceId, ILogger logger)
{
    /// <summary>Bump when what a row holds, or how it is derived, changes: a store built otherwise is rebuilt at start.</summary>
    // "2": rows hold the resident's rating (resident_rating).
    public const string ProjectionVersion = "2";

    public const int BatchSize = 256;

    private const string StaleSql = """
        SELECT s.Version, s.PayloadBinary
        FROM OrleansStorage s
        LEFT JOIN query_requests q ON q.key_n0 = s.GrainIdN0 AND q.key_n1 = s.GrainIdN1
        WHERE s.ServiceId = @service AND s.GrainTypeString = 'request' AND s.GrainIdExtensionString IS NULL
          AND s.PayloadBinary IS NOT NULL
          AND (q.state_version IS NULL OR q.state_version < s.Version);
        """;

    /// <summary>Projects what the store misses; with <paramref name="rebuild"/>, or a store built by another projection, empties it first. Returns the rows written.</summary>
    public int Run(bool rebuild, CancellationToken cancellationToken)
    {
        if (rebuild || writer.ReadMeta("projection") != ProjectionVersion)
        {
            LogRebuilding(logger, database.Provider.ToString());
            writer.Clear();
            writer.WriteMeta("projection", ProjectionVersion);
        }

        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = StaleSql;
        command.CommandTimeout = 0;
        QueryStoreDatabase.Add(command, "@service", serviceId);
        using var reader = command.ExecuteReader();
        var batch = new List<RequestRow>(BatchSize);
        var written = 0;
        var unreadable = 0;
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var version = QueryStoreDatabase.ToInt32(reader.GetValue(0));
            var payload = (byte[])reader.GetValue(1);
            try
            {
                if (serializer.Deserialize<RequestGrain.State>(new BinaryData(payload)) is { Request: { } request })
                {
                    batch.Add(RequestRow.From(request, version));
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One unreadable state must not keep the rest out; it is logged and counted.
                unreadable++;
                LogUnreadable(logger, exception);
            }

            if (batch.Count == BatchSize)
            {
                written += writer.Write(batch);
                batch.Clear();
            }
        }

        written += writer.Write(batch);
        LogCaughtUp(logger, written, unreadable);
        return written;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rebuilding the {Provider} query store from grain state")]
    private static partial void LogRebuilding(ILogger logger, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Query store caught up: {Written} request(s) projected, {Unreadable} unreadable")]
    private static partial void LogCaughtUp(ILogger logger, int written, int unreadable);

    [LoggerMessage(Level = LogLevel.Error, Message = "A request's stored state could not be read for the query store")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);
}
