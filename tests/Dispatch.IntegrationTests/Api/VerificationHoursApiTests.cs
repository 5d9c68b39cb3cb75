using System.Net;
using Dispatch.Hours;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>Service hours confirmed with the verification (<c>minutes</c> on the verify body), on a fake Clock.</summary>
public sealed class VerificationHoursApiTests() : ClockedWorld(new DateTimeOffset(2026, 3, 4, 1, 0, 0, TimeSpan.Zero), volunteersPerCommunity: 3)
{
    [Fact]
    public async Task Minutes_confirmed_at_verification_go_to_each_claimants_hours_once_and_count_in_the_totals()
    {
        using var staff = await World.As("staff-t1");
        using var wang = await World.As("vol-m1-2");
        var errand = await staff.CreateRequest("m1");
        await wang.PostOk<RequestView>($"/api/requests/{errand.Id}/claim");
        Clock.Advance(TimeSpan.FromMinutes(30));
        await Refresh(staff, wang);
        await wang.PostOk<RequestView>($"/api/requests/{errand.Id}/start");
        Clock.Advance(TimeSpan.FromMinutes(60));
        await Refresh(staff, wang);
        await wang.PostOk<RequestView>($"/api/requests/{errand.Id}/complete", new { note = "Delivered" });

        // Wang claimed 90 minutes ago: 91 is more than they served, and nothing changes.
        var tooLong = await DispatchClient.Problem(await staff.Post($"/api/requests/{errand.Id}/verify", new { approved = true, rating = 5, minutes = 91 }), HttpStatusCode.BadRequest);
        Assert.NotNull(tooLong["errors"]?["minutes"]);
        Assert.Equal(90, tooLong["limit"]?.GetValue<int>());
        Assert.Equal(RequestStatus.Completed, (await staff.GetOk<RequestView>($"/api/requests/{errand.Id}")).Status);

        var verified = await staff.PostOk<RequestView>($"/api/requests/{errand.Id}/verify", new { approved = true, rating = 5, minutes = 75 });

        Assert.Equal(RequestStatus.Verified, verified.Status);
        var wangs = Assert.Single((await wang.GetOk<VolunteerHoursView>("/api/volunteers/vol-m1-2/hours")).Entries);
        Assert.Equal((HoursSource.Request, errand.Id, 75, "staff-t1", false), (wangs.Source, wangs.ReferenceId, wangs.Minutes, wangs.RecordedBy, wangs.Manual));
        Assert.Equal(75, (await staff.GetOk<PlaceHoursView>("/api/places/m1/hours")).Minutes);

        // The hours door records the same service once: a later confirmation answers what was recorded.
        var again = await staff.PostOk<HoursEntryView[]>($"/api/requests/{errand.Id}/hours", new { minutes = 30, volunteer = "vol-m1-2" });
        Assert.Equal(75, Assert.Single(again).Minutes);
    }

    [Fact]
    public async Task Minutes_are_refused_when_out_of_range_or_with_a_rejection_and_nothing_changes()
    {
        using var staff = await World.As("staff-t1");
        using var wang = await World.As("vol-m1-2");
        var wish = await staff.CreateRequest("m1");
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        Clock.Advance(TimeSpan.FromMinutes(40));
        await Refresh(staff, wang);
        await wang.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "Delivered" });

        var zero = await DispatchClient.Problem(await staff.Post($"/api/requests/{wish.Id}/verify", new { approved = true, minutes = 0 }), HttpStatusCode.BadRequest);
        var rejected = await DispatchClient.Problem(await staff.Post($"/api/requests/{wish.Id}/verify", new { approved = false, minutes = 30 }), HttpStatusCode.BadRequest);

        Assert.NotNull(zero["errors"]?["minutes"]);
        Assert.NotNull(rejected["errors"]?["minutes"]);
        Assert.Equal(RequestStatus.Completed, (await staff.GetOk<RequestView>($"/api/requests/{wish.Id}")).Status);
        Assert.Empty((await wang.GetOk<VolunteerHoursView>("/api/volunteers/vol-m1-2/hours")).Entries);

        // Without minutes the verification records no hours, as before.
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 4 });
        Assert.Empty((await wang.GetOk<VolunteerHoursView>("/api/volunteers/vol-m1-2/hours")).Entries);
    }

    private static async Task Refresh(params DispatchClient[] clients)
    {
        foreach (var client in clients)
        {
            await DispatchClient.Expect(await client.Refresh(), HttpStatusCode.OK);
        }
    }
}
