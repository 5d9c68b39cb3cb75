using System.Collections.Immutable;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Dispatch.Places;
using Dispatch.Queries;
using Dispatch.Requests;
using Dispatch.Statistics;

namespace Dispatch.Silo.QueryStore;

/// <summary>
/// <see cref="IRequestQueries"/> over the query store, in SQL both stores run: a subtree is a
/// range of <c>place_path</c>, filters are indexed columns, text is FTS5 trigrams on SQLite
/// (LIKE below 3 characters) and a pg_trgm index under ILIKE on PostgreSQL.
/// </summary>
public sealed class RequestQueries(QueryStoreDatabase database) : IRequestQueries
{
    private const string ItemColumns = """
        q.id, q.community_id, q.place_path, q.kind, q.title, q.description, q.categories, q.urgency, q.status,
        q.places, q.places_taken, q.claimants, q.owner, q.escalation_level, q.overdue, q.next_due_ms, q.points,
        q.points_awarded, q.offer_to, q.rating, q.created_by, q.created_ms, q.updated_ms, q.finished_ms, q.version
        """;

    public async Task<RequestPage> List(RequestFilter filter, RequestSort sort, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        int total;
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM query_requests q WHERE " + Where(count, filter, RequestSort.Updated);
            total = QueryStoreDatabase.ToInt32(await count.ExecuteScalarAsync(cancellationToken));
        }

