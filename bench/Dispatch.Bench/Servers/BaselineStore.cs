using Npgsql;
using NpgsqlTypes;

namespace Dispatch.Bench.Servers;

/// <summary>
/// The baseline's storage: what a team without actors would build for claiming: one row per wish,
/// claimed with a conditional UPDATE (and a places counter with a row per claim for N-place
/// requests), so that PostgreSQL's row lock decides every race.
/// </summary>
public static class BaselineStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS wishes (
            id uuid PRIMARY KEY,
            community_id text NOT NULL,
            title text NOT NULL,
            places int NOT NULL,
            taken int NOT NULL DEFAULT 0,
            claimant text,
            claimed_at timestamptz,
            version int NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS claims (
            wish_id uuid NOT NULL REFERENCES wishes (id),
            volunteer text NOT NULL,
            claimed_at timestamptz NOT NULL,
            PRIMARY KEY (wish_id, volunteer));
        """;

    /// <summary>
    /// One place: one statement, one round trip. The UPDATE wins only while nobody holds the wish;
    /// the outer SELECT reads the row as it was, so a loser learns why it lost in the same trip.
    /// </summary>
    public const string ClaimOne = """
        WITH won AS (
            UPDATE wishes SET claimant = $2, claimed_at = now(), taken = 1, version = version + 1
            WHERE id = $1 AND places = 1 AND claimant IS NULL AND community_id = $3
            RETURNING id, taken, claimant)
        SELECT w.title, w.places, coalesce(won.taken, w.taken), won.id IS NOT NULL, w.community_id, w.claimant = $2
        FROM wishes w LEFT JOIN won ON won.id = w.id
        WHERE w.id = $1
        """;

    /// <summary>
    /// N places: the counter is raised only while places are free, and the claim row (unique per
    /// volunteer) is written in the same statement; a concurrent second claim by the same volunteer
    /// fails on the key and the whole statement is undone.
    /// </summary>
    public const string ClaimPlace = """
        WITH slot AS (
            UPDATE wishes SET taken = taken + 1, version = version + 1
            WHERE id = $1 AND taken < places AND community_id = $3
              AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.wish_id = $1 AND c.volunteer = $2)
            RETURNING id, taken),
        claim AS (
            INSERT INTO claims (wish_id, volunteer, claimed_at) SELECT id, $2, now() FROM slot RETURNING wish_id)
        SELECT w.title, w.places, coalesce(s.taken, w.taken), s.id IS NOT NULL, w.community_id,
               EXISTS (SELECT 1 FROM claims c WHERE c.wish_id = $1 AND c.volunteer = $2)
        FROM wishes w LEFT JOIN slot s ON s.id = w.id
        WHERE w.id = $1
        """;

    /// <summary>Creates the tables and the wishes to be claimed (before the clock starts).</summary>
    public static async Task SeedAsync(string connectionString, IReadOnlyList<(Guid Id, string CommunityId, int Places)> wishes, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var create = new NpgsqlCommand(Schema, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync("COPY wishes (id, community_id, title, places) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (id, communityId, places) in wishes)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(communityId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync($"Wish {id:N}", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(places, NpgsqlDbType.Integer, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var analyze = new NpgsqlCommand("ANALYZE wishes; ANALYZE claims;", connection);
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Who holds each wish, as stored: for checking the acknowledged winners against it.</summary>
    public static async Task<Dictionary<Guid, List<string>>> ClaimantsAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT id, claimant FROM wishes WHERE claimant IS NOT NULL UNION ALL SELECT wish_id, volunteer FROM claims", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claimants = new Dictionary<Guid, List<string>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            if (!claimants.TryGetValue(id, out var names))
            {
                claimants[id] = names = [];
            }

            names.Add(reader.GetString(1));
        }

        return claimants;
    }
}
