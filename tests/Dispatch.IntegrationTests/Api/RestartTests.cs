using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;

namespace Dispatch.IntegrationTests.Api;

/// <summary>Stopping the host and starting it again on the same data folder resumes exactly.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSQL)]
    public async Task Requests_claims_accounts_counters_and_tokens_survive_a_restart(StoreKind kind)
    {
        Guid wishId, activityId;
        string staffToken;
        JsonObject countersBefore;
        await using var store = await TestStore.Create(kind);
        await using (var first = store.App())
        {
            var world = await World.Create(first);
            using var staff = await world.As("staff-t1");
            staffToken = staff.Http.DefaultRequestHeaders.Authorization!.Parameter!;
            using var volunteer = await world.As(World.Volunteer("m1", 1));
            using var other = await world.As(World.Volunteer("m1", 2));
            wishId = (await staff.CreateRequest("m1")).Id;
            activityId = (await staff.CreateRequest("m1", kind: "activity", places: 3)).Id;
            await volunteer.PostOk<RequestView>($"/api/requests/{wishId}/claim");
            await volunteer.PostOk<RequestView>($"/api/requests/{activityId}/claim");
            await other.PostOk<RequestView>($"/api/requests/{activityId}/claim");
            await volunteer.PostOk<RequestView>($"/api/requests/{wishId}/start");
            countersBefore = (JsonObject)(await Eventually.Get(
                () => staff.GetOk<JsonObject>("/api/communities/m1"),
                c => c["counters"]!["inProgress"]!.GetValue<int>() == 1 && c["counters"]!["open"]!.GetValue<int>() == 1))["counters"]!.DeepClone();
        }

        await using var second = store.App();

        // The signing key was kept in the data folder: a token from before still works.
        using var staffAgain = second.Anonymous();
        staffAgain.Http.DefaultRequestHeaders.Authorization = new("Bearer", staffToken);
        var wish = await staffAgain.GetOk<RequestView>($"/api/requests/{wishId}");
        Assert.Equal(RequestStatus.InProgress, wish.Status);
        Assert.Equal<string>([World.Volunteer("m1", 1)], wish.Claimants);
        Assert.Equal(3, wish.Version);
        var activity = await staffAgain.GetOk<RequestView>($"/api/requests/{activityId}");
        Assert.Equal(RequestStatus.Open, activity.Status);
        Assert.Equal<string>([World.Volunteer("m1", 1), World.Volunteer("m1", 2)], activity.Claimants);

        var counters = (await staffAgain.GetOk<JsonObject>("/api/communities/m1"))["counters"]!;
        Assert.Equal(countersBefore.ToJsonString(), counters.ToJsonString());

        // Accounts and volunteers' claim slots are intact, and claiming carries on.
        using var volunteerAgain = await second.LoginAs(World.Volunteer("m1", 1), World.Password);
        var profile = await volunteerAgain.GetOk<JsonObject>($"/api/volunteers/{World.Volunteer("m1", 1)}");
        Assert.Equal(2, profile["activeClaims"]!.AsArray().Count);
        Assert.Equal("alreadyClaimed", await LifecycleTests.Reason(volunteerAgain, activityId, System.Net.HttpStatusCode.Conflict));
        using var third = await second.LoginAs(World.Volunteer("m1", 2), World.Password);
        using var admin = await second.Admin();
        await admin.CreateAccount("late-vol", "volunteer", "m1");
        using var late = await second.LoginAs("late-vol", World.Password);
        var full = await late.PostOk<RequestView>($"/api/requests/{activityId}/claim");
        Assert.Equal(RequestStatus.Claimed, full.Status);
    }

    [Fact]
    public async Task A_deadline_that_passes_while_the_host_is_down_escalates_within_one_reminder_period_of_start_up()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var created = clock.GetUtcNow();
        Guid id;
        await using (var first = new DispatchApp(directory.Path, clock: clock))
        {
            var world = await World.Create(first);
            await Policies.Set(world.Admin, "errand", "urgent", ClaimThenEveryFortySeconds);
            using var staff = await world.As("staff-t1");
            id = (await staff.PostOk<RequestView>(
                "/api/requests",
                new { communityId = "m1", kind = "errand", title = "Book a clinic visit", urgency = "urgent", beneficiary = new { name = "Old Zhang" } },
                System.Net.HttpStatusCode.Created)).Id;
        }

        // The claim deadline (2 s) passes while nothing runs.
        clock.Advance(TimeSpan.FromSeconds(10));
        using var reminder = new ReminderWatch(id);
        await using var second = new DispatchApp(directory.Path, clock: clock);
        var serializer = second.Services.GetRequiredService<Serializer>();

        // Nobody asks for the request: only its reminder can wake it. Once the restarted reminder
        // service waits for the reminder's next tick, one reminder period must be enough. The stored
        // state is read straight from SQLite, which does not activate the grain.
        await reminder.Armed();
        Assert.Equal(0, (await StoredRequest(serializer))!.EscalationLevel);
        clock.Advance(RequestGrain.ReminderPeriod);
        await reminder.Delivered();

        // Woken at +70 s, it applies what it missed, each climb from its own deadline: the town for
        // the claim deadline at +2 s, the county at +42 s; the region (+82 s) is not due yet.
        var stored = (await StoredRequest(serializer))!;
        Assert.Equal((2, "c1", true), (stored.EscalationLevel, stored.EscalationPlaceId, stored.Overdue));
        var climbs = stored.History.Where(h => h.Action == RequestAction.Escalated).ToList();
        Assert.Equal(2, climbs.Count);
        Assert.Contains($"passed at {created + TimeSpan.FromSeconds(2):u}", climbs[0].Note, StringComparison.Ordinal);
        Assert.Contains($"at {created + TimeSpan.FromSeconds(42):u}", climbs[1].Note, StringComparison.Ordinal);
        Assert.All(climbs, c => Assert.Equal(created + TimeSpan.FromSeconds(70), c.At));
    }

    /// <summary>Two seconds to claim, then a climb every forty seconds; everything else a day.</summary>
    private static Dictionary<string, string> ClaimThenEveryFortySeconds { get; } = new(Policies.Quiet(claimWithin: "00:00:02"))
    {
        ["escalateEvery"] = "00:00:40",
    };

    private async Task<ServiceRequest?> StoredRequest(Serializer serializer)
    {
        var options = new Dispatch.Silo.Hosting.DispatchStorageOptions { DataDir = directory.Path };
        await using var connection = new SqliteConnection(options.SqliteConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'request';";
        return await command.ExecuteScalarAsync() is byte[] payload
            ? serializer.Deserialize<RequestGrain.State>(payload)?.Request
            : null;
    }

    public void Dispose() => directory.Dispose();
}
