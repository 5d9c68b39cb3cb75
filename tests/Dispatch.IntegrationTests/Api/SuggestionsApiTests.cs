using System.Net;
using System.Text.Json.Nodes;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.IntegrationTests.Support;
using Dispatch.Notifications;
using Dispatch.Suggestions;
using Dispatch.WebHost.Suggestions;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Representatives' suggestions handed over to departments (集中交办) through the API, on a fake
/// clock: vol-m1-1 is a deputy of the people's congress, vol-m3-1 a CPPCC member; "housing" and
/// "hospital" are departments, each with one account of its own.
/// </summary>
public sealed class SuggestionsApiTests() : ClockedWorld(new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero))
{
    private const string November = "from=2026-11-01&to=2026-12-01";

    protected override async Task Seeded()
    {
        var admin = World.Admin;
        await DispatchClient.Expect(await admin.Put("/api/policies/case/normal", Policies.TwoSeconds), HttpStatusCode.OK);
        await admin.PostOk<JsonObject>("/api/organisations", new { id = "housing", name = "住房保障中心", communityIds = new[] { "m1" }, kind = "department" }, HttpStatusCode.Created);
        await admin.PostOk<JsonObject>("/api/organisations", new { id = "hospital", name = "县人民医院", communityIds = new[] { "m3" }, kind = "department" }, HttpStatusCode.Created);
        await admin.PostOk<JsonObject>("/api/organisations", new { id = "bank", name = "县农商银行", communityIds = new[] { "m1" } }, HttpStatusCode.Created);
        foreach (var (username, department) in new[] { ("housing-li", "housing"), ("hospital-wu", "hospital") })
        {
            await admin.CreateAccount(username, "staff", "c1");
            var assigned = await Put<AccountView>(admin, $"/api/accounts/{username}/department", new { departmentId = department });
            Assert.Equal((AccountRole.Department, department), (assigned.Role, assigned.DepartmentId));
        }

        Assert.Equal(RepresentativeTitle.PeoplesCongress, (await Put<AccountView>(admin, "/api/accounts/vol-m1-1/representative", new { title = "peoplesCongress" })).Representative);
        Assert.Equal(RepresentativeTitle.Cppcc, (await Put<AccountView>(admin, "/api/accounts/vol-m3-1/representative", new { title = "cppcc" })).Representative);
    }

    [Fact]
    public async Task A_suggestion_is_filed_handed_over_answered_in_time_and_rated_and_the_figures_follow()
    {
        using var deputy = await World.As("vol-m1-1");
        using var staff = await World.As("staff-t1");
        using var housing = await World.As("housing-li");
        var lift = await File(deputy, "加装电梯", "m1");
        Assert.Equal((SuggestionStatus.Filed, RepresentativeTitle.PeoplesCongress, "vol-m1-1"), (lift.Status, lift.AuthorTitle, lift.Author));
        Assert.Equal(["r1", "c1", "t1", "m1"], lift.PlacePath.ToArray());

        var listed = await Eventually.Get(() => staff.GetOk<SuggestionView[]>("/api/suggestions?status=filed"), l => l.Length == 1);
        Assert.Equal(lift.Id, Assert.Single(listed).Id);

        var handover = await staff.PostOk<SuggestionHandoverResult>("/api/suggestions/handovers", new { departmentId = "housing", suggestionIds = new[] { lift.Id }, deadline = Clock.GetUtcNow().AddDays(10) });
        var handed = Assert.Single(handover.Suggestions);
        Assert.Equal((SuggestionStatus.HandedOver, "housing", "staff-t1"), (handed.Status, handed.DepartmentId, handed.HandedOverBy));

        var queue = await Eventually.Get(() => housing.GetOk<SuggestionView[]>("/api/departments/housing/suggestions"), q => q.Length == 1);
        Assert.Equal(lift.Id, Assert.Single(queue).Id);

        Clock.Advance(TimeSpan.FromMinutes(5));
        var answered = await housing.PostOk<SuggestionView>($"/api/suggestions/{lift.Id}/answer", new { answer = "已列入明年老旧小区改造计划。" });
        Assert.True(answered.AnsweredOnTime);
        Assert.Equal(0, answered.Level);

        var rated = await deputy.PostOk<SuggestionView>($"/api/suggestions/{lift.Id}/rating", new { rating = "satisfied" });
        Assert.Equal(SuggestionRating.Satisfied, rated.Rating);
        var again = await DispatchClient.Problem(await deputy.Post($"/api/suggestions/{lift.Id}/rating", new { rating = "dissatisfied" }), HttpStatusCode.Conflict);
        Assert.Equal("alreadyRated", again["reason"]?.GetValue<string>());

        var history = await deputy.GetOk<SuggestionEvent[]>($"/api/suggestions/{lift.Id}/history");
        Assert.Equal([SuggestionAction.Filed, SuggestionAction.HandedOver, SuggestionAction.Answered, SuggestionAction.Rated], history.Select(h => h.Action));

        var stats = await Eventually.Get(() => staff.GetOk<SuggestionStatisticsView>($"/api/suggestions/stats?placeId=t1&{November}"), s => s.Departments.Any(d => d.Rated == 1));
        var line = Assert.Single(stats.Departments);
        Assert.Equal(("housing", "住房保障中心", 1, 1, 1, 0, 1, 1.0), (line.DepartmentId, line.DepartmentName, line.HandedOver, line.Answered, line.AnsweredOnTime, line.Escalated, line.Satisfied, line.Satisfaction));
        var october = await staff.GetOk<SuggestionStatisticsView>("/api/suggestions/stats?placeId=t1&from=2026-10-01&to=2026-11-01");
        Assert.Empty(october.Departments);
    }

