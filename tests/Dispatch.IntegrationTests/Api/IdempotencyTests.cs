using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>A retried POST with the same Idempotency-Key returns the first answer and has no second effect.</summary>
public sealed class IdempotencyTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task A_retried_create_publishes_one_request_and_replays_the_first_answer()
    {
        using var staff = await World.As("staff-t1");
        var body = new { communityId = "m2", kind = "wish", title = "Retried wish", beneficiary = new { name = "A" } };
        var before = await Total(staff);

        var first = await staff.Post("/api/requests", body, idempotencyKey: "create-1");
        var retry = await staff.Post("/api/requests", body, idempotencyKey: "create-1");

        await DispatchClient.Expect(first, HttpStatusCode.Created);
        await DispatchClient.Expect(retry, HttpStatusCode.Created);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        var firstId = (await first.Content.ReadFromJsonAsync<RequestView>(DispatchClient.Json))!.Id;
        Assert.Equal(firstId, (await retry.Content.ReadFromJsonAsync<RequestView>(DispatchClient.Json))!.Id);
        Assert.Equal(before + 1, await Total(staff));
    }

    [Fact]
    public async Task A_retried_claim_is_won_once_and_answered_the_same()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As(World.Volunteer("m1", 2));
        var request = await staff.CreateRequest("m1", kind: "activity", places: 3);

        var first = await volunteer.Post($"/api/requests/{request.Id}/claim", idempotencyKey: "claim-1");
        var retry = await volunteer.Post($"/api/requests/{request.Id}/claim", idempotencyKey: "claim-1");

        await DispatchClient.Expect(first, HttpStatusCode.OK);
        await DispatchClient.Expect(retry, HttpStatusCode.OK); // Not "alreadyClaimed": the first answer again.
        var now = await staff.GetOk<RequestView>($"/api/requests/{request.Id}");
        Assert.Equal<string>([World.Volunteer("m1", 2)], now.Claimants);
        Assert.Equal(2, now.Version); // Created, claimed: one claim.
    }

    [Fact]
    public async Task A_completion_queued_offline_and_sent_twice_is_recorded_once_and_answered_the_same()
    {
        using var staff = await World.As("staff-t1");
        var name = World.Volunteer("m2", 2);
        using var volunteer = await World.As(name);
        var request = await staff.CreateRequest("m2", title: "Completed offline");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/start");
        var body = new { note = "Done without a network", checkInCode = (string?)null };

        // The app's outbox sends its queued completion again after a lost answer: same key, same body.
        var first = await volunteer.Post($"/api/requests/{request.Id}/complete", body, idempotencyKey: "outbox-complete-1");
        var again = await volunteer.Post($"/api/requests/{request.Id}/complete", body, idempotencyKey: "outbox-complete-1");

        await DispatchClient.Expect(first, HttpStatusCode.OK);
        await DispatchClient.Expect(again, HttpStatusCode.OK); // Not invalidTransition: the first answer again.
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(RequestStatus.Completed, (await again.Content.ReadFromJsonAsync<RequestView>(DispatchClient.Json))!.Status);
        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{request.Id}/history");
        Assert.Single(history, h => h.Action == RequestAction.Completed && h.Actor == name);
    }

    [Fact]
    public async Task Reusing_a_key_for_another_request_is_refused_and_keys_belong_to_their_account()
    {
        using var staff = await World.As("staff-t1");
        using var otherStaff = await World.As("staff-m3");
        await DispatchClient.Expect(
            await staff.Post("/api/requests", new { communityId = "m1", kind = "wish", title = "One", beneficiary = new { name = "A" } }, "shared-key"),
            HttpStatusCode.Created);

        var reused = await staff.Post("/api/requests", new { communityId = "m1", kind = "wish", title = "Two", beneficiary = new { name = "A" } }, "shared-key");
        var problem = await DispatchClient.Problem(reused, (HttpStatusCode)422);
        Assert.Equal("idempotencyKeyReused", problem["reason"]!.GetValue<string>());

        // The same key from another account is another key.
        await DispatchClient.Expect(
            await otherStaff.Post("/api/requests", new { communityId = "m3", kind = "wish", title = "Three", beneficiary = new { name = "A" } }, "shared-key"),
            HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_overlong_key_is_refused_naming_the_header()
    {
        using var staff = await World.As("staff-t1");
        var problem = await DispatchClient.Problem(
            await staff.Post("/api/requests", new { }, idempotencyKey: new string('k', 201)), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["Idempotency-Key"]);
    }

    private static async Task<int> Total(DispatchClient client) =>
        (await client.GetOk<JsonObject>("/api/communities/m2/requests"))["total"]!.GetValue<int>();
}
