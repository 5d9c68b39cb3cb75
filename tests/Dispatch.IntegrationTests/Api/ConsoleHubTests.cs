using System.Net.Http.Json;
using Dispatch.Consoles;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Microsoft.AspNetCore.SignalR;

namespace Dispatch.IntegrationTests.Api;

/// <summary>The console hub with real SignalR clients (WebSockets) against the real host and store.</summary>
public sealed class ConsoleHubTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task A_console_sees_changes_at_and_below_its_place_only()
    {
        using var staff = await World.As("staff-t1");
        await using var town = await ConsoleClient.Connect(fixture.App, staff);
        await using var m1 = await ConsoleClient.Connect(fixture.App, staff);
        await using var m2 = await ConsoleClient.Connect(fixture.App, staff);
        await town.Watch("t1");
        await m1.Watch("m1");
        await m2.Watch("m2");

        var inM1 = await staff.CreateRequest("m1", title: "Scoped wish");

        var seenByTown = await town.Next(1);
        var seenByM1 = await m1.Next(1);
        Assert.Equal(inM1.Id, Assert.Single(seenByTown).Request!.Id);
        Assert.Equal(inM1.Id, Assert.Single(seenByM1).Request!.Id);
        Assert.Equal("t1", seenByTown[0].PlaceId);
        Assert.Equal("m1", seenByM1[0].PlaceId);

        // m2's console hears nothing of m1: a change in m2 is the first thing it gets, and the
        // other way round for m1.
        var inM2 = await staff.CreateRequest("m2", title: "Other wish");
        Assert.Equal(inM2.Id, Assert.Single(await m2.Next(1)).Request!.Id);
        Assert.Equal(inM2.Id, (await town.Next(1))[0].Request!.Id);
        var againInM1 = await staff.CreateRequest("m1", title: "Sentinel");
        Assert.Equal(againInM1.Id, Assert.Single(await m1.Next(1)).Request!.Id);
    }

    [Fact]
    public async Task Watching_outside_ones_scope_is_refused()
    {
        using var farStaff = await World.As("staff-m3");
        await using var far = await ConsoleClient.Connect(fixture.App, farStaff);
        var refused = await Assert.ThrowsAsync<HubException>(() => far.Watch("t1"));
        Assert.Contains("forbidden", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => far.Watch("nowhere"));

        using var volunteer = await World.As(World.Volunteer("m1", 1));
        await using var own = await ConsoleClient.Connect(fixture.App, volunteer);
        var board = await own.Watch("m1");
        Assert.Equal("m1", board.PlaceId);
        await Assert.ThrowsAsync<HubException>(() => own.Watch("m2"));
        await Assert.ThrowsAsync<HubException>(() => own.Watch("t1"));
    }

    [Fact]
    public async Task Sequence_numbers_run_without_gaps_and_resume_returns_exactly_what_was_missed()
    {
        using var admin = await World.App.Admin();
        await admin.CreatePlace("seq-town", "town", "c1");
        await admin.CreatePlace("seq", "community", "seq-town");
        long lastSeen;
        await using (var first = await ConsoleClient.Connect(fixture.App, admin))
        {
            var snapshot = await first.Watch("seq");
            for (var i = 0; i < 5; i++)
            {
                await admin.CreateRequest("seq", title: $"Before {i}");
            }

            var events = await first.Next(5);
            Assert.Equal(Enumerable.Range(1, 5).Select(i => snapshot.Seq + i), events.Select(e => e.Seq));
            lastSeen = events[^1].Seq;
        }

        // Disconnected: these are missed.
        var missed = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            missed.Add((await admin.CreateRequest("seq", title: $"While away {i}")).Id);
        }

        await using var second = await ConsoleClient.Connect(fixture.App, admin);
        var caughtUp = await Eventually.Get(() => second.Resume("seq", lastSeen), c => c.Events.Length == 4);
        Assert.Null(caughtUp.Snapshot);
        Assert.Equal(Enumerable.Range(1, 4).Select(i => lastSeen + i), caughtUp.Events.Select(e => e.Seq));
        Assert.Equal(missed, caughtUp.Events.Select(e => e.Request!.Id));

        // A number this feed never gave (or has forgotten) gets a snapshot instead.
        var unknown = await second.Resume("seq", 42);
        Assert.NotNull(unknown.Snapshot);
        Assert.Empty(unknown.Events);
    }

    [Fact]
    public async Task The_snapshot_plus_the_events_equals_the_state_after_a_burst_of_a_thousand_changes()
    {
        using var admin = await World.App.Admin();
        await admin.CreatePlace("burst-town", "town", "c1");
        await admin.CreatePlace("burst", "community", "burst-town");
        var volunteers = new List<DispatchClient>();
        for (var i = 0; i < 10; i++)
        {
            await admin.CreateAccount($"burst-{i}", "volunteer", "burst");
            volunteers.Add(await World.App.LoginAs($"burst-{i}", World.Password));
        }

        var wishes = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            wishes.Add((await admin.CreateRequest("burst", title: $"Early {i}")).Id);
        }

        await using var console = await ConsoleClient.Connect(fixture.App, admin);
        var snapshot = await console.Watch("burst");
        var state = snapshot.Requests.ToDictionary(r => r.Id);

        // 1,000 changes: new wishes, claims, releases and starts, in a seeded random order.
        var random = new Random(4);
        var changes = 0;
        while (changes < 1000)
        {
            var volunteer = volunteers[random.Next(volunteers.Count)];
            var wish = wishes[random.Next(wishes.Count)];
            var response = random.Next(10) switch
            {
                0 => await admin.Post("/api/requests", new { communityId = "burst", kind = "wish", title = $"Burst {changes}", beneficiary = new { name = "B" } }),
                < 5 => await volunteer.Post($"/api/requests/{wish}/claim"),
                < 9 => await volunteer.Post($"/api/requests/{wish}/release"),
                _ => await volunteer.Post($"/api/requests/{wish}/start"),
            };
            if (response.IsSuccessStatusCode)
            {
                changes++;
                if (response.StatusCode == System.Net.HttpStatusCode.Created)
                {
                    wishes.Add((await response.Content.ReadFromJsonAsync<RequestView>(DispatchClient.Json))!.Id);
                }
            }
        }

        var events = await console.Next(changes);
        Assert.Equal(changes, events.Count);
        Assert.Equal(Enumerable.Range(1, changes).Select(i => snapshot.Seq + i), events.Select(e => e.Seq));
        foreach (var change in events)
        {
            state[change.Request!.Id] = change.Request;
        }

        var server = await console.Watch("burst");
        Assert.Equal(snapshot.Seq + changes, server.Seq);
        Assert.Equal(events[^1].Counters, server.Counters);
        var unfinished = state.Values.Where(r => r.Status is not (RequestStatus.Verified or RequestStatus.Cancelled)).ToDictionary(r => r.Id);
        Assert.Equal(server.Requests.Select(r => (r.Id, r.Version, r.Status)).Order(), unfinished.Values.Select(r => (r.Id, r.Version, r.Status)).Order());
        foreach (var client in volunteers)
        {
            client.Dispose();
        }
    }
}
