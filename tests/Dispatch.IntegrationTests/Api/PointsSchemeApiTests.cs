using System.Net;
using System.Net.Http.Json;
using Dispatch.Activities;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;
using Dispatch.Requests;
using Dispatch.Schemes;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Points schemes through the API, on a fake Clock (20 November 2026): a county sets, a town and
/// its communities inherit, a community overrides within the county's limits; versions; standing
/// roles and their monthly run; attendance and requests earning under the scheme.
/// </summary>
public sealed class PointsSchemeApiTests() : ClockedWorld(new DateTimeOffset(2026, 11, 20, 1, 0, 0, TimeSpan.Zero), volunteersPerCommunity: 3)
{
    protected override async Task Seeded()
    {
        await World.Admin.CreateAccount("staff-c1", "staff", "c1");
        await World.Admin.CreateAccount("staff-m1", "staff", "m1");
    }

    [Fact]
    public async Task A_county_sets_a_scheme_its_communities_inherit_and_a_community_overrides_within_the_limit()
    {
        using var county = await World.As("staff-c1");
        using var community = await World.As("staff-m1");
        using var volunteer = await World.As("vol-m1-1");

        var set = await Put<PointsSchemeVersion>(county, "/api/places/c1/points-scheme", new
        {
            effectiveFrom = "2026-11-01",
            rules = new object[]
            {
                new { rule = "activity.attend", points = 10, cap = 40, period = "month", maxPoints = 15 },
                new { rule = "role.楼栋长", points = 30 },
            },
        });
        Assert.Equal(("c1", 1, new DateOnly(2026, 11, 1), "staff-c1"), (set.PlaceId, set.Version, set.EffectiveFrom, set.SetBy));

        var above = await DispatchClient.Problem(await community.Put("/api/places/m1/points-scheme", new { rules = new[] { new { rule = "activity.attend", points = 16 } } }), HttpStatusCode.BadRequest);
        Assert.NotNull(above["errors"]?["rules[0].points"]);
        var notAbove = await DispatchClient.Problem(await community.Put("/api/places/m1/points-scheme", new { rules = new[] { new { rule = "rating.high", points = 5 } } }), HttpStatusCode.BadRequest);
        Assert.NotNull(notAbove["errors"]?["rules[0].rule"]);
        Assert.Empty((await community.GetOk<PointsSchemeView>("/api/places/m1/points-scheme")).Versions);

        var overridden = await Put<PointsSchemeVersion>(community, "/api/places/m1/points-scheme", new { rules = new[] { new { rule = "activity.attend", points = 15 } } });
        Assert.Equal((1, new DateOnly(2026, 11, 20)), (overridden.Version, overridden.EffectiveFrom));

        var m1 = await volunteer.GetOk<PointsSchemeView>("/api/places/m1/points-scheme");
        var m2 = await World.Admin.GetOk<PointsSchemeView>("/api/places/m2/points-scheme");
        Assert.Equal(
            [("activity.attend", 15, (int?)40, "m1", 1), ("role.楼栋长", 30, null, "c1", 1)],
            m1.Effective.Select(r => (r.Rule, r.Points, r.Cap, r.SchemePlaceId, r.SchemeVersion)));
        Assert.Equal(10, m2.Effective.Single(r => r.Rule == "activity.attend").Points);
        Assert.Equal(2, (await county.GetOk<PointsSchemeView>("/api/places/t1/points-scheme")).Effective.Length);
    }

    [Fact]
    public async Task A_new_version_applies_from_its_date_and_the_old_one_still_answers_for_the_days_before()
    {
        using var county = await World.As("staff-c1");
        await Put<PointsSchemeVersion>(county, "/api/places/c1/points-scheme", new { effectiveFrom = "2026-11-01", rules = new[] { new { rule = "activity.attend", points = 10 } } });
        await Put<PointsSchemeVersion>(county, "/api/places/c1/points-scheme", new { effectiveFrom = "2026-12-01", rules = new[] { new { rule = "activity.attend", points = 12 } } });

        var november = await county.GetOk<PointsSchemeView>("/api/places/m1/points-scheme?on=2026-11-30");
        var december = await county.GetOk<PointsSchemeView>("/api/places/c1/points-scheme?on=2026-12-01");

        Assert.Equal((10, 1), (november.Effective.Single().Points, november.Effective.Single().SchemeVersion));
        Assert.Equal((12, 2), (december.Effective.Single().Points, december.Effective.Single().SchemeVersion));
        Assert.Equal([2, 1], december.Versions.Select(v => v.Version));
        var earlier = await DispatchClient.Problem(await county.Put("/api/places/c1/points-scheme", new { effectiveFrom = "2026-11-15", rules = Array.Empty<object>() }), HttpStatusCode.BadRequest);
        Assert.NotNull(earlier["errors"]?["effectiveFrom"]);
    }

