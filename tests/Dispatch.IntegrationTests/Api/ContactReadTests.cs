using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Every answer that shows a beneficiary's contact is on record in <c>contact-reads</c>, not only
/// <c>GET</c>: the answers to claim, start and complete carry it too, so a volunteer who claims,
/// reads the contact in the claim's answer and releases, again and again, is visible to staff.
/// Once per reader per 10 minutes, on the host's Clock; answers without the contact are not recorded.
/// </summary>
public sealed class ContactReadTests() : ClockedWorld(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero))
{
    private static readonly TimeSpan Span = RequestLimits.ContactReadSpan;

    [Fact]
    public async Task A_claim_and_release_loop_is_on_record_without_a_single_GET()
    {
        Guid wish;
        using (var creator = await World.As("staff-t1"))
        {
            wish = (await creator.CreateRequest("m1")).Id;
            Assert.Empty(await Readers(creator, wish)); // Creating it shows its creator only what they sent.
        }

        // Signed in again each round: the fake Clock outruns an access token's 15 minutes.
        for (var round = 1; round <= 3; round++)
        {
            using var staff = await World.As("staff-t1");
            using var volunteer = await World.As(World.Volunteer("m1", 1));
            var claimed = await volunteer.PostOk<RequestView>($"/api/requests/{wish}/claim");
            Assert.NotNull(claimed.Beneficiary);
            var released = await volunteer.PostOk<RequestView>($"/api/requests/{wish}/release");
            Assert.Null(released.Beneficiary);

            Assert.Equal(Enumerable.Repeat(World.Volunteer("m1", 1), round), await Readers(staff, wish));
            Clock.Advance(Span);
        }
    }

    [Fact]
    public async Task Start_and_complete_answers_are_on_record_once_per_span()
    {
        var claimant = World.Volunteer("m1", 1);
        using var staff = await World.As("staff-t1");
        var wish = await staff.CreateRequest("m1");

        using (var volunteer = await World.As(claimant))
        {
            Assert.NotNull((await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim")).Beneficiary);

            // Within the span a second answer with the contact adds nothing.
            Assert.NotNull((await volunteer.GetOk<RequestView>($"/api/requests/{wish.Id}")).Beneficiary);
            Assert.Equal([claimant], await Readers(staff, wish.Id));
        }

        Clock.Advance(Span);
        using (var volunteer = await World.As(claimant))
        {
            Assert.NotNull((await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/start")).Beneficiary);
            Assert.Equal([claimant, claimant], await Readers(staff, wish.Id));
        }

        Clock.Advance(Span);
        using (var volunteer = await World.As(claimant))
        {
            Assert.NotNull((await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "Delivered" })).Beneficiary);
        }

        using var staffAgain = await World.As("staff-t1");
        var reads = await staffAgain.GetOk<JsonArray>($"/api/requests/{wish.Id}/contact-reads");
        Assert.Equal([claimant, claimant, claimant], reads.Select(r => r!["by"]!.GetValue<string>()));
        Assert.Equal(
            [Clock.GetUtcNow() - 2 * Span, Clock.GetUtcNow() - Span, Clock.GetUtcNow()],
            reads.Select(r => r!["at"]!.GetValue<DateTimeOffset>()));

        // A volunteer who lost the claim was shown nothing, and is not on record.
        using var neighbour = await World.As(World.Volunteer("m1", 2));
        await DispatchClient.Problem(await neighbour.Post($"/api/requests/{wish.Id}/claim"), HttpStatusCode.Conflict);
        Assert.DoesNotContain(World.Volunteer("m1", 2), await Readers(staffAgain, wish.Id));
    }

    private static async Task<string[]> Readers(DispatchClient staff, Guid request) =>
        [.. (await staff.GetOk<JsonArray>($"/api/requests/{request}/contact-reads")).Select(r => r!["by"]!.GetValue<string>())];
}
