using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.WebHost.Volunteers;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// A volunteer's ratings through the API: vol-m1-2 took part in two rated requests (4, then 5 with a
/// comment) and one approved without a rating; vol-m1-3's rated request is not theirs.
/// </summary>
public sealed class VolunteerRatingsApiTests() : ClockedWorld(new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero), volunteersPerCommunity: 3)
{
    [Fact]
    public async Task Staff_read_a_volunteers_count_average_and_latest_ratings_with_the_request_and_comment()
    {
        using var staff = await World.As("staff-t1");
        using var wang = await World.As("vol-m1-2");
        using var zhao = await World.As("vol-m1-3");
        var cup = await Done(staff, wang, "一个保温杯", new { approved = true, rating = 4 });
        Clock.Advance(TimeSpan.FromMinutes(1));
        var glasses = await Done(staff, wang, "一副老花镜", new { approved = true, rating = 5, comment = "老人很满意" });
        Clock.Advance(TimeSpan.FromMinutes(1));
        await Done(staff, wang, "一袋米", new { approved = true });
        await Done(staff, zhao, "一把伞", new { approved = true, rating = 1 });

        var ratings = await Eventually.Get(
            () => staff.GetOk<VolunteerRatingsView>("/api/volunteers/vol-m1-2/ratings"),
            r => r.Ratings == 2);

        Assert.Equal(("vol-m1-2", 4.5), (ratings.Username, ratings.Average));
        Assert.Equal(
            [(glasses.Id, "一副老花镜", "m1", 5, (string?)"老人很满意"), (cup.Id, "一个保温杯", "m1", 4, null)],
            ratings.Latest.Select(r => (r.RequestId, r.Title, r.CommunityId, r.Rating, r.Comment)));
        Assert.True(ratings.Latest[0].VerifiedAt > ratings.Latest[1].VerifiedAt);

        var none = await staff.GetOk<VolunteerRatingsView>("/api/volunteers/vol-m1-1/ratings");
        Assert.Equal((0, (double?)null), (none.Ratings, none.Average));
        Assert.Empty(none.Latest);
    }

    [Fact]
    public async Task Only_staff_in_scope_read_a_volunteers_ratings()
    {
        using var far = await World.As("staff-m3");
        using var wang = await World.As("vol-m1-2");
        using var staff = await World.As("staff-t1");

        Assert.Equal("outOfScope", await Reason(far.Get("/api/volunteers/vol-m1-2/ratings"), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(wang.Get("/api/volunteers/vol-m1-2/ratings"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(staff.Get("/api/volunteers/nobody-here/ratings"), HttpStatusCode.NotFound));
    }

    private static async Task<RequestView> Done(DispatchClient staff, DispatchClient volunteer, string title, object verification)
    {
        var request = await staff.CreateRequest("m1", title: title);
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/start");
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { note = "送到了" });
        return await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", verification);
    }

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();
}
