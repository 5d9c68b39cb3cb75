using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Dispatch.WebHost.Statistics;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// A Dispatch on a fake clock with a <see cref="World"/> and a scripted minute-by-minute set of
/// requests across m1, m2 (town t1) and m3 (town t2), run once, before any test reads the figures.
/// </summary>
/// <remarks>
/// T+0: every request is published; W2 is offered to vol-m1-2, W3 to vol-m1-1, LE to vol-m2-1.
/// T+1m: LE's offer lapses (its policy gives offers a minute); claims; vol-m1-1 declines W3.
/// T+2m: vol-m1-2 accepts W2; the claimed work starts.
/// T+3m: W1, E1, W4, W5 completed and verified (ratings 5, 3, 4, 2); C1 cancelled.
/// T+4m: W2 completed with the beneficiary's code (verified, no rating); E3 offered to vol-m3-2 (pending).
/// </remarks>
public sealed class StatisticsFixture() : WorldFixture(new FakeTimeProvider(DateTimeOffset.UtcNow))
{
    protected override async Task ArrangeAsync()
    {
        var admin = World.Admin;
        await Policies.Set(admin, "errand", "urgent", Policies.Quiet(offerWithin: "00:01:00"));
        await admin.PostOk<JsonObject>("/api/organisations", new { id = "stat-org-1", name = "Power supply", communityIds = new[] { "m1" } }, HttpStatusCode.Created);
        await admin.PostOk<JsonObject>("/api/organisations", new { id = "stat-org-2", name = "Clinic", communityIds = new[] { "m3" } }, HttpStatusCode.Created);

        using var t1 = await World.As("staff-t1");
        using var m3 = await World.As("staff-m3");
        using var m1v1 = await World.As(World.Volunteer("m1", 1));
        using var m1v2 = await World.As(World.Volunteer("m1", 2));
        using var m2v1 = await World.As(World.Volunteer("m2", 1));
        using var m2v2 = await World.As(World.Volunteer("m2", 2));
        using var m3v1 = await World.As(World.Volunteer("m3", 1));

        // T+0
        var w1 = await Create(t1, "m1", "wish", "normal", 10);
        var w2 = await Create(t1, "m1", "wish", "urgent", 10);
        var e1 = await Create(t1, "m1", "errand", "normal", 20);
        var w3 = await Create(t1, "m1", "wish", "normal", 10);
        var c1 = await Create(t1, "m1", "case", "normal", 10);
        var w4 = await Create(t1, "m2", "wish", "normal", 10);
        var a1 = await Create(t1, "m2", "activity", "normal", 5, places: 3);
        var e2 = await Create(t1, "m2", "errand", "normal", 10);
        var le = await Create(t1, "m2", "errand", "urgent", 10);
        var w5 = await Create(m3, "m3", "wish", "critical", 10);
        var e3 = await Create(m3, "m3", "errand", "normal", 10);
        await t1.PostOk<RequestView>($"/api/requests/{w2.Id}/dispatch", new { volunteer = World.Volunteer("m1", 2) });
        await t1.PostOk<RequestView>($"/api/requests/{w3.Id}/dispatch", new { volunteer = World.Volunteer("m1", 1) });
        await t1.PostOk<RequestView>($"/api/requests/{le.Id}/dispatch", new { volunteer = World.Volunteer("m2", 1) });

        // T+1m
        Clock!.Advance(TimeSpan.FromMinutes(1));
        var lapsed = await Eventually.Get(() => t1.GetOk<RequestView>($"/api/requests/{le.Id}"), r => r.Offer is null);
        Assert.Null(lapsed.Offer);
        await Claim(m1v1, w1, e1);
        await Claim(m2v1, w4, a1);
        await Claim(m2v2, a1, e2);
        await Claim(m3v1, w5);
        await m1v1.PostOk<RequestView>($"/api/requests/{w3.Id}/offer/decline", new { reason = "Away" });

        // T+2m
        Clock!.Advance(TimeSpan.FromMinutes(1));
        await m1v2.PostOk<RequestView>($"/api/requests/{w2.Id}/offer/accept");
        await Start(m1v1, w1, e1);
        await Start(m1v2, w2);
        await Start(m2v1, w4);
        await Start(m2v2, e2);
        await Start(m3v1, w5);

        // T+3m
        Clock!.Advance(TimeSpan.FromMinutes(1));
        await Done(m1v1, t1, w1, 5);
        await Done(m1v1, t1, e1, 3);
        await Done(m2v1, t1, w4, 4);
        await Done(m3v1, m3, w5, 2);
        await t1.PostOk<RequestView>($"/api/requests/{c1.Id}/cancel", new { reason = "Resolved by the family" });

        // T+4m
        Clock!.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(RequestStatus.Verified, (await m1v2.PostOk<RequestView>($"/api/requests/{w2.Id}/complete", new { note = "Delivered", checkInCode = w2.CheckInCode })).Status);
        await m3.PostOk<RequestView>($"/api/requests/{e3.Id}/dispatch", new { volunteer = World.Volunteer("m3", 2) });
    }

