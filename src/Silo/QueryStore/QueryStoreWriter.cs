using System.Data.Common;
using System.Text;
using Dispatch.Requests;
using Dispatch.Silo.Storage;

namespace Dispatch.Silo.QueryStore;

/// <summary>
/// Writes projected requests in batches: one transaction per batch, a row only when it is newer
/// than the one stored (by grain storage version), and the history entries the store does not
/// have yet. Idempotent: writing the same rows again, or older ones, changes nothing.
/// Synchronous on purpose: it runs on the projector's own thread (SQLite's driver blocks anyway).
/// On SQLite each transaction takes its turn at the <see cref="SqliteWriteGate"/> with the grain
/// storage's writes, and holds it for at most <see cref="SqliteChunk"/> rows, so that a claim's
/// write never waits long behind the projection.
/// </summary>
public sealed class QueryStoreWriter(QueryStoreDatabase database, SqliteWriteGate gate)
{
    /// <summary>Rows per transaction on SQLite, where grain writes wait while it runs.</summary>
    public const int SqliteChunk = 32;

    private const string Columns = """
        id, key_n0, key_n1, state_version, version, place_path, community_id, kind, status, urgency,
        title, description, categories, places, places_taken, claimants, owner, escalation_level,
        escalation_place_id, overdue, next_due_ms, points, points_awarded, offer_to, offers,
        offers_accepted, offers_declined, offers_lapsed, rating, created_by, created_ms, updated_ms,
        first_claimed_ms, completed_ms, verified_ms, finished_ms, resident_rating
        """;

    private static readonly string[] HistoryColumns = ["request_id", "seq", "at_ms", "actor", "action", "from_status", "to_status", "note"];

    private static readonly string[] ColumnNames = Columns.Split(',', StringSplitOptions.TrimEntries);

    private static readonly string UpsertSql =
        $"INSERT INTO query_requests ({Columns}) VALUES ({string.Join(", ", ColumnNames.Select(c => "@" + c))}) " +
        "ON CONFLICT (id) DO UPDATE SET " +
        string.Join(", ", ColumnNames.Skip(1).Select(c => $"{c} = excluded.{c}")) +
        " WHERE query_requests.state_version < excluded.state_version;";

    private const string HistorySql = """
        INSERT INTO query_history (request_id, seq, at_ms, actor, action, from_status, to_status, note)
        VALUES (@request_id, @seq, @at_ms, @actor, @action, @from_status, @to_status, @note)
        ON CONFLICT (request_id, seq) DO NOTHING;
        """;

    /// <summary>
    /// Writes the rows (at most one per request), in one transaction on PostgreSQL and in
    /// transactions of <see cref="SqliteChunk"/> rows on SQLite; returns how many were newer than the store's.
    /// </summary>
    public int Write(IReadOnlyList<RequestRow> rows)
    {
        var chunk = gate.Active ? SqliteChunk : Math.Max(rows.Count, 1);
        var written = 0;
        for (var start = 0; start < rows.Count; start += chunk)
        {
            var part = rows.Count <= chunk ? rows : rows.Skip(start).Take(chunk).ToList();
            using var turn = gate.Enter();
            written += WriteTransaction(part);
        }

        return written;
    }

    private int WriteTransaction(IReadOnlyList<RequestRow> rows)
    {
        using var connection = database.OpenForWrites();
        using var transaction = connection.BeginTransaction();
        var known = StoredVersions(connection, transaction, rows);

        using var upsert = Command(connection, transaction, UpsertSql);
        var values = ColumnNames.Select(c => QueryStoreDatabase.Add(upsert, "@" + c, null)).ToArray();
        using var history = Command(connection, transaction, HistorySql);
        var entry = HistoryColumns.Select(c => QueryStoreDatabase.Add(history, "@" + c, null)).ToArray();

        var written = 0;
        foreach (var row in rows)
        {
            var stored = known.GetValueOrDefault(row.Id);
            if (stored.StateVersion >= row.StateVersion)
            {
                continue;
            }

            Bind(values, row);
            upsert.ExecuteNonQuery();
            foreach (var item in row.History)
            {
                if (item.Seq <= stored.Version)
                {
                    continue;
                }

                entry[0].Value = database.Id(row.Id);
                entry[1].Value = item.Seq;
                entry[2].Value = QueryStoreDatabase.Millis(item.At);
                entry[3].Value = item.Actor;
                entry[4].Value = (int)item.Action;
                entry[5].Value = item.From is { } from ? (int)from : DBNull.Value;
                entry[6].Value = (int)item.To;
                entry[7].Value = (object?)item.Note ?? DBNull.Value;
                history.ExecuteNonQuery();
            }

            written++;
        }

        transaction.Commit();
        return written;
    }