    [Fact]
    public async Task A_handover_reaches_the_departments_inbox_an_answer_the_representatives_and_nobody_reads_anothers()
    {
        using var deputy = await World.As("vol-m1-1");
        using var staff = await World.As("staff-t1");
        using var housing = await World.As("housing-li");
        using var hospital = await World.As("hospital-wu");
        var parking = await File(deputy, "增设非机动车充电桩", "m1");
        var deadline = Clock.GetUtcNow().AddDays(10);

        await staff.PostOk<SuggestionHandoverResult>("/api/suggestions/handovers", new { departmentId = "housing", suggestionIds = new[] { parking.Id }, deadline });

        var inbox = await housing.GetOk<InboxPage>("/api/inbox");
        var assigned = Assert.Single(inbox.Items, i => i.SuggestionId == parking.Id);
        Assert.Equal((NoticeKind.SuggestionAssigned, "增设非机动车充电桩", "staff-t1", false), (assigned.Kind, assigned.Subject, assigned.By, assigned.Read));
        Assert.Equal((deadline, (Guid?)null, "m1"), (assigned.Until, assigned.RequestId, assigned.PlaceId));
        Assert.True(inbox.Unread >= 1);
        var raw = await (await housing.Get("/api/inbox")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("居民反映强烈", raw, StringComparison.Ordinal);

        // The other department, and the author until it is answered, are told nothing; a notice of another's is not found.
        Assert.DoesNotContain((await hospital.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items, i => i.SuggestionId == parking.Id);
        Assert.DoesNotContain((await deputy.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items, i => i.SuggestionId == parking.Id);
        await Refused(hospital.Post($"/api/inbox/{assigned.Id}/read", new { }), HttpStatusCode.NotFound, "notFound");

        var read = await housing.PostOk<InboxItem>($"/api/inbox/{assigned.Id}/read");
        Assert.True(read.Read);

        Clock.Advance(TimeSpan.FromMinutes(5));
        await housing.PostOk<SuggestionView>($"/api/suggestions/{parking.Id}/answer", new { answer = "已在小区东门增设充电桩二十个。" });

        var answered = Assert.Single((await deputy.GetOk<InboxPage>("/api/inbox?unread=true")).Items, i => i.SuggestionId == parking.Id);
        Assert.Equal((NoticeKind.SuggestionAnswered, "增设非机动车充电桩", "housing-li"), (answered.Kind, answered.Subject, answered.By));
        Assert.DoesNotContain("充电桩二十个", await (await deputy.Get("/api/inbox")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single((await housing.GetOk<InboxPage>("/api/inbox?pageSize=100")).Items, i => i.SuggestionId == parking.Id);
    }

    [Fact]
    public async Task Unanswered_past_the_deadline_it_climbs_the_hierarchy_as_a_case_does_and_a_late_answer_counts_late()
    {
        using var deputy = await World.As("vol-m1-1");
        using var staff = await World.As("staff-t1");
        using var housing = await World.As("housing-li");
        var lift = await File(deputy, "小区停车难", "m1");
        await staff.PostOk<SuggestionHandoverResult>("/api/suggestions/handovers", new { departmentId = "housing", suggestionIds = new[] { lift.Id }, deadline = Clock.GetUtcNow().AddSeconds(2) });

        Clock.Advance(TimeSpan.FromSeconds(2));
        var level1 = await Eventually.Get(() => staff.GetOk<SuggestionView>($"/api/suggestions/{lift.Id}"), s => s.Level == 1);
        Assert.Equal(1, level1.Level);
        Assert.True(level1.Overdue);

        var answered = await housing.PostOk<SuggestionView>($"/api/suggestions/{lift.Id}/answer", new { answer = "已协调周边单位错时开放停车位。" });
        Assert.False(answered.AnsweredOnTime);
        Assert.Equal(1, answered.Level);
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, (await staff.GetOk<SuggestionView>($"/api/suggestions/{lift.Id}")).Level);

        var history = await staff.GetOk<SuggestionEvent[]>($"/api/suggestions/{lift.Id}/history");
        var climb = Assert.Single(history, h => h.Action == SuggestionAction.Escalated);
        Assert.Equal((1, "t1"), (climb.Level, climb.PlaceId));

        var stats = await Eventually.Get(() => staff.GetOk<SuggestionStatisticsView>($"/api/suggestions/stats?placeId=m1&{November}"), s => s.Departments.Any(d => d.Answered == 1));
        var line = Assert.Single(stats.Departments);
        Assert.Equal((1, 1, 0, 1, 0), (line.HandedOver, line.Answered, line.AnsweredOnTime, line.Escalated, line.Rated));
        Assert.Null(line.Satisfaction);
    }

    [Fact]
    public async Task A_department_sees_only_its_queue_and_a_representative_only_their_own_suggestions()
    {
        using var deputy = await World.As("vol-m1-1");
        using var member = await World.As("vol-m3-1");
        using var staff = await World.As("staff-t1");
        using var farStaff = await World.As("staff-m3");
        using var housing = await World.As("housing-li");
        using var hospital = await World.As("hospital-wu");
        var lift = await File(deputy, "加装电梯", "m1");
        var clinic = await File(member, "社区卫生站延长开放时间", "m3");
        await staff.PostOk<SuggestionHandoverResult>("/api/suggestions/handovers", new { departmentId = "housing", suggestionIds = new[] { lift.Id }, deadline = Clock.GetUtcNow().AddDays(10) });

        // A representative: their own, nobody else's.
        Assert.Equal([clinic.Id], (await Eventually.Get(() => member.GetOk<SuggestionView[]>("/api/suggestions"), l => l.Length >= 1)).Select(s => s.Id));
        await Refused(member.Get($"/api/suggestions/{lift.Id}"), HttpStatusCode.Forbidden, "outOfScope");
        await Refused(member.Post($"/api/suggestions/{lift.Id}/rating", new { rating = "satisfied" }), HttpStatusCode.Forbidden, "outOfScope");

        // A department: its queue, never another's, and nothing outside suggestions.
        await Refused(hospital.Get("/api/departments/housing/suggestions"), HttpStatusCode.Forbidden, "outOfScope");
        await Refused(hospital.Get($"/api/suggestions/{lift.Id}"), HttpStatusCode.Forbidden, "outOfScope");
        await Refused(hospital.Post($"/api/suggestions/{lift.Id}/answer", new { answer = "不归我们管。" }), HttpStatusCode.Forbidden, "outOfScope");
        Assert.Empty(await hospital.GetOk<SuggestionView[]>("/api/departments/hospital/suggestions"));
        Assert.Equal(HttpStatusCode.Forbidden, (await housing.Get("/api/places/m1/requests")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await housing.Get("/api/suggestions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await housing.Post("/api/suggestions/handovers", new { departmentId = "housing", suggestionIds = new[] { clinic.Id }, deadline = Clock.GetUtcNow().AddDays(1) })).StatusCode);
        Assert.Equal(lift.Id, Assert.Single(await housing.GetOk<SuggestionView[]>("/api/departments/housing/suggestions")).Id);

        // Staff: the places in their scope; only the department answers.
        Assert.Equal([clinic.Id], (await Eventually.Get(() => farStaff.GetOk<SuggestionView[]>("/api/suggestions"), l => l.Length >= 1)).Select(s => s.Id));
        await Refused(farStaff.Get("/api/departments/housing/suggestions"), HttpStatusCode.Forbidden, "outOfScope");
        Assert.Equal([lift.Id], (await staff.GetOk<SuggestionView[]>("/api/departments/housing/suggestions")).Select(s => s.Id));
        await Refused(staff.Post($"/api/suggestions/{lift.Id}/answer", new { answer = "代答。" }), HttpStatusCode.Forbidden, "notDepartment");

        // A batch with one suggestion outside the scope is refused whole: nothing changes.
        var second = await File(deputy, "增设垃圾分类点", "m1");
        await Refused(
            farStaff.Post("/api/suggestions/handovers", new { departmentId = "hospital", suggestionIds = new[] { clinic.Id, second.Id }, deadline = Clock.GetUtcNow().AddDays(1) }),
            HttpStatusCode.Forbidden, "outOfScope");
        Assert.Equal(SuggestionStatus.Filed, (await member.GetOk<SuggestionView>($"/api/suggestions/{clinic.Id}")).Status);
        await Refused(
            staff.Post("/api/suggestions/handovers", new { departmentId = "hospital", suggestionIds = new[] { second.Id, lift.Id }, deadline = Clock.GetUtcNow().AddDays(1) }),
            HttpStatusCode.Conflict, "alreadyHandedOver");
        Assert.Equal(SuggestionStatus.Filed, (await deputy.GetOk<SuggestionView>($"/api/suggestions/{second.Id}")).Status);
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_field_and_only_representatives_file()
    {
        using var deputy = await World.As("vol-m1-1");
        using var plain = await World.As("vol-m1-2");
        using var staff = await World.As("staff-t1");

        await Refused(plain.Post("/api/suggestions", new { title = "T", content = "C", placeId = "m1" }), HttpStatusCode.Forbidden, "notRepresentative");
        await Field(deputy.Post("/api/suggestions", new { title = "", content = "C", placeId = "m1" }), "title");
        await Field(deputy.Post("/api/suggestions", new { title = "T", content = "C", placeId = "nowhere" }), "placeId");
        await Field(staff.Post("/api/suggestions/handovers", new { departmentId = "housing", suggestionIds = Array.Empty<string>(), deadline = Clock.GetUtcNow().AddDays(1) }), "suggestionIds");
        await Field(staff.Post("/api/suggestions/handovers", new { departmentId = "housing", suggestionIds = new[] { "x" } }), "deadline");
        await Field(staff.Post("/api/suggestions/handovers", new { departmentId = "housing", suggestionIds = new[] { "x" }, deadline = Clock.GetUtcNow().AddDays(-1) }), "deadline");
        await Field(staff.Post("/api/suggestions/handovers", new { departmentId = "bank", suggestionIds = new[] { "x" }, deadline = Clock.GetUtcNow().AddDays(1) }), "departmentId");
        await Field(staff.Get("/api/suggestions/stats?placeId=t1"), "from");
        await Field(World.Admin.Put("/api/accounts/vol-m1-2/department", new { departmentId = "bank" }), "departmentId");
        await Field(World.Admin.Put("/api/accounts/vol-m1-2/role", new { role = "department", placeId = "m1" }), "role");
        await Field(World.Admin.Post("/api/accounts", new { username = "dept-walk", password = "Walk-the-scope-42!", displayName = "Walked", role = "department", placeId = "m1" }), "role");
        await Field(deputy.Post($"/api/suggestions/{new string('a', 32)}/rating", new { rating = "great" }), "rating");
        await Refused(deputy.Get($"/api/suggestions/{new string('a', 32)}"), HttpStatusCode.NotFound, "notFound");
        await Refused(staff.Get("/api/suggestions/stats?placeId=m3&" + November), HttpStatusCode.Forbidden, "outOfScope");
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.Put("/api/accounts/vol-m1-2/representative", new { title = "cppcc" })).StatusCode);
    }

    private static async Task<SuggestionView> File(DispatchClient representative, string title, string placeId) =>
        await representative.PostOk<SuggestionView>("/api/suggestions", new { kind = "suggestion", title, content = $"{title}：居民反映强烈，建议尽快解决。", placeId }, HttpStatusCode.Created);

    private static async Task<T> Put<T>(DispatchClient client, string path, object body)
    {
        var response = await client.Put(path, body);
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<T>(response.Content, DispatchClient.Json))!;
    }

    private static async Task Refused(Task<HttpResponseMessage> call, HttpStatusCode status, string reason)
    {
        var problem = await DispatchClient.Problem(await call, status);
        Assert.Equal(reason, problem["reason"]?.GetValue<string>());
    }

    private static async Task Field(Task<HttpResponseMessage> call, string field)
    {
        var problem = await DispatchClient.Problem(await call, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]?[field]);
    }
}