    private static Task<RequestView> Create(DispatchClient staff, string community, string kind, string urgency, int points, int places = 1) =>
        staff.PostOk<RequestView>(
            "/api/requests",
            new { communityId = community, kind, title = $"A {kind}", categories = new[] { "help" }, urgency, places, points, beneficiary = new { name = "Resident" } },
            HttpStatusCode.Created);

    private static async Task Claim(DispatchClient volunteer, params RequestView[] requests)
    {
        foreach (var request in requests)
        {
            await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
        }
    }

    private static async Task Start(DispatchClient volunteer, params RequestView[] requests)
    {
        foreach (var request in requests)
        {
            await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/start");
        }
    }

    private static async Task Done(DispatchClient volunteer, DispatchClient staff, RequestView request, int rating)
    {
        await volunteer.PostOk<RequestView>($"/api/requests/{request.Id}/complete", new { note = "Done" });
        await staff.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = true, rating });
    }
}

/// <summary>Statistics and leaderboards: exact figures per community, rolled up to towns and the county, and who may read them.</summary>
public sealed class StatisticsApiTests(StatisticsFixture fixture) : IClassFixture<StatisticsFixture>
{
    private static readonly string[] Kinds = ["wish", "errand", "case", "activity"];
    private static readonly string[] Statuses = ["open", "claimed", "inProgress", "completed", "verified", "cancelled"];

    /// <summary>Figures that are not sums (rates, averages, the place's id).</summary>
    private static readonly HashSet<string> NotAdditive = ["placeId", "completionRate", "onTimeRate", "averageTimeToClaim", "averageTimeToComplete", "averageRating", "residentSatisfaction"];

    private World World => fixture.World;

    public static TheoryData<string> Places => new() { "m1", "m2", "m3", "t1", "t2", "c1", "r1" };

    [Theory]
    [MemberData(nameof(Places))]
    public async Task A_places_figures_are_exact(string place)
    {
        var expected = Expected(place);

        var actual = await Figures(World.Admin, place, expected);

        foreach (var (key, value) in expected)
        {
            Assert.True(actual.TryGetValue(key, out var got), $"{place}: no '{key}' in the statistics.");
            Assert.True(value == got, $"{place}: '{key}' is {got}, expected {value}.");
        }

        Assert.Empty(actual.Keys.Except(expected.Keys));
    }

