using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dispatch.Idempotency;
using Dispatch.IntegrationTests.Support;
using Dispatch.Silo.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// What the store keeps of <c>Idempotency-Key</c> answers: no beneficiary contact or check-in code
/// (a request is kept as its id and read again on replay, through the same privacy filter), and
/// nothing past 24 hours, however many keys the consoles send.
/// </summary>
public sealed class IdempotencyStoreTests() : ClockedWorld(DateTimeOffset.UtcNow)
{
    [Fact]
    public async Task Kept_answers_hold_no_contact_or_code_and_a_replay_shows_the_request_as_the_caller_may_see_it_now()
    {
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        var created = await staff.Post("/api/requests", Wish("Kept as its id"), idempotencyKey: "create-private");
        var request = await Body(created, HttpStatusCode.Created);
        var code = request["checkInCode"]!.GetValue<string>();
        var id = request["id"]!.GetValue<string>();

        var claimed = await volunteer.Post($"/api/requests/{id}/claim", idempotencyKey: "claim-private");
        Assert.Contains(ContactSentinel.Phone, await Text(claimed, HttpStatusCode.OK), StringComparison.Ordinal);

        var stored = await StoredAnswers();
        Assert.Equal(2, stored.Count);
        Assert.Contains(stored, payload => payload.StartsWith(id, StringComparison.Ordinal)); // The request, kept as its id.
        foreach (var payload in stored)
        {
            Assert.DoesNotContain(ContactSentinel.Phone, payload, StringComparison.Ordinal);
            Assert.DoesNotContain("Xiao Ming", payload, StringComparison.Ordinal);
            Assert.DoesNotContain(code, payload, StringComparison.Ordinal);
        }

        // Staff still get the whole request again; the volunteer, no longer a claimant, no contact.
        var again = await staff.Post("/api/requests", Wish("Kept as its id"), idempotencyKey: "create-private");
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        var replayed = await Body(again, HttpStatusCode.Created);
        Assert.Equal(code, replayed["checkInCode"]!.GetValue<string>());
        Assert.Equal(ContactSentinel.Phone, replayed["beneficiary"]!["phone"]!.GetValue<string>());

        await DispatchClient.Expect(await volunteer.Post($"/api/requests/{id}/release"), HttpStatusCode.OK);
        var claimAgain = await volunteer.Post($"/api/requests/{id}/claim", idempotencyKey: "claim-private");
        Assert.Equal("true", claimAgain.Headers.GetValues("Idempotent-Replayed").Single());
        var seen = await Body(claimAgain, HttpStatusCode.OK);
        Assert.Null(seen["beneficiary"]);
        Assert.Null(seen["checkInCode"]);
    }

    [Fact]
    public async Task The_store_holds_the_answers_of_the_last_24_hours_only_however_many_keys_were_sent()
    {
        var sweeper = App.Services.GetRequiredService<IdempotencySweeper>();
        for (var day = 0; day < 3; day++)
        {
            using var staff = await World.As("staff-t1");
            for (var i = 0; i < 10; i++)
            {
                await DispatchClient.Expect(await staff.Post("/api/requests", Wish($"Day {day}, wish {i}"), idempotencyKey: $"day-{day}-{i}"), HttpStatusCode.Created);
            }

            Assert.Equal(10, (await StoredAnswers()).Count);

            // Not before the 24 hours are over. (The hourly sweep also runs as the Clock moves:
            // a sweep called here returns once any sweep under way is done.)
            Clock.Advance(TimeSpan.FromHours(23));
            await sweeper.SweepAsync(CancellationToken.None);
            Assert.Equal(10, (await StoredAnswers()).Count);
            Clock.Advance(TimeSpan.FromHours(1));
            await sweeper.SweepAsync(CancellationToken.None);
            Assert.Empty(await StoredAnswers());
        }

        // A key whose answer expired runs again as new, even on a grain still in memory.
        using var late = await World.As("staff-t1");
        var rerun = await late.Post("/api/requests", Wish("Day 2, wish 0"), idempotencyKey: "day-2-0");
        await DispatchClient.Expect(rerun, HttpStatusCode.Created);
        Assert.False(rerun.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(await StoredAnswers());
    }

    private static async Task<string> Text(HttpResponseMessage response, HttpStatusCode status)
    {
        await DispatchClient.Expect(response, status);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<JsonObject> Body(HttpResponseMessage response, HttpStatusCode status) =>
        JsonNode.Parse(await Text(response, status))!.AsObject();

    private static object Wish(string title) => new
    {
        communityId = "m1",
        kind = "wish",
        title,
        beneficiary = new { name = "Xiao Ming", phone = ContactSentinel.Phone, address = "Building 3" },
    };

    /// <summary>
    /// The stored Idempotency-Key answers, read back with the host's own storage serializer: the
    /// kept body as text, and the request id kept instead of a body, if any.
    /// </summary>
    private async Task<List<string>> StoredAnswers()
    {
        var serializer = App.Services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(StorageNames.Dispatch).GrainStorageSerializer!;
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "dispatch.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT PayloadBinary FROM OrleansStorage WHERE GrainTypeString = 'idempotency' AND PayloadBinary IS NOT NULL";
        var answers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var state = serializer.Deserialize<IdempotencyGrain.State>(new BinaryData((byte[])reader.GetValue(0)));
            answers.Add($"{state?.Response?.RequestId} {Encoding.UTF8.GetString([.. state?.Response?.Body ?? []])}");
        }

        return answers;
    }
}
