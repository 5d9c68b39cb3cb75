using System.Data.Common;
using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.Queries;
using Dispatch.Requests;
using Dispatch.Silo.Commands;
using Dispatch.Silo.Hosting;
using Dispatch.Silo.QueryStore;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// The query store is derived and complete: changes a crash kept from it are projected before
/// <c>/health/ready</c> says ready, and <c>rebuild-query-store</c> makes it again from grain state.
/// </summary>
public sealed class QueryStoreCatchUpTests
{
    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSQL)]
    public async Task Changes_the_store_missed_are_projected_before_ready_and_a_rebuild_restores_it(StoreKind kind)
    {
        await using var store = await TestStore.Create(kind);
        Guid cup, shopping, clinic;
        await using (var first = store.App())
        {
            var world = await World.Create(first);
            using var staff = await world.As("staff-t1");
            using var volunteer = await world.As(World.Volunteer("m1", 1));
            cup = (await PlaceRequestsApiTests.Publish(staff, "m1", "wish", "为留守儿童送保温杯", null, "goods")).Id;
            shopping = (await PlaceRequestsApiTests.Publish(staff, "m1", "errand", "Weekly shopping", null, "food")).Id;
            clinic = (await PlaceRequestsApiTests.Publish(staff, "m2", "activity", "义诊", null, "health", places: 3)).Id;
            await volunteer.PostOk<RequestView>($"/api/requests/{cup}/claim");
            await volunteer.PostOk<RequestView>($"/api/requests/{cup}/start");
            var projected = await Eventually.Get(
                () => staff.GetOk<RequestPage>("/api/places/t1/requests"),
                p => p.Total == 3 && p.Items.Single(i => i.Id == cup).Status == RequestStatus.InProgress);
            Assert.Equal(3, projected.Total);
        }

        // Level after a clean stop: the catch-up's comparison finds nothing (the key columns match the provider's).
        var database = Database(store);
        Assert.Equal(3L, await Scalar(database, "SELECT COUNT(*) FROM query_requests;"));
        Assert.Equal(0L, await Scalar(database, """
            SELECT COUNT(*) FROM OrleansStorage s
            LEFT JOIN query_requests q ON q.key_n0 = s.GrainIdN0 AND q.key_n1 = s.GrainIdN1
            WHERE s.GrainTypeString = 'request' AND (q.state_version IS NULL OR q.state_version < s.Version);
            """));

        // What a kill -9 can leave: a request never projected, another projected at an older state.
        await Execute(database, "DELETE FROM query_requests WHERE id = @id;", database.Id(clinic));
        await Execute(database, "DELETE FROM query_history WHERE request_id = @id;", database.Id(clinic));
        await Execute(database, "UPDATE query_requests SET state_version = 1, version = 1, status = 0, claimants = '' WHERE id = @id;", database.Id(cup));
        await Execute(database, "DELETE FROM query_history WHERE request_id = @id AND seq > 1;", database.Id(cup));

        await using (var second = store.App())
        {
            using var anonymous = second.Anonymous();
            await Eventually.Get(() => anonymous.Get("/health/ready"), r => r.StatusCode == HttpStatusCode.OK);
            await DispatchClient.Expect(await anonymous.Get("/health/ready"), HttpStatusCode.OK);

            // Ready means caught up: no waiting from here on.
            using var staff = await second.LoginAs("staff-t1", World.Password);
            var page = await staff.GetOk<RequestPage>("/api/places/t1/requests");
            Assert.Equal([clinic, shopping, cup], page.Items.Select(i => i.Id));
            var inProgress = page.Items.Single(i => i.Id == cup);
            Assert.Equal(RequestStatus.InProgress, inProgress.Status);
            Assert.Equal<string>([World.Volunteer("m1", 1)], inProgress.Claimants);
            var history = await staff.GetOk<HistoryPage>($"/api/requests/{cup}/history?page=1&pageSize=10");
            Assert.Equal([RequestAction.Created, RequestAction.Claimed, RequestAction.Started], history.Items.Select(h => h.Action));
        }

        // A rebuild from grain state, with the hosts stopped, gives the same store.
        await Execute(database, "UPDATE query_requests SET title = 'tampered';", null);
        var args = new List<string> { "rebuild-query-store", "--Dispatch:DataDir", store.DataDir };
        foreach (var (key, value) in store.Settings)
        {
            args.AddRange(["--" + key, value!]);
        }

        Assert.Equal(0, await SiloCommandLine.RunAsync([.. args], TextWriter.Null, Console.Error));
        Assert.Equal(3L, await Scalar(database, "SELECT COUNT(*) FROM query_requests WHERE title <> 'tampered';"));
        Assert.Equal(3L + 1 + 1, await Scalar(database, "SELECT COUNT(*) FROM query_history;"));
        await using var third = store.App();
        using var admin = await third.Admin();
        Assert.Equal([cup], (await admin.GetOk<RequestPage>("/api/places/c1/requests?q=" + Uri.EscapeDataString("保温杯"))).Items.Select(i => i.Id));
    }

    private static QueryStoreDatabase Database(TestStore store) => new(new DispatchStorageOptions
    {
        Provider = store.Kind == StoreKind.PostgreSQL ? StorageProvider.PostgreSQL : StorageProvider.Sqlite,
        DataDir = store.DataDir,
        PostgresConnectionString = store.Settings.GetValueOrDefault("ConnectionStrings:Dispatch"),
    });

    private static async Task Execute(QueryStoreDatabase database, string sql, object? id)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = Command(connection, sql, id);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(QueryStoreDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = Command(connection, sql, null);
        return QueryStoreDatabase.ToInt64(await command.ExecuteScalarAsync());
    }

    private static DbCommand Command(DbConnection connection, string sql, object? id)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (id is not null)
        {
            QueryStoreDatabase.Add(command, "@id", id);
        }

        return command;
    }
}