        var items = ImmutableArray.CreateBuilder<RequestListItem>(pageSize);
        if ((long)(page - 1) * pageSize < total)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {ItemColumns} FROM query_requests q WHERE {Where(command, filter, sort)} ORDER BY {OrderBy(sort)} LIMIT @limit OFFSET @offset;";
            QueryStoreDatabase.Add(command, "@limit", pageSize);
            QueryStoreDatabase.Add(command, "@offset", (page - 1) * pageSize);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(Item(reader));
            }
        }

        return new RequestPage(items.ToImmutable(), total, page, pageSize);
    }

    public async IAsyncEnumerable<RequestListItem> Export(RequestFilter filter, RequestSort sort, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ItemColumns} FROM query_requests q WHERE {Where(command, filter, sort)} ORDER BY {OrderBy(sort)};";
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Item(reader);
        }
    }

    public async Task<HistoryPage?> History(Guid id, int page, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        int version;
        await using (var row = connection.CreateCommand())
        {
            row.CommandText = "SELECT version FROM query_requests WHERE id = @id;";
            QueryStoreDatabase.Add(row, "@id", database.Id(id));
            if (await row.ExecuteScalarAsync(cancellationToken) is not { } found || found is DBNull)
            {
                return null;
            }

            version = QueryStoreDatabase.ToInt32(found);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, at_ms, actor, action, from_status, to_status, note FROM query_history
            WHERE request_id = @id ORDER BY seq LIMIT @limit OFFSET @offset;
            """;
        QueryStoreDatabase.Add(command, "@id", database.Id(id));
        QueryStoreDatabase.Add(command, "@limit", pageSize);
        QueryStoreDatabase.Add(command, "@offset", (page - 1) * pageSize);
        var items = ImmutableArray.CreateBuilder<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new HistoryEntry(
                QueryStoreDatabase.ToInt32(reader.GetValue(0)),
                QueryStoreDatabase.Time(QueryStoreDatabase.ToInt64(reader.GetValue(1))),
                reader.GetString(2),
                (RequestAction)QueryStoreDatabase.ToInt32(reader.GetValue(3)),
                reader.IsDBNull(4) ? null : (RequestStatus)QueryStoreDatabase.ToInt32(reader.GetValue(4)),
                (RequestStatus)QueryStoreDatabase.ToInt32(reader.GetValue(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        // Entries are written with their row: the row's version is how many there are.
        return new HistoryPage(items.ToImmutable(), version, page, pageSize, version);
    }

    public async Task<ImmutableArray<RequestTotals>> Totals(
        RequestFilter filter, StatisticsGrouping? groupBy, TimeSpan utcOffset, CancellationToken cancellationToken)
    {
        // The creation time as a clock on the reader's calendar shows it (an integer: safe inline).
        var created = $"(q.created_ms + {((long)utcOffset.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)})";
        var key = groupBy switch
        {
            null => "''",
            StatisticsGrouping.Community or StatisticsGrouping.Town or StatisticsGrouping.County => "q.place_path",
            StatisticsGrouping.Month => database.MonthOf(created),
            StatisticsGrouping.Week => database.WeekOf(created),
            StatisticsGrouping.Day => database.DayOf(created),
            StatisticsGrouping.Kind => "q.kind",
            _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, null),
        };

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var verified = (int)RequestStatus.Verified;
        command.CommandText = $"""
            SELECT {key} AS group_key, q.kind, q.status, COUNT(*),
                   SUM(q.offers), SUM(q.offers_accepted), SUM(q.offers_declined), SUM(q.offers_lapsed),
                   SUM(CASE WHEN q.offer_to IS NULL THEN 0 ELSE 1 END),
                   SUM(CASE WHEN q.first_claimed_ms IS NULL THEN 0 ELSE 1 END),
                   SUM(CASE WHEN q.first_claimed_ms IS NULL THEN 0 ELSE q.first_claimed_ms - q.created_ms END),
                   SUM(CASE WHEN q.completed_ms IS NULL THEN 0 ELSE 1 END),
                   SUM(CASE WHEN q.completed_ms IS NULL THEN 0 ELSE q.completed_ms - q.created_ms END),
                   SUM(CASE WHEN q.rating IS NULL THEN 0 ELSE 1 END),
                   SUM(CASE WHEN q.rating IS NULL THEN 0 ELSE q.rating END),
                   SUM(CASE WHEN q.status = {verified} AND q.escalation_level = 0 THEN 1 ELSE 0 END),
                   SUM(q.points_awarded),
                   SUM(CASE WHEN q.resident_rating = {(int)ResidentRating.Satisfied} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN q.resident_rating = {(int)ResidentRating.BasicallySatisfied} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN q.resident_rating = {(int)ResidentRating.Unsatisfied} THEN 1 ELSE 0 END)
            FROM query_requests q
            WHERE {Where(command, filter, RequestSort.Updated)}
            GROUP BY {(groupBy is null ? "" : key + ", ")}q.kind, q.status;
            """;
        var groups = new SortedDictionary<string, Sums>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var raw = Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            var name = groupBy switch
            {
                StatisticsGrouping.Community => Ancestor(raw, PlaceKind.Community),
                StatisticsGrouping.Town => Ancestor(raw, PlaceKind.Town),
                StatisticsGrouping.County => Ancestor(raw, PlaceKind.County),
                StatisticsGrouping.Kind => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(((RequestKind)QueryStoreDatabase.ToInt32(reader.GetValue(0))).ToString()),
                _ => raw,
            };
            if (!groups.TryGetValue(name, out var sums))
            {
                groups[name] = sums = new Sums();
            }

            sums.Add(reader);
        }

        return [.. groups.Select(g => g.Value.ToTotals(g.Key))];
    }

    public async Task<ImmutableArray<LevelCount>> Escalations(RequestFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT q.escalation_level, COUNT(*)
            FROM query_requests q
            WHERE {Where(command, filter, RequestSort.Updated)} AND q.escalation_level > 0
            GROUP BY q.escalation_level;
            """;
        var counts = new int[RequestLimits.MaxEscalationLevel + 1];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var level = QueryStoreDatabase.ToInt32(reader.GetValue(0));
            if (level is > 0 and <= RequestLimits.MaxEscalationLevel)
            {
                counts[level] += QueryStoreDatabase.ToInt32(reader.GetValue(1));
            }
        }

        return [.. Enumerable.Range(1, RequestLimits.MaxEscalationLevel).Select(level => new LevelCount(level, counts[level]))];
    }

    public async Task<ImmutableArray<CategoryCount>> TopCategories(RequestFilter filter, int top, CancellationToken cancellationToken)
    {
        // Categories are one delimited column ('|goods|food|'): the rows with any are read and
        // counted here, one pass, the same on SQLite and PostgreSQL.
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT q.categories
            FROM query_requests q
            WHERE {Where(command, filter, RequestSort.Updated)} AND LENGTH(q.categories) > 2;
            """;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            foreach (var category in reader.GetString(0).Split('|', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal))
            {
                counts[category] = counts.GetValueOrDefault(category) + 1;
            }
        }

        return [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(top).Select(c => new CategoryCount(c.Key, c.Value))];
    }

    /// <summary>The id of the place of <paramref name="kind"/> on a row's path ('/r/c/t/m/'); the path itself when it is shorter.</summary>
    private static string Ancestor(string path, PlaceKind kind)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > (int)kind ? parts[(int)kind] : path;
    }

    private string Where(DbCommand command, RequestFilter filter, RequestSort sort)
    {
        // A region's or county's page in creation order is read from the index on the creation
        // time, newest (or oldest) first, until the page is full: sorting the whole subtree costs
        // more. SQLite's planner cannot tell a wide range of paths from a narrow one, so the unary
        // '+' keeps it off the path and status indexes there (PostgreSQL's statistics decide alone).
        var byTime = !database.IsPostgres && sort is (RequestSort.Newest or RequestSort.Oldest) && filter.PlacePath.Length <= 2;
        var column = byTime ? "+q." : "q.";
        var prefix = RequestRow.PathText(filter.PlacePath);
        var sql = new StringBuilder($"{column}place_path >= @path_from AND {column}place_path < @path_to");
        QueryStoreDatabase.Add(command, "@path_from", prefix);

        // '/' + 1 is '0': every path that starts with the prefix sorts below it.
        QueryStoreDatabase.Add(command, "@path_to", prefix[..^1] + "0");
        if (!filter.Statuses.IsDefaultOrEmpty)
        {
            sql.Append(" AND ").Append(column).Append("status IN (").AppendJoin(", ", filter.Statuses.Distinct().Select(s => ((int)s).ToString(System.Globalization.CultureInfo.InvariantCulture))).Append(')');
        }

        if (filter.Kind is { } kind)
        {
            sql.Append(" AND q.kind = @kind");
            QueryStoreDatabase.Add(command, "@kind", (int)kind);
        }

        if (filter.Urgency is { } urgency)
        {
            sql.Append(" AND q.urgency = @urgency");
            QueryStoreDatabase.Add(command, "@urgency", (int)urgency);
        }

        if (filter.Category is { Length: > 0 } category)
        {
            sql.Append(database.IsPostgres ? " AND q.categories ILIKE @category ESCAPE '\\'" : " AND q.categories LIKE @category ESCAPE '\\'");
            QueryStoreDatabase.Add(command, "@category", "%|" + EscapeLike(category) + "|%");
        }

        if (filter.Overdue is { } overdue)
        {
            sql.Append(" AND q.overdue = @overdue");
            QueryStoreDatabase.Add(command, "@overdue", overdue ? 1 : 0);
        }

        if (filter.From is { } from)
        {
            sql.Append(" AND q.created_ms >= @from");
            QueryStoreDatabase.Add(command, "@from", QueryStoreDatabase.Millis(from));
        }

        if (filter.To is { } to)
        {
            sql.Append(" AND q.created_ms < @to");
            QueryStoreDatabase.Add(command, "@to", QueryStoreDatabase.Millis(to));
        }

        if (filter.Text is { Length: > 0 } text)
        {
            if (database.IsPostgres)
            {
                sql.Append(" AND (q.title || ' ' || coalesce(q.description, '')) ILIKE @text ESCAPE '\\'");
                QueryStoreDatabase.Add(command, "@text", "%" + EscapeLike(text) + "%");
            }
            else if (text.EnumerateRunes().Count() >= 3)
            {
                // A quoted FTS5 string: its trigrams must all occur, in order (a substring).
                sql.Append(" AND q.rowid IN (SELECT rowid FROM query_requests_text WHERE query_requests_text MATCH @text)");
                QueryStoreDatabase.Add(command, "@text", "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
            }
            else
            {
                sql.Append(" AND (q.title LIKE @text ESCAPE '\\' OR q.description LIKE @text ESCAPE '\\')");
                QueryStoreDatabase.Add(command, "@text", "%" + EscapeLike(text) + "%");
            }
        }

        return sql.ToString();
    }

    private static string OrderBy(RequestSort sort) => sort switch
    {
        RequestSort.Oldest => "q.created_ms ASC, q.id ASC",
        RequestSort.Updated => "q.updated_ms DESC, q.id DESC",
        RequestSort.Urgency => "q.urgency DESC, q.created_ms DESC, q.id DESC",
        RequestSort.Level => "q.escalation_level DESC, q.created_ms ASC, q.id ASC",
        RequestSort.Due => "q.next_due_ms ASC NULLS LAST, q.id ASC",
        _ => "q.created_ms DESC, q.id DESC",
    };

    private static string EscapeLike(string text) => text
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal)
        .Replace("_", "\\_", StringComparison.Ordinal);

    private RequestListItem Item(DbDataReader r)
    {
        long? Long(int i) => r.IsDBNull(i) ? null : QueryStoreDatabase.ToInt64(r.GetValue(i));
        int Int(int i) => QueryStoreDatabase.ToInt32(r.GetValue(i));
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new RequestListItem(
            database.ReadId(r, 0),
            r.GetString(1),
            Split(r.GetString(2), '/'),
            (RequestKind)Int(3),
            r.GetString(4),
            Text(5),
            Split(r.GetString(6), '|'),
            (Urgency)Int(7),
            (RequestStatus)Int(8),
            Int(9),
            Int(10),
            Split(r.GetString(11), '|'),
            Text(12),
            Int(13),
            Int(14) != 0,
            Long(15) is { } due ? QueryStoreDatabase.Time(due) : null,
            Int(16),
            Int(17),
            Text(18),
            r.IsDBNull(19) ? null : Int(19),
            r.GetString(20),
            QueryStoreDatabase.Time(Long(21)!.Value),
            QueryStoreDatabase.Time(Long(22)!.Value),
            Long(23) is { } finished ? QueryStoreDatabase.Time(finished) : null,
            Int(24));
    }

    private static ImmutableArray<string> Split(string joined, char separator) =>
        [.. joined.Split(separator, StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>One group's sums, added up over its (kind, status) rows.</summary>
    private sealed class Sums
    {
        private readonly int[] byKindAndStatus = new int[StatisticsTotals.KindCount * StatisticsTotals.StatusCount];
        private readonly long[] values = new long[16];

        public void Add(DbDataReader reader)
        {
            var kind = (RequestKind)QueryStoreDatabase.ToInt32(reader.GetValue(1));
            var status = (RequestStatus)QueryStoreDatabase.ToInt32(reader.GetValue(2));
            byKindAndStatus[StatisticsTotals.Slot(kind, status)] += QueryStoreDatabase.ToInt32(reader.GetValue(3));
            for (var i = 0; i < values.Length; i++)
            {
                values[i] += reader.IsDBNull(4 + i) ? 0 : QueryStoreDatabase.ToInt64(reader.GetValue(4 + i));
            }
        }

        public RequestTotals ToTotals(string key) => new(
            key, [.. byKindAndStatus],
            (int)values[0], (int)values[1], (int)values[2], (int)values[3], (int)values[4],
            (int)values[5], values[6] * TimeSpan.TicksPerMillisecond,
            (int)values[7], values[8] * TimeSpan.TicksPerMillisecond,
            (int)values[9], (int)values[10], (int)values[11], (int)values[12])
        {
            Satisfied = (int)values[13],
            BasicallySatisfied = (int)values[14],
            Unsatisfied = (int)values[15],
        };
    }
}