    /// <summary>
    /// Empties the store's request rows (a rebuild follows). The history stays: requests keep only
    /// their latest entries, so the older ones exist nowhere else, and the rebuild adds what is missing.
    /// </summary>
    public void Clear()
    {
        using var turn = gate.Enter();
        using var connection = database.OpenForWrites();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "DELETE FROM query_requests;");
        if (!database.IsPostgres)
        {
            Execute(connection, transaction, "INSERT INTO query_requests_text (query_requests_text) VALUES ('rebuild');");
        }

        transaction.Commit();
    }

    public string? ReadMeta(string name)
    {
        using var connection = database.Open();
        using var command = Command(connection, null, "SELECT value FROM query_store_meta WHERE name = @name;");
        QueryStoreDatabase.Add(command, "@name", name);
        return command.ExecuteScalar() as string;
    }

    public void WriteMeta(string name, string value)
    {
        using var turn = gate.Enter();
        using var connection = database.OpenForWrites();
        using var command = Command(connection, null,
            "INSERT INTO query_store_meta (name, value) VALUES (@name, @value) ON CONFLICT (name) DO UPDATE SET value = excluded.value;");
        QueryStoreDatabase.Add(command, "@name", name);
        QueryStoreDatabase.Add(command, "@value", value);
        command.ExecuteNonQuery();
    }

    private Dictionary<Guid, (int StateVersion, int Version)> StoredVersions(DbConnection connection, DbTransaction transaction, IReadOnlyList<RequestRow> rows)
    {
        var sql = new StringBuilder("SELECT id, state_version, version FROM query_requests WHERE id IN (");
        using var command = Command(connection, transaction, "");
        for (var i = 0; i < rows.Count; i++)
        {
            sql.Append(i == 0 ? "@i0" : $", @i{i}");
            QueryStoreDatabase.Add(command, $"@i{i}", database.Id(rows[i].Id));
        }

        command.CommandText = sql.Append(");").ToString();
        var known = new Dictionary<Guid, (int, int)>(rows.Count);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            known[database.ReadId(reader, 0)] = (QueryStoreDatabase.ToInt32(reader.GetValue(1)), QueryStoreDatabase.ToInt32(reader.GetValue(2)));
        }

        return known;
    }

    private void Bind(DbParameter[] values, RequestRow row)
    {
        var s = row.Summary;
        object?[] fields =
        [
            database.Id(s.Id), row.KeyN0, row.KeyN1, row.StateVersion, s.Version, row.PlacePath, s.CommunityId,
            (int)s.Kind, (int)s.Status, (int)s.Urgency, s.Title, row.Description, Joined(s.Categories), s.Places,
            s.PlacesTaken, Joined(s.Claimants), s.Owner, s.EscalationLevel, s.EscalationPlaceId, s.Overdue ? 1 : 0,
            QueryStoreDatabase.Millis(row.NextDue), s.Points, s.PointsAwarded, s.OfferTo, s.Dispatches.Offers,
            s.Dispatches.Accepted, s.Dispatches.Declined, s.Dispatches.Lapsed, s.Rating, row.CreatedBy,
            QueryStoreDatabase.Millis(s.CreatedAt), QueryStoreDatabase.Millis(s.UpdatedAt),
            QueryStoreDatabase.Millis(s.FirstClaimedAt), QueryStoreDatabase.Millis(s.CompletedAt),
            QueryStoreDatabase.Millis(s.VerifiedAt), QueryStoreDatabase.Millis(row.FinishedAt),
            s.ResidentRating is { } residentRating ? (int)residentRating : null,
        ];
        for (var i = 0; i < values.Length; i++)
        {
            values[i].Value = fields[i] ?? DBNull.Value;
        }
    }

    /// <summary>'|a|b|': a list a LIKE '%|a|%' finds an element of.</summary>
    public static string Joined(IEnumerable<string> items) =>
        items.Any() ? "|" + string.Join('|', items) + "|" : "";

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }
}
