using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.Silo.QueryStore;
using Dispatch.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.IntegrationTests.Storage;

/// <summary>
/// Every writer of the embedded SQLite file takes its turn at the <see cref="SqliteWriteGate"/>:
/// grain state, reminders and the query store's projection. While one writer holds the gate the
/// others wait for it (no "busy" answer from SQLite, no retry after a pause), and then go through.
/// Each test holds the gate itself, sees the writer queue behind it, and lets it go.
/// </summary>
public sealed class SqliteWriteGateTests : IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private DispatchApp app = null!;
    private World world = null!;
    private SqliteWriteGate gate = null!;

    public async Task InitializeAsync()
    {
        app = new DispatchApp(directory.Path);
        world = await World.Create(app);
        gate = app.Services.GetRequiredService<SqliteWriteGate>();
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        directory.Dispose();
    }

    [Fact]
    public async Task A_grain_write_waits_for_the_writer_before_it_then_is_stored()
    {
        Assert.True(gate.Active);
        using var staff = await world.As("staff-t1");

        Task<RequestView> created;
        using (gate.Enter())
        {
            created = staff.CreateRequest("m1", title: "Waits its turn");
            await QueuedBehind(created);
        }

        var request = await created;
        Assert.Equal("Waits its turn", (await staff.GetOk<RequestView>($"/api/requests/{request.Id}")).Title);
    }

    [Fact]
    public async Task A_grain_write_is_answered_after_a_sync_of_the_log()
    {
        using var staff = await world.As("staff-t1");
        var before = gate.Syncs;

        await staff.CreateRequest("m1", title: "Synced before it is answered");

        Assert.True(gate.Syncs > before, "The write was answered without syncing the write-ahead log.");
    }

    [Fact]
    public async Task The_reminder_table_waits_its_turn()
    {
        var table = app.Services.GetRequiredService<IReminderTable>();
        var grain = GrainId.Create("request", Guid.NewGuid().ToString("N"));

        Task<string?> upserted;
        using (gate.Enter())
        {
            upserted = Task.Run(() => table.UpsertRow(new ReminderEntry
            {
                GrainId = grain, ReminderName = "deadlines", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1),
            }));
            await QueuedBehind(upserted);
        }

        Assert.NotNull(await upserted);
        Assert.NotNull(await table.ReadRow(grain, "deadlines"));
    }

    [Fact]
    public async Task The_query_store_projection_waits_its_turn()
    {
        var writer = app.Services.GetRequiredService<QueryStoreWriter>();

        Task written;
        using (gate.Enter())
        {
            written = Task.Run(() => writer.WriteMeta("gate-probe", "written"));
            await QueuedBehind(written);
        }

        await written;
        Assert.Equal("written", writer.ReadMeta("gate-probe"));
    }

    /// <summary>Waits until a writer queues behind the gate held by the test, and checks <paramref name="write"/> has not finished.</summary>
    private async Task QueuedBehind(Task write)
    {
        var waiting = await Eventually.Get(() => Task.FromResult(gate.Waiting), count => count > 0 || write.IsCompleted);
        Assert.True(waiting > 0, "No writer queued behind the held gate.");
        Assert.False(write.IsCompleted, "The write finished while another writer held the gate.");
    }
}