    [Fact]
    public async Task The_countys_figures_are_the_sums_of_its_towns_and_the_towns_of_their_communities()
    {
        var m1 = await Figures(World.Admin, "m1", Expected("m1"));
        var m2 = await Figures(World.Admin, "m2", Expected("m2"));
        var t1 = await Figures(World.Admin, "t1", Expected("t1"));
        var t2 = await Figures(World.Admin, "t2", Expected("t2"));
        var c1 = await Figures(World.Admin, "c1", Expected("c1"));

        foreach (var key in c1.Keys.Where(k => !NotAdditive.Contains(k)))
        {
            Assert.True(Number(c1[key]) == Number(t1[key]) + Number(t2[key]), $"c1 '{key}' {c1[key]} is not t1 {t1[key]} + t2 {t2[key]}.");
            if (key != "communities")
            {
                Assert.True(Number(t1[key]) == Number(m1[key]) + Number(m2[key]), $"t1 '{key}' {t1[key]} is not m1 {m1[key]} + m2 {m2[key]}.");
            }
        }
    }

    [Fact]
    public async Task Staff_read_the_statistics_of_places_in_their_scope_only()
    {
        using var staff = await World.As("staff-t1");
        using var farStaff = await World.As("staff-m3");
        using var volunteer = await World.As(World.Volunteer("m1", 1));

        Assert.Equal(5, (await staff.GetOk<JsonObject>("/api/places/m1/stats"))["requests"]!["total"]!.GetValue<int>());
        Assert.Equal("t1", (await staff.GetOk<JsonObject>("/api/places/t1/stats"))["placeId"]!.GetValue<string>());
        Assert.Equal(2, (await farStaff.GetOk<JsonObject>("/api/places/m3/stats"))["requests"]!["total"]!.GetValue<int>());
        foreach (var place in new[] { "m3", "t2", "c1", "r1" })
        {
            Assert.Equal("outOfScope", (await DispatchClient.Problem(await staff.Get($"/api/places/{place}/stats"), HttpStatusCode.Forbidden))["reason"]?.GetValue<string>());
        }

        await DispatchClient.Problem(await farStaff.Get("/api/places/t2/stats"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await farStaff.Get("/api/places/m1/stats"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await volunteer.Get("/api/places/m1/stats"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Get("/api/places/nowhere/stats"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await World.Admin.Get("/api/places/not%20a%20place/stats"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_leaderboard_ranks_volunteers_by_points_earned()
    {
        var county = await Board(World.Admin, "c1", 4);

        Assert.Equal("c1", county.PlaceId);
        Assert.Equal<LeaderboardEntry>(
            [
                new LeaderboardEntry(1, World.Volunteer("m1", 1), "m1", 30, 30, 0),
                new LeaderboardEntry(2, World.Volunteer("m3", 1), "m3", 20, 20, 0),
                new LeaderboardEntry(3, World.Volunteer("m1", 2), "m1", 15, 15, 0),
                new LeaderboardEntry(4, World.Volunteer("m2", 1), "m2", 10, 10, 0),
            ],
            county.Items);

        var top2 = await World.Admin.GetOk<Leaderboard>("/api/places/c1/leaderboard?top=2");
        Assert.Equal([World.Volunteer("m1", 1), World.Volunteer("m3", 1)], top2.Items.Select(i => i.Username));
        Assert.Equal([World.Volunteer("m1", 1), World.Volunteer("m1", 2), World.Volunteer("m2", 1)], (await Board(World.Admin, "t1", 3)).Items.Select(i => i.Username));
        var town2 = await Board(World.Admin, "t2", 1);
        Assert.Equal(new LeaderboardEntry(1, World.Volunteer("m3", 1), "m3", 20, 20, 0), Assert.Single(town2.Items));

        // Nobody who earned nothing is on a board.
        Assert.DoesNotContain(county.Items, i => i.Username == World.Volunteer("m2", 2) || i.Username == World.Volunteer("m3", 2));
    }

    [Fact]
    public async Task Volunteers_read_the_boards_of_their_community_and_the_places_above_it_and_staff_those_in_scope()
    {
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        foreach (var place in new[] { "m1", "t1", "c1", "r1" })
        {
            Assert.Equal(place, (await volunteer.GetOk<Leaderboard>($"/api/places/{place}/leaderboard")).PlaceId);
        }

        foreach (var place in new[] { "m2", "m3", "t2" })
        {
            await DispatchClient.Problem(await volunteer.Get($"/api/places/{place}/leaderboard"), HttpStatusCode.Forbidden);
        }

        using var staff = await World.As("staff-t1");
        Assert.Equal("m2", (await staff.GetOk<Leaderboard>("/api/places/m2/leaderboard")).PlaceId);
        await DispatchClient.Problem(await staff.Get("/api/places/c1/leaderboard"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Get("/api/places/m3/leaderboard"), HttpStatusCode.Forbidden);
        using var farStaff = await World.As("staff-m3");
        await DispatchClient.Problem(await farStaff.Get("/api/places/t2/leaderboard"), HttpStatusCode.Forbidden);

        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/leaderboard?top=0"), HttpStatusCode.BadRequest))["errors"]?["top"]);
        Assert.NotNull((await DispatchClient.Problem(await staff.Get("/api/places/t1/leaderboard?top=101"), HttpStatusCode.BadRequest))["errors"]?["top"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await staff.Get("/api/places/t1/leaderboard?top=many")).StatusCode);
        await DispatchClient.Problem(await staff.Get("/api/places/nowhere/leaderboard"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_consoles_counters_show_dispatches_wishes_fulfilled_and_matters_done()
    {
        using var staff = await World.As("staff-t1");
        var m1 = await Eventually.Get(
            () => staff.GetOk<JsonObject>("/api/communities/m1"),
            c => c["counters"]!["wishesFulfilled"]!.GetValue<int>() == 2 && c["counters"]!["dispatches"]!.GetValue<int>() == 2);
        Assert.Equal((2, 2, 1, 3, 1, 1), Counters(m1["counters"]!));
        var m2 = await Eventually.Get(() => staff.GetOk<JsonObject>("/api/communities/m2"), c => c["counters"]!["dispatches"]!.GetValue<int>() == 1);
        Assert.Equal((1, 1, 0, 1, 2, 0), Counters(m2["counters"]!));

        await using var console = await ConsoleClient.Connect(fixture.App, staff);
        var town = await Eventually.Get(() => console.Watch("t1"), s => s.Counters.Dispatches == 3 && s.Counters.WishesFulfilled == 3);
        Assert.Equal((3, 3, 1, 4, 3, 1), (town.Counters.Dispatches, town.Counters.WishesFulfilled, town.Counters.MattersDone, town.Counters.Verified, town.Counters.Open, town.Counters.Cancelled));

        static (int, int, int, int, int, int) Counters(JsonNode c) => (
            c["dispatches"]!.GetValue<int>(), c["wishesFulfilled"]!.GetValue<int>(), c["mattersDone"]!.GetValue<int>(),
            c["verified"]!.GetValue<int>(), c["open"]!.GetValue<int>(), c["cancelled"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_offer_withdrawn_because_the_request_was_cancelled_is_not_counted_as_pending()
    {
        var (community, volunteer) = await NewRegion("w");
        var admin = World.Admin;
        var request = await admin.PostOk<RequestView>(
            "/api/requests", new { communityId = community, kind = "wish", title = "A wish", urgency = "normal", points = 10, beneficiary = new { name = "Resident" } }, HttpStatusCode.Created);
        await admin.PostOk<RequestView>($"/api/requests/{request.Id}/dispatch", new { volunteer });
        await admin.PostOk<RequestView>($"/api/requests/{request.Id}/cancel", new { reason = "No longer needed" });

        var stats = await Eventually.Get(
            () => admin.GetOk<JsonObject>($"/api/places/{community}/stats"),
            s => s["requests"]!["byStatus"]!["cancelled"]!.GetValue<int>() == 1);

        Assert.Equal(1, stats["dispatches"]!.GetValue<int>());
        var answers = stats["dispatchAnswers"]!;
        Assert.True(
            answers["pending"]!.GetValue<int>() == 0,
            $"The offer ended with the request, yet it is counted as pending: {answers.ToJsonString()}");
        Assert.Equal(1, answers["withdrawn"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_overturned_verification_no_longer_counts_as_fulfilled_rated_or_awarded()
    {
        var (community, volunteer) = await NewRegion("v");
        var admin = World.Admin;
        using var client = await World.As(volunteer);
        var wish = await admin.PostOk<RequestView>(
            "/api/requests", new { communityId = community, kind = "wish", title = "A wish", urgency = "normal", points = 10, beneficiary = new { name = "Resident" } }, HttpStatusCode.Created);
        await client.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        await client.PostOk<RequestView>($"/api/requests/{wish.Id}/start");
        await client.PostOk<RequestView>($"/api/requests/{wish.Id}/complete");
        await admin.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5 });
        var verified = await Eventually.Get(
            () => admin.GetOk<JsonObject>($"/api/places/{community}-c/stats"),
            s => s["pointsIssued"]!.GetValue<int>() == 10 && s["wishesFulfilled"]!.GetValue<int>() == 1);
        Assert.Equal((1, 10, 10, 1), (verified["wishesFulfilled"]!.GetValue<int>(), verified["pointsAwarded"]!.GetValue<int>(), verified["pointsIssued"]!.GetValue<int>(), verified["ratings"]!.GetValue<int>()));

        await admin.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = false, comment = "Not delivered" });

        var overturned = await Eventually.Get(
            () => admin.GetOk<JsonObject>($"/api/places/{community}-c/stats"),
            s => s["pointsIssued"]!.GetValue<int>() == 0 && s["wishesFulfilled"]!.GetValue<int>() == 0);
        Assert.Equal((0, 0, 0, 0, 1), (
            overturned["wishesFulfilled"]!.GetValue<int>(), overturned["pointsAwarded"]!.GetValue<int>(), overturned["pointsIssued"]!.GetValue<int>(),
            overturned["ratings"]!.GetValue<int>(), overturned["requests"]!["byStatus"]!["inProgress"]!.GetValue<int>()));
        Assert.Null(overturned["averageRating"]);
        Assert.Null(overturned["averageTimeToComplete"]);
        Assert.Equal(0, overturned["completionRate"]!.GetValue<double>());
        Assert.Empty((await admin.GetOk<Leaderboard>($"/api/places/{community}-c/leaderboard")).Items);
    }

    [Fact]
    public async Task A_request_that_had_to_escalate_is_not_on_time()
    {
        await Policies.Set(World.Admin, "case", "critical", Policies.Quiet(claimWithin: "00:00:01"));
        var (community, volunteer) = await NewRegion("l");
        var admin = World.Admin;
        using var client = await World.As(volunteer);
        var late = await admin.PostOk<RequestView>(
            "/api/requests", new { communityId = community, kind = "case", title = "Late", urgency = "critical", beneficiary = new { name = "Resident" } }, HttpStatusCode.Created);
        var onTime = await admin.PostOk<RequestView>(
            "/api/requests", new { communityId = community, kind = "case", title = "On time", urgency = "normal", beneficiary = new { name = "Resident" } }, HttpStatusCode.Created);
        fixture.Clock!.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Get(() => admin.GetOk<RequestView>($"/api/requests/{late.Id}"), r => r.EscalationLevel >= 1);
        foreach (var request in new[] { late, onTime })
        {
            await client.PostOk<RequestView>($"/api/requests/{request.Id}/claim");
            await client.PostOk<RequestView>($"/api/requests/{request.Id}/start");
            await client.PostOk<RequestView>($"/api/requests/{request.Id}/complete");
            await admin.PostOk<RequestView>($"/api/requests/{request.Id}/verify", new { approved = true });
        }

        var stats = await Eventually.Get(() => admin.GetOk<JsonObject>($"/api/places/{community}/stats"), s => s["mattersDone"]!.GetValue<int>() == 2);

        Assert.Equal(2, stats["mattersDone"]!.GetValue<int>());
        Assert.Equal(1, stats["completionRate"]!.GetValue<double>());
        Assert.Equal(0.5, stats["onTimeRate"]!.GetValue<double>());
        Assert.Equal(0, stats["pointsAwarded"]!.GetValue<int>());
        Assert.Null(stats["averageRating"]);
    }

    [Fact]
    public async Task A_period_counts_its_requests_by_the_level_they_climbed_to()
    {
        await Policies.Set(World.Admin, "case", "critical", Policies.Quiet(claimWithin: "00:00:01"));
        var (community, _) = await NewRegion("lv");
        var admin = World.Admin;
        var late = await admin.PostOk<RequestView>(
            "/api/requests", new { communityId = community, kind = "case", title = "Late", urgency = "critical", beneficiary = new { name = "Resident" } }, HttpStatusCode.Created);
        await admin.PostOk<RequestView>(
            "/api/requests", new { communityId = community, kind = "case", title = "Calm", urgency = "normal", beneficiary = new { name = "Resident" } }, HttpStatusCode.Created);
        fixture.Clock!.Advance(TimeSpan.FromSeconds(1));
        await Eventually.Get(() => admin.GetOk<RequestView>($"/api/requests/{late.Id}"), r => r.EscalationLevel == 1);

        // From the query store, a moment behind the request: the late one at its town, the calm one nowhere.
        var stats = await Eventually.Get(
            () => admin.GetOk<PeriodStatistics>($"/api/places/{community}/stats?groupBy=kind"),
            s => s.Escalations.Any(e => e.Requests > 0));
        Assert.Equal([(1, 1), (2, 0), (3, 0)], stats.Escalations.Select(e => (e.Level, e.Requests)));
        Assert.Equal(2, stats.Requests.Total);
    }

    [Fact]
    public async Task An_organisation_reporting_to_two_communities_of_a_town_counts_once_in_the_town()
    {
        var (community, _) = await NewRegion("o");
        var neighbour = $"{community}-b";
        await World.Admin.CreatePlace(neighbour, "community", $"{community}-t");
        await World.Admin.PostOk<JsonObject>("/api/organisations", new { id = $"{community}-org", name = "Water works", communityIds = new[] { community, neighbour } }, HttpStatusCode.Created);

        Assert.Equal(1, (await World.Admin.GetOk<JsonObject>($"/api/places/{community}/stats"))["organisations"]!.GetValue<int>());
        Assert.Equal(1, (await World.Admin.GetOk<JsonObject>($"/api/places/{neighbour}/stats"))["organisations"]!.GetValue<int>());
        var town = await World.Admin.GetOk<JsonObject>($"/api/places/{community}-t/stats");
        Assert.True(town["organisations"]!.GetValue<int>() == 1, $"One organisation reports to the town's two communities, yet the town counts {town["organisations"]}.");
    }

    [Fact]
    public async Task A_place_with_nothing_yet_has_zero_counts_and_no_rates()
    {
        var (community, _) = await NewRegion("e");
        var stats = await World.Admin.GetOk<JsonObject>($"/api/places/{community}-r/stats");

        Assert.Equal(1, stats["communities"]!.GetValue<int>());
        Assert.Equal(1, stats["registeredVolunteers"]!.GetValue<int>());
        Assert.Equal(0, stats["requests"]!["total"]!.GetValue<int>());
        Assert.Equal(0, stats["byKind"]!["wish"]!["total"]!.GetValue<int>());
        foreach (var field in new[] { "completionRate", "onTimeRate", "averageTimeToClaim", "averageTimeToComplete", "averageRating" })
        {
            Assert.Null(stats[field]);
        }

        Assert.Empty((await World.Admin.GetOk<Leaderboard>($"/api/places/{community}-r/leaderboard")).Items);
    }

    /// <summary>A region "{prefix}N-r" &gt; county &gt; town "-t" &gt; community "{prefix}N" with one volunteer, away from r1.</summary>
    private async Task<(string Community, string Volunteer)> NewRegion(string prefix)
    {
        var community = $"{prefix}{Guid.NewGuid():N}"[..10];
        var admin = World.Admin;
        await admin.CreatePlace($"{community}-r", "region", null);
        await admin.CreatePlace($"{community}-c", "county", $"{community}-r");
        await admin.CreatePlace($"{community}-t", "town", $"{community}-c");
        await admin.CreatePlace(community, "community", $"{community}-t");
        var volunteer = $"{community}-v".ToLowerInvariant();
        await admin.CreateAccount(volunteer, "volunteer", community);
        return (community, volunteer);
    }

    private static async Task<Leaderboard> Board(DispatchClient client, string place, int count) =>
        await Eventually.Get(() => client.GetOk<Leaderboard>($"/api/places/{place}/leaderboard"), b => b.Items.Length == count);

    /// <summary>The place's statistics, flattened to "requests.byStatus.open" → "1", once they match (the boards catch up one-way).</summary>
    private static async Task<Dictionary<string, string>> Figures(DispatchClient client, string place, Dictionary<string, string> expected) =>
        await Eventually.Get(
            async () => Flatten(await client.GetOk<JsonObject>($"/api/places/{place}/stats")),
            actual => expected.All(e => actual.TryGetValue(e.Key, out var v) && v == e.Value));

    private static Dictionary<string, string> Flatten(JsonNode? node, string prefix = "", Dictionary<string, string>? into = null)
    {
        into ??= [];
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Flatten(value, prefix.Length == 0 ? key : $"{prefix}.{key}", into);
                }

                break;
            case null:
                into[prefix] = "null";
                break;
            case JsonValue value when value.TryGetValue<double>(out var number):
                into[prefix] = number.ToString(CultureInfo.InvariantCulture);
                break;
            default:
                into[prefix] = node.GetValue<string>();
                break;
        }

        return into;
    }

    private static double Number(string value) => value == "null" ? double.NaN : double.Parse(value, CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Expected(string place) => place switch
    {
        "m1" => Figures(
            "m1", communities: 1, volunteers: 2, organisations: 1,
            requests: [("wish", "open", 1), ("wish", "verified", 2), ("errand", "verified", 1), ("case", "cancelled", 1)],
            answers: (1, 1, 0, 0), pointsIssued: 45, pointsAwarded: 45,
            completionRate: "0.75", onTimeRate: "1", toClaim: "00:01:20", toComplete: "00:03:20", rating: "4", ratings: 2),
        "m2" => Figures(
            "m2", communities: 1, volunteers: 2, organisations: 0,
            requests: [("wish", "verified", 1), ("activity", "open", 1), ("errand", "open", 1), ("errand", "inProgress", 1)],
            answers: (0, 0, 1, 0), pointsIssued: 10, pointsAwarded: 10,
            completionRate: "0.25", onTimeRate: "1", toClaim: "00:01:00", toComplete: "00:03:00", rating: "4", ratings: 1),
        "m3" or "t2" => Figures(
            place, communities: 1, volunteers: 2, organisations: 1,
            requests: [("wish", "verified", 1), ("errand", "open", 1)],
            answers: (0, 0, 0, 1), pointsIssued: 20, pointsAwarded: 20,
            completionRate: "0.5", onTimeRate: "1", toClaim: "00:01:00", toComplete: "00:03:00", rating: "2", ratings: 1),
        "t1" => Figures(
            "t1", communities: 2, volunteers: 4, organisations: 1,
            requests: [("wish", "open", 1), ("wish", "verified", 3), ("errand", "verified", 1), ("case", "cancelled", 1), ("activity", "open", 1), ("errand", "open", 1), ("errand", "inProgress", 1)],
            answers: (1, 1, 1, 0), pointsIssued: 55, pointsAwarded: 55,
            completionRate: "0.5", onTimeRate: "1", toClaim: "00:01:10", toComplete: "00:03:15", rating: "4", ratings: 3),
        _ => Figures(
            place, communities: 3, volunteers: 6, organisations: 2,
            requests: [("wish", "open", 1), ("wish", "verified", 4), ("errand", "verified", 1), ("case", "cancelled", 1), ("activity", "open", 1), ("errand", "open", 2), ("errand", "inProgress", 1)],
            answers: (1, 1, 1, 1), pointsIssued: 75, pointsAwarded: 75,
            completionRate: "0.5", onTimeRate: "1", toClaim: "00:01:09", toComplete: "00:03:12", rating: "3.5", ratings: 4),
    };

    private static Dictionary<string, string> Figures(
        string place,
        int communities,
        int volunteers,
        int organisations,
        (string Kind, string Status, int Count)[] requests,
        (int Accepted, int Declined, int Lapsed, int Pending) answers,
        int pointsIssued,
        int pointsAwarded,
        string completionRate,
        string onTimeRate,
        string toClaim,
        string toComplete,
        string rating,
        int ratings)
    {
        int Count(string? kind, string? status) =>
            requests.Where(r => (kind is null || r.Kind == kind) && (status is null || r.Status == status)).Sum(r => r.Count);

        var figures = new Dictionary<string, string>
        {
            ["placeId"] = place,
            ["communities"] = $"{communities}",
            ["registeredVolunteers"] = $"{volunteers}",
            ["organisations"] = $"{organisations}",
            ["requests.total"] = $"{Count(null, null)}",
            ["dispatches"] = $"{answers.Accepted + answers.Declined + answers.Lapsed + answers.Pending}",
            ["dispatchAnswers.accepted"] = $"{answers.Accepted}",
            ["dispatchAnswers.declined"] = $"{answers.Declined}",
            ["dispatchAnswers.lapsed"] = $"{answers.Lapsed}",
            ["dispatchAnswers.withdrawn"] = "0",
            ["dispatchAnswers.pending"] = $"{answers.Pending}",
            ["wishesFulfilled"] = $"{Count("wish", "verified")}",
            ["mattersDone"] = $"{Count(null, "verified") - Count("wish", "verified")}",
            ["pointsIssued"] = $"{pointsIssued}",
            ["pointsRedeemed"] = "0",
            ["pointsAwarded"] = $"{pointsAwarded}",
            ["completionRate"] = completionRate,
            ["onTimeRate"] = onTimeRate,
            ["averageTimeToClaim"] = toClaim,
            ["averageTimeToComplete"] = toComplete,
            ["averageRating"] = rating,
            ["ratings"] = $"{ratings}",

            // No resident filed anything here: no residents' ratings, and no share of none.
            ["satisfied"] = "0",
            ["basicallySatisfied"] = "0",
            ["unsatisfied"] = "0",
            ["residentSatisfaction"] = "null",

            // Nobody served hours here and no representative filed anything: counted, and none.
            ["hours"] = "0",
            ["personTimes"] = "0",
            ["suggestionsHandedOver"] = "0",
            ["suggestionsAnswered"] = "0",
            ["suggestionsAnsweredOnTime"] = "0",
        };
        foreach (var status in Statuses)
        {
            figures[$"requests.byStatus.{status}"] = $"{Count(null, status)}";
        }

        foreach (var kind in Kinds)
        {
            figures[$"byKind.{kind}.total"] = $"{Count(kind, null)}";
            foreach (var status in Statuses)
            {
                figures[$"byKind.{kind}.byStatus.{status}"] = $"{Count(kind, status)}";
            }
        }

        return figures;
    }
}
