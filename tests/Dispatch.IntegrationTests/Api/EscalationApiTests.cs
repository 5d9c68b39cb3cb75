using System.Net;
using System.Text.Json.Nodes;
using Dispatch.Escalation;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>Policies, deadlines, acknowledgement, handover and the overdue list through the API, on a fake Clock.</summary>
public sealed class EscalationApiTests() : ClockedWorld(DateTimeOffset.UtcNow)
{
    protected override async Task Seeded()
    {
        using var admin = await App.Admin();
        await DispatchClient.Expect(await admin.Put("/api/policies/errand/urgent", Policies.TwoSeconds), HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_urgent_request_left_unclaimed_climbs_and_the_first_to_acknowledge_owns_it()
    {
        using var staff = await World.As("staff-t1");
        var request = await CreateUrgentErrand(staff, "m1");
        Assert.Equal(TimeSpan.FromSeconds(2), request.Policy.ClaimWithin);
        var deadline = Assert.Single(request.Deadlines);
        Assert.Equal(DeadlineKind.Stage, deadline.Kind);
        Assert.Equal(request.CreatedAt + TimeSpan.FromSeconds(2), deadline.Due);

        Clock.Advance(TimeSpan.FromSeconds(2));
        var level1 = await Level(staff, request.Id, 1);
        Assert.Equal("t1", level1.EscalationPlaceId);
        Clock.Advance(TimeSpan.FromSeconds(2));
        var level2 = await Level(staff, request.Id, 2);
        Assert.Equal("c1", level2.EscalationPlaceId);
        Assert.Contains(level2.Deadlines, d => d.Kind == DeadlineKind.Escalation && d.Level == 3);

        // Issue #16, item 11: at the county's level the town's staff may no longer silence the alert.
        var below = await DispatchClient.Problem(await staff.Post($"/api/requests/{request.Id}/acknowledge"), HttpStatusCode.Forbidden);
        Assert.Equal("belowEscalationLevel", below["reason"]?.GetValue<string>());
        Assert.Contains(level2.Deadlines, d => d.Kind == DeadlineKind.Escalation);
        await World.Admin.CreateAccount("staff-c1", "staff", "c1");
        using var county = await World.As("staff-c1");

        var owned = await county.PostOk<RequestView>($"/api/requests/{request.Id}/acknowledge");
        Assert.Equal("staff-c1", owned.Owner);
        Assert.DoesNotContain(owned.Deadlines, d => d.Kind == DeadlineKind.Escalation);
        Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(2, (await staff.GetOk<RequestView>($"/api/requests/{request.Id}")).EscalationLevel);

        var history = await staff.GetOk<HistoryEntry[]>($"/api/requests/{request.Id}/history");
        Assert.Equal(2, history.Count(h => h.Action == RequestAction.Escalated));
        Assert.Contains(history, h => h.Action == RequestAction.Acknowledged && h.Actor == "staff-c1" && h.Note == "owner");
    }

    [Fact]
    public async Task The_overdue_list_shows_requests_at_or_below_a_place_inside_the_scope()
    {
        using var staff = await World.As("staff-t1");
        using var farStaff = await World.As("staff-m3");
        var inM1 = await CreateUrgentErrand(staff, "m1");
        var inM2 = await CreateUrgentErrand(staff, "m2");
        var notOverdue = await staff.CreateRequest("m1");
        Clock.Advance(TimeSpan.FromSeconds(2));
        await Level(staff, inM1.Id, 1);
        await Level(staff, inM2.Id, 1);

        var town = await Eventually.Get(
            () => staff.GetOk<JsonObject>("/api/places/t1/overdue"),
            o => o["items"]!.AsArray().Count(i => i!["id"]!.GetValue<Guid>() == inM1.Id || i!["id"]!.GetValue<Guid>() == inM2.Id) == 2);
        var ids = town["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToList();
        Assert.Contains(inM1.Id, ids);
        Assert.Contains(inM2.Id, ids);
        Assert.DoesNotContain(notOverdue.Id, ids);
        Assert.All(town["items"]!.AsArray(), i => Assert.True(i!["overdue"]!.GetValue<bool>()));

        var community = await staff.GetOk<JsonObject>("/api/places/m2/overdue");
        Assert.DoesNotContain(inM1.Id, community["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()));
        var counters = await Eventually.Get(() => staff.GetOk<JsonObject>("/api/communities/m2"), c => c["counters"]!["overdue"]!.GetValue<int>() >= 1);
        Assert.True(counters["counters"]!["overdue"]!.GetValue<int>() >= 1);

        await DispatchClient.Problem(await farStaff.Get("/api/places/t1/overdue"), HttpStatusCode.Forbidden);
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        await DispatchClient.Problem(await volunteer.Get("/api/places/m1/overdue"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Get("/api/places/nowhere/overdue"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_receivers_offered_are_exactly_the_staff_on_the_ladder_a_handover_accepts()
    {
        await World.Admin.CreateAccount("staff-m1", "staff", "m1");
        await World.Admin.CreateAccount("staff-c1", "staff", "c1");
        await World.Admin.CreateAccount("staff-t1b", "staff", "t1");
        await World.Admin.CreateAccount("staff-m2", "staff", "m2");
        await World.Admin.PostOk<JsonNode>("/api/accounts/staff-t1b/disable", new { reason = "Left the office" });
        using var town = await World.As("staff-t1");
        using var community = await World.As("staff-m1");
        var request = await CreateUrgentErrand(town, "m1");
        await community.PostOk<RequestView>($"/api/requests/{request.Id}/acknowledge");

        // A community officer is offered the town's and the county's staff above them, nearest
        // first; not themselves, not a disabled colleague, not the staff of a sister community or
        // of another town, nor the bootstrap admin, who is placed nowhere.
        var receivers = await community.GetOk<HandoverReceiver[]>($"/api/requests/{request.Id}/handover-receivers");
        Assert.Equal(["staff-t1", "staff-c1"], receivers.Select(r => r.Username));
        Assert.Equal(("t1", "Place t1"), (receivers[0].PlaceId, receivers[0].PlaceName));
        Assert.Equal(["staff-c1"], (await community.GetOk<HandoverReceiver[]>($"/api/requests/{request.Id}/handover-receivers?q=C1")).Select(r => r.Username));

        // Every one of them is accepted by the handover itself, and the disabled one is refused.
        foreach (var receiver in receivers)
        {
            Assert.Equal(receiver.Username, (await community.PostOk<RequestView>($"/api/requests/{request.Id}/handover", new { to = receiver.Username })).HandoverTo);
        }

        await AssertField(await community.Post($"/api/requests/{request.Id}/handover", new { to = "staff-t1b" }), "to");
        await AssertField(await community.Get($"/api/requests/{request.Id}/handover-receivers?q={new string('x', 65)}"), "q");
        using var outsider = await World.As("staff-m3");
        await DispatchClient.Problem(await outsider.Get($"/api/requests/{request.Id}/handover-receivers"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Ownership_is_handed_over_only_to_staff_in_scope_who_accept_it()
    {
        using var owner = await World.As("staff-t1");
        await World.Admin.CreateAccount("staff-m1", "staff", "m1");
        await World.Admin.CreateAccount("staff-t2", "staff", "t2");
        using var receiver = await World.As("staff-m1");
        var request = await CreateUrgentErrand(owner, "m1");
        await owner.PostOk<RequestView>($"/api/requests/{request.Id}/acknowledge");
        var supervised = await receiver.PostOk<RequestView>($"/api/requests/{request.Id}/acknowledge");
        Assert.Equal("staff-t1", supervised.Owner);
        Assert.Contains("staff-m1", supervised.Supervisors);

        await AssertField(await owner.Post($"/api/requests/{request.Id}/handover", new { to = "staff-t2" }), "to"); // Scope elsewhere.
        await AssertField(await owner.Post($"/api/requests/{request.Id}/handover", new { to = World.Volunteer("m1", 1) }), "to");
        await AssertField(await owner.Post($"/api/requests/{request.Id}/handover", new { to = "nobody-here" }), "to");
        await AssertField(await owner.Post($"/api/requests/{request.Id}/handover", new { }), "to");
        var notOwner = await DispatchClient.Problem(await receiver.Post($"/api/requests/{request.Id}/handover", new { to = "staff-t1" }), HttpStatusCode.Forbidden);
        Assert.Equal("notOwner", notOwner["reason"]!.GetValue<string>());

        var offered = await owner.PostOk<RequestView>($"/api/requests/{request.Id}/handover", new { to = "staff-m1" });
        Assert.Equal("staff-m1", offered.HandoverTo);
        Assert.Equal("staff-t1", offered.Owner);

        // The receiver is told in their inbox (issue #21: handovers to me), by the one who offered it.
        var told = await Eventually.Get(
            () => receiver.GetOk<InboxPage>("/api/inbox?pageSize=100"), p => p.Items.Any(i => i.Kind == NoticeKind.HandoverOffered && i.RequestId == request.Id));
        var notice = Assert.Single(told.Items, i => i.Kind == NoticeKind.HandoverOffered && i.RequestId == request.Id);
        Assert.Equal((request.Title, "staff-t1", false), (notice.Subject, notice.By, notice.Read));
        Assert.DoesNotContain((await owner.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items, i => i.Kind == NoticeKind.HandoverOffered);
        var notYours = await DispatchClient.Problem(await owner.Post($"/api/requests/{request.Id}/accept-handover"), HttpStatusCode.Forbidden);
        Assert.Equal("noHandover", notYours["reason"]!.GetValue<string>());

        var accepted = await receiver.PostOk<RequestView>($"/api/requests/{request.Id}/accept-handover");
        Assert.Equal("staff-m1", accepted.Owner);
        Assert.Contains("staff-t1", accepted.Supervisors);

        // A handover still pending when the request is cancelled can no longer be accepted.
        await receiver.PostOk<RequestView>($"/api/requests/{request.Id}/handover", new { to = "staff-t1" });
        await owner.PostOk<RequestView>($"/api/requests/{request.Id}/cancel", new { reason = "Settled" });
        var tooLate = await DispatchClient.Problem(await owner.Post($"/api/requests/{request.Id}/accept-handover"), HttpStatusCode.Conflict);
        Assert.Equal("invalidTransition", tooLate["reason"]!.GetValue<string>());
        Assert.Equal("staff-m1", (await owner.GetOk<RequestView>($"/api/requests/{request.Id}")).Owner);

        using var outsider = await World.As("staff-m3");
        await DispatchClient.Problem(await outsider.Post($"/api/requests/{request.Id}/acknowledge"), HttpStatusCode.Forbidden);
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        await DispatchClient.Problem(await volunteer.Post($"/api/requests/{request.Id}/acknowledge"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Policies_are_listed_and_changed_by_admins_only_and_apply_to_new_requests()
    {
        using var staff = await World.As("staff-t1");
        var policies = await staff.GetOk<PolicyEntry[]>("/api/policies");
        Assert.Equal(12, policies.Length);
        var changed = Assert.Single(policies, p => p.Kind == RequestKind.Errand && p.Urgency == Urgency.Urgent);
        Assert.Equal(TimeSpan.FromSeconds(2), changed.Policy.EscalateEvery);
        Assert.Equal("admin", changed.ChangedBy);
        var untouched = Assert.Single(policies, p => p.Kind == RequestKind.Wish && p.Urgency == Urgency.Normal);
        Assert.Equal(TimeSpan.FromDays(1), untouched.Policy.ClaimWithin);
        Assert.Null(untouched.ChangedBy);

        var before = await CreateUrgentErrand(staff, "m1");
        await DispatchClient.Expect(await World.Admin.Put("/api/policies/errand/urgent", new
        {
            claimWithin = "1.00:00:00",
            startWithin = "02:00:00",
            completeWithin = "3.00:00:00",
            verifyWithin = "1.00:00:00",
            escalateEvery = "12:00:00",
        }), HttpStatusCode.OK);
        var after = await CreateUrgentErrand(staff, "m1");
        Assert.Equal(TimeSpan.FromSeconds(2), (await staff.GetOk<RequestView>($"/api/requests/{before.Id}")).Policy.ClaimWithin);
        Assert.Equal(TimeSpan.FromDays(1), after.Policy.ClaimWithin);

        await DispatchClient.Problem(await staff.Put("/api/policies/errand/urgent", Policies.TwoSeconds), HttpStatusCode.Forbidden);
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        await DispatchClient.Problem(await volunteer.Get("/api/policies"), HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("/api/policies/party/urgent", """{"claimWithin":"00:00:02","startWithin":"00:00:02","completeWithin":"00:00:02","verifyWithin":"00:00:02","escalateEvery":"00:00:02"}""", "kind")]
    [InlineData("/api/policies/wish/soon", """{"claimWithin":"00:00:02","startWithin":"00:00:02","completeWithin":"00:00:02","verifyWithin":"00:00:02","escalateEvery":"00:00:02"}""", "urgency")]
    [InlineData("/api/policies/wish/urgent", """{"startWithin":"00:00:02","completeWithin":"00:00:02","verifyWithin":"00:00:02","escalateEvery":"00:00:02"}""", "claimWithin")]
    [InlineData("/api/policies/wish/urgent", """{"claimWithin":"two seconds","startWithin":"00:00:02","completeWithin":"00:00:02","verifyWithin":"00:00:02","escalateEvery":"00:00:02"}""", "claimWithin")]
    [InlineData("/api/policies/wish/urgent", """{"claimWithin":"00:00:00.5","startWithin":"00:00:02","completeWithin":"00:00:02","verifyWithin":"00:00:02","escalateEvery":"00:00:02"}""", "claimWithin")]
    [InlineData("/api/policies/wish/urgent", """{"claimWithin":"00:00:02","startWithin":"400.00:00:00","completeWithin":"00:00:02","verifyWithin":"00:00:02","escalateEvery":"00:00:02"}""", "startWithin")]
    [InlineData("/api/policies/wish/urgent", """{"claimWithin":"00:00:02","startWithin":"00:00:02","completeWithin":"00:00:02","verifyWithin":"00:00:02","escalateEvery":"-00:00:02"}""", "escalateEvery")]
    public async Task A_bad_policy_is_refused_naming_the_field_and_changes_nothing(string path, string json, string field)
    {
        var problem = await DispatchClient.Problem(
            await World.Admin.Http.PutAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
        var policies = await World.Admin.GetOk<PolicyEntry[]>("/api/policies");
        Assert.Null(Assert.Single(policies, p => p.Kind == RequestKind.Wish && p.Urgency == Urgency.Urgent).ChangedBy);
    }

    private static async Task<RequestView> CreateUrgentErrand(DispatchClient staff, string community) =>
        await staff.PostOk<RequestView>(
            "/api/requests",
            new { communityId = community, kind = "errand", title = "Book a clinic visit", urgency = "urgent", beneficiary = new { name = "Old Zhang" } },
            HttpStatusCode.Created);

    private static async Task<RequestView> Level(DispatchClient client, Guid id, int level) =>
        await Eventually.Get(() => client.GetOk<RequestView>($"/api/requests/{id}"), r => r.EscalationLevel >= level);

    private static async Task AssertField(HttpResponseMessage response, string field)
    {
        var problem = await DispatchClient.Problem(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
    }
}
