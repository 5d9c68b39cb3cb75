using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Requests;
using Dispatch.WebHost.Inbox;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// The inbox through the API: what the grains decide lands in the right person's inbox (offers,
/// claims of a request one owns, verifications and points), each reads only their own, read and
/// unread, and bad paging is a problem naming the parameter.
/// </summary>
public sealed class NotificationsInboxApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task An_offer_reaches_the_volunteer_and_the_accepted_claim_reaches_the_owner()
    {
        var volunteer = World.Volunteer("m2", 1);
        using var staff = await World.As("staff-t1");
        using var phone = await World.As(volunteer);
        var before = await phone.GetOk<InboxPage>("/api/inbox");
        var request = await staff.CreateRequest("m2", title: "Carry coal for Grandma Zhang");
        await staff.PostOk<RequestView>($"/api/requests/{request.Id}/acknowledge");
        await staff.PostOk<RequestView>($"/api/requests/{request.Id}/dispatch", new { volunteer });

        var inbox = await phone.GetOk<InboxPage>("/api/inbox");

        Assert.Equal(before.Total + 1, inbox.Total);
        Assert.Equal(before.Unread + 1, inbox.Unread);
        var offer = inbox.Items[0];
        Assert.Equal((NoticeKind.Offered, "Carry coal for Grandma Zhang", request.Id, "staff-t1", false), (offer.Kind, offer.Subject, offer.RequestId, offer.By, offer.Read));
        Assert.NotNull(offer.Until);
        var raw = await (await phone.Get("/api/inbox")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(ContactSentinel.Phone, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Xiao Ming", raw, StringComparison.Ordinal);

        var ownerBefore = (await staff.GetOk<InboxPage>("/api/inbox?unread=true&pageSize=100")).Items.Count(i => i.RequestId == request.Id);
        await phone.PostOk<RequestView>($"/api/requests/{request.Id}/offer/accept");
        var owner = await staff.GetOk<InboxPage>("/api/inbox?unread=true&pageSize=100");
        var claimed = Assert.Single(owner.Items, i => i.RequestId == request.Id && i.Kind == NoticeKind.Claimed);
        Assert.Equal(0, ownerBefore);
        Assert.Equal(volunteer, claimed.By);
    }

    [Fact]
    public async Task A_verification_tells_the_claimant_the_result_and_the_points_earned()
    {
        var volunteer = World.Volunteer("m1", 2);
        using var staff = await World.As("staff-t1");
        using var phone = await World.As(volunteer);
        var request = await staff.CreateRequest("m1", title: "Fix the stairwell light");
        await phone.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        await phone.PostOk<RequestView>($"/api/requests/{request.Id}/start");
        await phone.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { note = "Done" });
        await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = true, rating = 5 });

        var inbox = await phone.GetOk<InboxPage>("/api/inbox?pageSize=100");

        var mine = inbox.Items.Where(i => i.RequestId == request.Id).ToList();
        Assert.Equal([NoticeKind.Verified, NoticeKind.PointsEarned], mine.Select(i => i.Kind).Order());
        Assert.True(Assert.Single(mine, i => i.Kind == NoticeKind.PointsEarned).Amount > 0);
    }

    [Fact]
    public async Task Read_marks_change_the_unread_count_and_each_person_reads_only_their_own()
    {
        var volunteer = World.Volunteer("m1", 1);
        using var staff = await World.As("staff-t1");
        using var phone = await World.As(volunteer);
        using var neighbour = await World.As(World.Volunteer("m1", 2));
        foreach (var title in new[] { "Wish one", "Wish two" })
        {
            var request = await staff.CreateRequest("m1", title: title);
            await staff.PostOk<RequestView>($"/api/requests/{request.Id}/dispatch", new { volunteer });
        }

        var inbox = await phone.GetOk<InboxPage>("/api/inbox?unread=true");
        Assert.True(inbox.Unread >= 2);
        var newest = inbox.Items[0];

        var read = await phone.PostOk<InboxItem>($"/api/inbox/{newest.Id}/read");
        Assert.True(read.Read);
        var again = await phone.PostOk<InboxItem>($"/api/inbox/{newest.Id}/read");
        Assert.Equal(read.ReadAt, again.ReadAt);
        Assert.Equal(inbox.Unread - 1, (await phone.GetOk<InboxPage>("/api/inbox")).Unread);
        Assert.DoesNotContain((await phone.GetOk<InboxPage>("/api/inbox?unread=true&pageSize=100")).Items, i => i.Id == newest.Id);
        Assert.DoesNotContain((await neighbour.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items, i => i.Key == newest.Key);

        var all = await phone.PostOk<InboxReadAll>("/api/inbox/read-all");
        Assert.Equal((inbox.Unread - 1, 0), (all.Marked, all.Unread));
        Assert.Equal(0, (await phone.GetOk<InboxPage>("/api/inbox")).Unread);
        Assert.Equal(0, (await phone.PostOk<InboxReadAll>("/api/inbox/read-all")).Marked);
    }

    [Fact]
    public async Task Pages_follow_page_and_pageSize()
    {
        var volunteer = World.Volunteer("m3", 1);
        using var staff = await World.As("staff-m3");
        using var phone = await World.As(volunteer);
        for (var i = 0; i < 3; i++)
        {
            var request = await staff.CreateRequest("m3", title: $"Paged wish {i}");
            await staff.PostOk<RequestView>($"/api/requests/{request.Id}/dispatch", new { volunteer });
        }

        var all = await phone.GetOk<InboxPage>("/api/inbox?pageSize=100");
        var second = await phone.GetOk<InboxPage>("/api/inbox?page=2&pageSize=1");

        Assert.Equal((all.Total, 2, 1), (second.Total, second.Page, second.Items.Length));
        Assert.Equal(all.Items[1].Id, second.Items[0].Id);
        Assert.Empty((await phone.GetOk<InboxPage>($"/api/inbox?page={all.Total + 1}&pageSize=1")).Items);
    }

    [Fact]
    public async Task A_report_in_reaches_the_staff_of_its_community_by_name_never_by_phone()
    {
        using var staff = await World.As("staff-m3");
        using var anonymous = World.App.Anonymous();
        var phone = "13712345678";
        await DispatchClient.Expect(
            await anonymous.Post("/api/applications", new
            {
                kind = "person", communityId = "m3", name = "孙丽", phone, username = "applicant-notice", password = "password-for-notices-1",
                skills = new[] { "cooking" }, availability = Array.Empty<string>(), offers = Array.Empty<string>(),
            }),
            HttpStatusCode.Created);

        var inbox = await staff.GetOk<InboxPage>("/api/inbox?unread=true&pageSize=100");
        var raw = await (await staff.Get("/api/inbox?pageSize=100")).Content.ReadAsStringAsync();

        var notice = Assert.Single(inbox.Items, i => i.Kind == NoticeKind.ApplicationWaiting && i.By == "applicant-notice");
        Assert.Equal(("孙丽", "m3", (Guid?)null), (notice.Subject, notice.PlaceId, notice.RequestId));
        Assert.NotNull(notice.ApplicationId);
        Assert.DoesNotContain(phone, raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_in_reaches_the_staff_of_the_places_above_its_community_and_no_one_beside_it()
    {
        using var town = await World.As("staff-t1");
        using var otherCommunity = await World.As("staff-m3");
        using var anonymous = World.App.Anonymous();
        await DispatchClient.Expect(
            await anonymous.Post("/api/applications", new
            {
                kind = "person", communityId = "m2", name = "周敏", phone = "13712340002", username = "applicant-town-notice", password = "password-for-notices-1",
            }),
            HttpStatusCode.Created);

        // staff-t1 is placed at the town above m2: told live, as the community's staff are.
        var notice = Assert.Single((await town.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items, i => i.By == "applicant-town-notice");
        Assert.Equal((NoticeKind.ApplicationWaiting, "周敏", "m2"), (notice.Kind, notice.Subject, notice.PlaceId));
        Assert.DoesNotContain((await otherCommunity.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items, i => i.By == "applicant-town-notice");
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "/api/inbox?unread=maybe", "unread" },
        { "/api/inbox?page=0", "page" },
        { "/api/inbox?page=x", "page" },
        { "/api/inbox?pageSize=101", "pageSize" },
        { "/api/inbox?pageSize=0", "pageSize" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_paging_is_a_problem_naming_the_parameter(string path, string field)
    {
        using var phone = await World.As(World.Volunteer("m1", 1));

        var problem = await DispatchClient.Problem(await phone.Get(path), HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]!.AsObject().ContainsKey(field));
    }

    [Fact]
    public async Task An_unknown_or_malformed_notice_id_is_refused_and_nothing_changes()
    {
        using var phone = await World.As(World.Volunteer("m2", 2));
        var before = await phone.GetOk<InboxPage>("/api/inbox");

        var missing = await DispatchClient.Problem(await phone.Post("/api/inbox/999999/read"), HttpStatusCode.NotFound);
        var malformed = await DispatchClient.Problem(await phone.Post("/api/inbox/abc/read"), HttpStatusCode.BadRequest);

        Assert.Equal("notFound", missing["reason"]!.GetValue<string>());
        Assert.True(malformed["errors"]!.AsObject().ContainsKey("id"));
        Assert.Equal(before.Unread, (await phone.GetOk<InboxPage>("/api/inbox")).Unread);
    }

    [Fact]
    public async Task Without_a_token_the_inbox_is_closed()
    {
        using var anonymous = World.App.Anonymous();

        await DispatchClient.Expect(await anonymous.Get("/api/inbox"), HttpStatusCode.Unauthorized);
        await DispatchClient.Expect(await anonymous.Post("/api/inbox/read-all"), HttpStatusCode.Unauthorized);
    }
}
