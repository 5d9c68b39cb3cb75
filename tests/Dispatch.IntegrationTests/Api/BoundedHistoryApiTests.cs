using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.Queries;
using Dispatch.Requests;
using Dispatch.Silo.Hosting;
using Dispatch.Silo.QueryStore;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Issue #16, item 3 (second half): a request keeps its latest history entries, the query store
/// every one, and <c>GET …/history</c> pages through all of them; a request never drops an entry
/// the store does not hold, so a crash while the projection is behind loses none.
/// </summary>
public sealed class BoundedHistoryApiTests
{
    private const string Volunteer = "vol-m1-1";

    // Claim → release loops are how the tests write entries fast: no cool-down, no claim limit.
    private static Dictionary<string, string?> Loops(TestStore store, int? kept = null)
    {
        var settings = new Dictionary<string, string?>(store.Settings)
        {
            ["Dispatch:Requests:ReclaimCoolDown"] = "00:00:00",
            ["Dispatch:RateLimits:ClaimsPerVolunteer:Burst"] = "100000",
            ["Dispatch:RateLimits:ClaimsPerVolunteer:Refill"] = "100000",
        };
        if (kept is { } value)
        {
            settings["Dispatch:Requests:HistoryKept"] = value.ToString(CultureInfo.InvariantCulture);
        }

        return settings;
    }

    [Fact]
    public async Task Three_hundred_entries_all_come_back_through_paging_while_the_request_keeps_its_latest()
    {
        await using var store = await TestStore.Create(StoreKind.Sqlite);
        await using var app = new DispatchApp(store.DataDir, Loops(store));
        var world = await World.Create(app);
        using var staff = await world.As("staff-t1");
        using var volunteer = await world.As(Volunteer);
        var id = (await PlaceRequestsApiTests.Publish(staff, "m1", "wish", "Weekly shopping", null, "food")).Id;

        await Loop(volunteer, id, until: 300);
        Assert.Equal(300, (await staff.GetOk<RequestView>($"/api/requests/{id}")).Version);

        // Every entry, in order, once: pages of the store (or of the store and the request while it is behind).
        var all = new List<HistoryEntry>();
        for (var page = 1; page <= 3; page++)
        {
            var answer = await staff.GetOk<HistoryPage>($"/api/requests/{id}/history?page={page}&pageSize=120");
            Assert.Equal(300, answer.Total);
            all.AddRange(answer.Items);
        }

        Assert.Equal(Enumerable.Range(1, 300), all.Select(e => e.Seq));
        Assert.Equal(RequestAction.Created, all[0].Action);
        Assert.All(all.Skip(1), e => Assert.Equal(e.Seq % 2 == 0 ? RequestAction.Claimed : RequestAction.Released, e.Action));

        // Once the store has every entry, the next change trims what the request keeps to its latest.
        var database = Database(store);
        await Eventually.Get(() => ArchivedThrough(database, id), archived => archived == 300);
        await volunteer.PostOk<RequestView>($"/api/requests/{id}/release");
        var (kept, total) = await Unpaged(staff, id);
        Assert.Equal(301, total);
        Assert.InRange(kept.Length, 100, 110);
        Assert.Equal(Enumerable.Range(301 - kept.Length + 1, kept.Length), kept.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_crash_while_the_projection_is_behind_loses_no_entry_the_request_dropped()
    {
        await using var store = await TestStore.Create(StoreKind.Sqlite);
        var database = Database(store);
        Guid id;
        await using (var first = new DispatchApp(store.DataDir, Loops(store, kept: 10)))
        {
            var world = await World.Create(first);
            using var staff = await world.As("staff-t1");
            using var volunteer = await world.As(Volunteer);
            id = (await PlaceRequestsApiTests.Publish(staff, "m1", "wish", "Weekly shopping", null, "food")).Id;
            await Loop(volunteer, id, until: 30);
            await Eventually.Get(() => ArchivedThrough(database, id), archived => archived == 30);

            // The projection stops writing (every update of a request row fails): the store stays at 30.
            await Execute(database, "CREATE TRIGGER stall BEFORE UPDATE ON query_requests BEGIN SELECT RAISE(ABORT, 'stalled'); END;");
            await Loop(volunteer, id, until: 60);

            // The request kept everything the store lacks, though that is more than 10 entries.
            var (kept, total) = await Unpaged(staff, id);
            Assert.Equal(60, total);
            Assert.Equal(Enumerable.Range(31, 30), kept.Select(e => e.Seq));
            Assert.Equal(30, await ArchivedThrough(database, id));

            // Pages join the store's entries and the request's own while the store is behind.
            var page = await staff.GetOk<HistoryPage>($"/api/requests/{id}/history?page=1&pageSize=50");
            Assert.Equal((60, 60), (page.Total, page.Version));
            Assert.Equal(Enumerable.Range(1, 50), page.Items.Select(e => e.Seq));
            var last = await staff.GetOk<HistoryPage>($"/api/requests/{id}/history?page=2&pageSize=50");
            Assert.Equal(Enumerable.Range(51, 10), last.Items.Select(e => e.Seq));

            // The host goes down with the projection 30 entries behind.
        }

        await Execute(database, "DROP TRIGGER stall;");
        Assert.Equal(30L, await Scalar(database, "SELECT COUNT(*) FROM query_history;"));

        await using var second = new DispatchApp(store.DataDir, Loops(store, kept: 10));
        using (var anonymous = second.Anonymous())
        {
            await Eventually.Get(() => anonymous.Get("/health/ready"), r => r.StatusCode == HttpStatusCode.OK);
        }

        using var reader = await second.LoginAs("staff-t1", World.Password);
        Assert.Equal(60, await ArchivedThrough(database, id));
        var all = new List<HistoryEntry>();
        for (var number = 1; number <= 2; number++)
        {
            all.AddRange((await reader.GetOk<HistoryPage>($"/api/requests/{id}/history?page={number}&pageSize=30")).Items);
        }

        Assert.Equal(Enumerable.Range(1, 60), all.Select(e => e.Seq));
        Assert.All(all.Skip(1), e => Assert.Equal(e.Seq % 2 == 0 ? RequestAction.Claimed : RequestAction.Released, e.Action));
    }

    /// <summary>Claims and releases by turns until the request's history has <paramref name="until"/> entries.</summary>
    private static async Task Loop(DispatchClient volunteer, Guid id, int until)
    {
        var version = (await volunteer.GetOk<RequestView>($"/api/requests/{id}")).Version;
        while (version < until)
        {
            var action = version % 2 == 1 ? "claim" : "release";
            version = (await volunteer.PostOk<RequestView>($"/api/requests/{id}/{action}")).Version;
        }
    }

    private static async Task<(ImmutableArray<HistoryEntry> Kept, int Total)> Unpaged(DispatchClient client, Guid id)
    {
        var response = await client.Get($"/api/requests/{id}/history");
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        var kept = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<ImmutableArray<HistoryEntry>>(response.Content, DispatchClient.Json);
        var total = int.Parse(response.Headers.GetValues("X-Total-Count").Single(), CultureInfo.InvariantCulture);
        return (kept, total);
    }

    private static QueryStoreDatabase Database(TestStore store) => new(new DispatchStorageOptions
    {
        Provider = StorageProvider.Sqlite,
        DataDir = store.DataDir,
    });

    private static Task<int> ArchivedThrough(QueryStoreDatabase database, Guid id) =>
        new HistoryArchive(database).ArchivedThrough(id, CancellationToken.None);

    private static async Task Execute(QueryStoreDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(QueryStoreDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return QueryStoreDatabase.ToInt64(await command.ExecuteScalarAsync());
    }
}