    [Fact]
    public async Task Volunteers_and_staff_out_of_scope_cannot_set_a_scheme_and_nothing_changes()
    {
        using var volunteer = await World.As("vol-m1-1");
        using var far = await World.As("staff-m3");
        using var town = await World.As("staff-t1");
        var body = new { rules = new[] { new { rule = "activity.attend", points = 10 } } };

        Assert.Equal("roleNotAllowed", await Reason(volunteer.Put("/api/places/m1/points-scheme", body), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(far.Put("/api/places/c1/points-scheme", body), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(town.Put("/api/places/c1/points-scheme", body), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(far.Get("/api/places/m1/points-scheme"), HttpStatusCode.Forbidden));
        Assert.Equal("outOfScope", await Reason(volunteer.Get("/api/places/m3/points-scheme"), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(town.Get("/api/places/nowhere/points-scheme"), HttpStatusCode.NotFound));
        Assert.Empty((await World.Admin.GetOk<PointsSchemeView>("/api/places/c1/points-scheme")).Versions);

        // A town sets its own, within its scope.
        Assert.Equal("t1", (await Put<PointsSchemeVersion>(town, "/api/places/t1/points-scheme", body)).PlaceId);
    }

    public static TheoryData<string, string> BadSchemes => new()
    {
        { """{"rules":[{"rule":"activity.nap","points":1}]}""", "rules[0].rule" },
        { """{"rules":[{"points":1}]}""", "rules[0].rule" },
        { """{"rules":[{"rule":"activity.attend"}]}""", "rules[0].points" },
        { """{"rules":[{"rule":"activity.attend","points":-1}]}""", "rules[0].points" },
        { """{"rules":[{"rule":"activity.attend","points":"ten"}]}""", "rules[0].points" },
        { """{"rules":[{"rule":"activity.attend","points":1,"cap":0}]}""", "rules[0].cap" },
        { """{"rules":[{"rule":"activity.attend","points":1,"period":"week"}]}""", "rules[0].period" },
        { """{"rules":[{"rule":"activity.attend","points":5,"maxPoints":4}]}""", "rules[0].maxPoints" },
        { """{"rules":[{"rule":"rating.high","points":1},{"rule":"rating.high","points":2}]}""", "rules[1].rule" },
        { """{"rules":[null]}""", "rules[0]" },
        { """{"effectiveFrom":"1st of May","rules":[]}""", "effectiveFrom" },
        { """{"effectiveFrom":"2026-11-01"}""", "rules" },
        { """[1,2,3]""", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(BadSchemes))]
    public async Task A_bad_scheme_is_refused_naming_the_field_and_stores_nothing(string json, string field)
    {
        using var county = await World.As("staff-c1");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/places/c1/points-scheme") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };

        var problem = await DispatchClient.Problem(await county.Http.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
        Assert.Empty((await county.GetOk<PointsSchemeView>("/api/places/c1/points-scheme")).Versions);
    }

    [Theory]
    [InlineData("r1")]
    [InlineData("1 May")]
    public async Task A_region_has_no_scheme_and_a_bad_day_is_named(string input)
    {
        var problem = input == "r1"
            ? await DispatchClient.Problem(await World.Admin.Put("/api/places/r1/points-scheme", new { rules = Array.Empty<object>() }), HttpStatusCode.BadRequest)
            : await DispatchClient.Problem(await World.Admin.Get($"/api/places/c1/points-scheme?on={Uri.EscapeDataString(input)}"), HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]?[input == "r1" ? "id" : "on"]);
    }

    [Fact]
    public async Task The_monthly_run_posts_each_standing_role_once_however_often_it_runs_naming_the_rule_and_version()
    {
        using var county = await World.As("staff-c1");
        using var staff = await World.As("staff-m1");
        await Put<PointsSchemeVersion>(county, "/api/places/c1/points-scheme", new { effectiveFrom = "2026-10-01", rules = new[] { new { rule = "role.楼栋长", points = 30 } } });
        var given = await staff.PostOk<StandingRole>("/api/places/m1/points/standing-roles", new { username = "vol-m1-1", role = "楼栋长", from = "2026-10-15" }, HttpStatusCode.Created);
        await staff.PostOk<StandingRole>("/api/places/m1/points/standing-roles", new { username = "vol-m1-2", role = "业委会委员", from = "2026-10-01" }, HttpStatusCode.Created);
        Assert.Equal(("vol-m1-1", "楼栋长", new DateOnly(2026, 10, 15), (DateOnly?)null), (given.Username, given.Role, given.From, given.To));
        Assert.Equal("roleAlreadyHeld", await Reason(staff.Post("/api/places/m1/points/standing-roles", new { username = "vol-m1-1", role = "楼栋长" }), HttpStatusCode.Conflict));

        var first = await staff.PostOk<StandingRoleRun>("/api/places/m1/points/standing-roles/run", new { month = "2026-10" });
        var second = await staff.PostOk<StandingRoleRun>("/api/places/m1/points/standing-roles/run", new { month = "2026-10" });
        var november = await staff.PostOk<StandingRoleRun>("/api/places/m1/points/standing-roles/run", new { month = "2026-11" });

        Assert.Equal([("vol-m1-1", "楼栋长", 30)], first.Postings.Select(p => (p.Username, p.Role, p.Points)));
        Assert.Equal(["vol-m1-2"], first.Unpaid.Select(r => r.Username));
        Assert.Equal(first.Postings.Single().Seq, second.Postings.Single().Seq);
        var statement = await staff.GetOk<PointsStatement>("/api/volunteers/vol-m1-1/points");
        Assert.Equal((60, 2), (statement.Balance, statement.TotalEntries));
        var october = statement.Entries.Single(e => e.Key == "role:m1:2026-10:vol-m1-1:楼栋长");
        Assert.Equal(("role.楼栋长", (int?)1, "c1", PostingKind.Earning), (october.Rule, october.SchemeVersion, october.SchemePlaceId, october.Kind));
        Assert.Single(november.Postings);

        // Ended: stays on record, paid for the months it was held, not after.
        var ended = await staff.PostOk<StandingRole>("/api/places/m1/points/standing-roles/end", new { username = "vol-m1-1", role = "楼栋长", on = "2026-11-05" });
        Assert.Equal(new DateOnly(2026, 11, 5), ended.To);
        Assert.Equal(2, (await staff.GetOk<StandingRolesView>("/api/places/m1/points/standing-roles")).Roles.Length);
        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero));
        await DispatchClient.Expect(await staff.Refresh(), HttpStatusCode.OK);
        Assert.Empty((await staff.PostOk<StandingRoleRun>("/api/places/m1/points/standing-roles/run", new { month = "2026-12" })).Postings);
    }

    [Fact]
    public async Task Standing_roles_refuse_bad_input_other_communities_and_volunteers()
    {
        using var staff = await World.As("staff-m1");
        using var town = await World.As("staff-t1");
        using var volunteer = await World.As("vol-m1-1");

        Assert.NotNull((await DispatchClient.Problem(await staff.Post("/api/places/m1/points/standing-roles/run", new { month = "2026-12" }), HttpStatusCode.BadRequest))["errors"]?["month"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post("/api/places/m1/points/standing-roles/run", new { month = "November" }), HttpStatusCode.BadRequest))["errors"]?["month"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post("/api/places/m1/points/standing-roles", new { username = "vol-m1-1", role = "" }), HttpStatusCode.BadRequest))["errors"]?["role"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Post("/api/places/m1/points/standing-roles", new { role = "楼栋长" }), HttpStatusCode.BadRequest))["errors"]?["username"]);
        Assert.NotNull((await DispatchClient.Problem(await town.Post("/api/places/m1/points/standing-roles", new { username = "vol-m2-1", role = "楼栋长" }), HttpStatusCode.BadRequest))["errors"]?["username"]);
        Assert.Equal("outOfScope", await Reason(staff.Post("/api/places/m2/points/standing-roles", new { username = "vol-m2-1", role = "楼栋长" }), HttpStatusCode.Forbidden));
        Assert.Equal("roleNotAllowed", await Reason(volunteer.Post("/api/places/m1/points/standing-roles/run", new { month = "2026-11" }), HttpStatusCode.Forbidden));
        Assert.Equal("notFound", await Reason(town.Post("/api/places/t1/points/standing-roles/run", new { month = "2026-11" }), HttpStatusCode.NotFound));
        Assert.Equal("notFound", await Reason(staff.Post("/api/places/m1/points/standing-roles/end", new { username = "vol-m1-1", role = "楼栋长" }), HttpStatusCode.NotFound));
        Assert.Empty((await staff.GetOk<StandingRolesView>("/api/places/m1/points/standing-roles")).Roles);
    }

    [Fact]
    public async Task Attendance_earns_the_schemes_points_naming_the_rule_and_a_request_is_worth_its_rule()
    {
        using var county = await World.As("staff-c1");
        using var staff = await World.As("staff-t1");
        using var organiser = await World.As("vol-m1-1");
        using var wang = await World.As("vol-m1-2");
        await Put<PointsSchemeVersion>(county, "/api/places/c1/points-scheme", new
        {
            effectiveFrom = "2026-11-01",
            rules = new object[] { new { rule = "activity.attend", points = 8 }, new { rule = "request.wish.normal", points = 12 } },
        });

        var wish = await staff.CreateRequest("m1");
        Assert.Equal(12, wish.Award);
        var errand = await staff.CreateRequest("m1", kind: "errand");
        Assert.Equal(10, errand.Award);

        var start = Clock.GetUtcNow().AddHours(2);
        var activity = await staff.PostOk<ActivityView>("/api/activities", new
        {
            communityId = "m1",
            title = "Free clinic",
            description = "Blood pressure checks.",
            categories = new[] { "health" },
            places = 2,
            points = 5,
            startsAt = start,
            endsAt = start.AddHours(2),
            venue = "Community hall",
            organiser = "vol-m1-1",
        }, HttpStatusCode.Created);
        await wang.PostOk<ActivityView>($"/api/activities/{activity.Id}/signup");
        Clock.SetUtcNow(start.AddMinutes(5));
        await Refresh(staff, organiser, wang);
        var code = await organiser.GetOk<CheckInCodeView>($"/api/activities/{activity.Id}/check-in-code");
        await wang.PostOk<ActivityView>($"/api/activities/{activity.Id}/check-in", new { code = code.Code });
        Clock.SetUtcNow(start.AddHours(3));
        await Refresh(staff, wang);
        await staff.GetOk<AttendanceList>($"/api/activities/{activity.Id}/attendance");

        var entry = (await wang.GetOk<PointsStatement>("/api/volunteers/vol-m1-2/points")).Entries.Single(e => e.Key == $"activity:{activity.Id}");
        Assert.Equal((8, "activity.attend", (int?)1, "c1", (DateTimeOffset?)start), (entry.Change, entry.Rule, entry.SchemeVersion, entry.SchemePlaceId, entry.EarnedAt));
    }

    [Fact]
    public async Task A_verified_wish_earns_under_its_rule_and_version_a_new_version_rewrites_nothing_and_five_stars_earn_the_bonus_once()
    {
        using var county = await World.As("staff-c1");
        using var staff = await World.As("staff-m1");
        using var li = await World.As("vol-m1-1");
        await Put<PointsSchemeVersion>(county, "/api/places/c1/points-scheme", new
        {
            effectiveFrom = "2026-11-01",
            rules = new object[] { new { rule = "request.wish.normal", points = 12 }, new { rule = "rating.high", points = 5 } },
        });
        var wish = await staff.CreateRequest("m1");
        await DoTheWork(li, wish.Id);
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5 });
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5 });

        var first = await Entries(li, wish.Id);
        var earned = first.Single(e => e.Kind == PostingKind.Earning && e.Rule == "request.wish.normal");
        var bonus = first.Single(e => e.Rule == "rating.high");
        Assert.Equal((12, (int?)1, "c1"), (earned.Change, earned.SchemeVersion, earned.SchemePlaceId));
        Assert.Equal(($"rating:{wish.Id}:vol-m1-1", 5, (int?)1, "c1"), (bonus.Key, bonus.Change, bonus.SchemeVersion, bonus.SchemePlaceId));
        Assert.Equal(2, first.Length);

        // A new version pays more from today: what was posted stays, and the wish keeps the rule it was published under.
        await Put<PointsSchemeVersion>(county, "/api/places/c1/points-scheme", new
        {
            effectiveFrom = "2026-11-20",
            rules = new object[] { new { rule = "request.wish.normal", points = 20 }, new { rule = "rating.high", points = 7 } },
        });
        Assert.Equal(earned, (await Entries(li, wish.Id)).Single(e => e.Key == earned.Key));

        // Overturned and verified again with five stars: the earnings are taken back and credited anew, the bonus stays posted once.
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = false, comment = "The cup never arrived" });
        await li.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "Delivered again" });
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5 });

        var after = await Entries(li, wish.Id);
        Assert.Equal(
            [(PostingKind.Earning, 12, "request.wish.normal", 1), (PostingKind.Earning, 5, "rating.high", 1), (PostingKind.Reversal, -12, "request.wish.normal", 1), (PostingKind.Earning, 12, "request.wish.normal", 1)],
            after.Reverse().Select(e => (e.Kind, e.Change, e.Rule, e.SchemeVersion ?? 0)));
        Assert.Equal(17, (await li.GetOk<PointsStatement>("/api/volunteers/vol-m1-1/points")).Balance);
    }

    [Fact]
    public async Task A_wish_published_before_any_scheme_earns_as_before_under_no_rule()
    {
        using var county = await World.As("staff-c1");
        using var staff = await World.As("staff-m1");
        using var li = await World.As("vol-m1-1");
        var wish = await staff.CreateRequest("m1");
        await Put<PointsSchemeVersion>(county, "/api/places/c1/points-scheme", new { effectiveFrom = "2026-11-01", rules = new[] { new { rule = "request.wish.normal", points = 12 } } });

        await DoTheWork(li, wish.Id);
        await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5 });

        var entry = Assert.Single(await Entries(li, wish.Id));
        Assert.Equal((wish.Award, (string?)null, (int?)null, (DateTimeOffset?)null), (entry.Change, entry.Rule, entry.SchemeVersion, entry.EarnedAt));
    }

    private static async Task DoTheWork(DispatchClient volunteer, Guid requestId)
    {
        await volunteer.PostOk<RequestView>($"/api/requests/{requestId}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{requestId}/start");
        await volunteer.PostOk<RequestView>($"/api/requests/{requestId}/complete", new { note = "Delivered" });
    }

    /// <summary>The volunteer's ledger entries about a request, newest first.</summary>
    private static async Task<LedgerEntry[]> Entries(DispatchClient volunteer, Guid requestId, string username = "vol-m1-1") =>
        [.. (await volunteer.GetOk<PointsStatement>($"/api/volunteers/{username}/points")).Entries.Where(e => e.Reference == requestId.ToString())];

    private static async Task<T> Put<T>(DispatchClient client, string path, object body)
    {
        var response = await client.Put(path, body);
        await DispatchClient.Expect(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<T>(DispatchClient.Json))!;
    }

    private static async Task Refresh(params DispatchClient[] clients)
    {
        foreach (var client in clients)
        {
            await DispatchClient.Expect(await client.Refresh(), HttpStatusCode.OK);
        }
    }

    private static async Task<string?> Reason(Task<HttpResponseMessage> call, HttpStatusCode status) =>
        (await DispatchClient.Problem(await call, status))["reason"]?.GetValue<string>();
}
