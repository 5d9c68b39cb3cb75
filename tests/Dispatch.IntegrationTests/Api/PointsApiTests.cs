using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.Points;

namespace Dispatch.IntegrationTests.Api;

/// <summary>A volunteer's points through the API: staff adjust them with a reason, the volunteer and staff in scope read them.</summary>
public sealed class PointsApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task Staff_credit_and_debit_a_volunteer_who_sees_the_balance_and_the_entries_newest_first()
    {
        var username = await NewVolunteer("m1");
        using var staff = await World.As("staff-t1");
        using var volunteer = await World.As(username);

        var credit = await staff.PostOk<LedgerEntry>($"/api/volunteers/{username}/points", new { amount = 50, reason = "Helped at the flood shelter" }, HttpStatusCode.Created);
        var debit = await staff.PostOk<LedgerEntry>($"/api/volunteers/{username}/points", new { amount = -20, reason = "Counted twice" }, HttpStatusCode.Created);

        Assert.Equal(
            (1L, "pool:m1", $"volunteer:{username}", 50, 50, PostingKind.Adjustment, "staff-t1", 50),
            (credit.Seq, credit.From, credit.To, credit.Amount, credit.Change, credit.Kind, credit.By, credit.BalanceAfter));
        Assert.Equal("Helped at the flood shelter", credit.Reason);
        Assert.Equal((2L, $"volunteer:{username}", "pool:m1", 20, -20, 30), (debit.Seq, debit.From, debit.To, debit.Amount, debit.Change, debit.BalanceAfter));
        Assert.StartsWith("adjustment:", credit.Key, StringComparison.Ordinal);
        Assert.True(Guid.TryParse(credit.Reference, out _));

        var statement = await volunteer.GetOk<PointsStatement>($"/api/volunteers/{username}/points");
        Assert.Equal((username, 30, 30, 0, 2), (statement.Username, statement.Balance, statement.Earned, statement.Redeemed, statement.TotalEntries));
        Assert.Equal([2L, 1L], statement.Entries.Select(e => e.Seq));

        var newest = await staff.GetOk<PointsStatement>($"/api/volunteers/{username}/points?limit=1");
        Assert.Equal((2, 2L), (newest.TotalEntries, Assert.Single(newest.Entries).Seq));
        Assert.Empty((await World.Admin.GetOk<PointsStatement>($"/api/volunteers/{username}/points?limit=0")).Entries);
    }

    [Fact]
    public async Task A_debit_beyond_the_balance_is_refused_with_insufficientPoints_and_changes_nothing()
    {
        var username = await NewVolunteer("m2");
        using var staff = await World.As("staff-t1");
        await staff.PostOk<LedgerEntry>($"/api/volunteers/{username}/points", new { amount = 10, reason = "Start" }, HttpStatusCode.Created);

        var problem = await DispatchClient.Problem(
            await staff.Post($"/api/volunteers/{username}/points", new { amount = -11, reason = "Too much" }), HttpStatusCode.Conflict);

        Assert.Equal("insufficientPoints", problem["reason"]!.GetValue<string>());
        var statement = await staff.GetOk<PointsStatement>($"/api/volunteers/{username}/points");
        Assert.Equal((10, 1), (statement.Balance, statement.TotalEntries));
        Assert.Equal(0, (await staff.PostOk<LedgerEntry>($"/api/volunteers/{username}/points", new { amount = -10, reason = "All of it" }, HttpStatusCode.Created)).BalanceAfter);
    }

    [Fact]
    public async Task An_adjustment_retried_with_its_idempotency_key_is_posted_once()
    {
        var username = await NewVolunteer("m1");
        using var staff = await World.As("staff-t1");
        var body = new { amount = 25, reason = "Winter campaign" };

        var first = await staff.Post($"/api/volunteers/{username}/points", body, idempotencyKey: "adjust-1");
        var retry = await staff.Post($"/api/volunteers/{username}/points", body, idempotencyKey: "adjust-1");

        await DispatchClient.Expect(first, HttpStatusCode.Created);
        await DispatchClient.Expect(retry, HttpStatusCode.Created);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        var statement = await staff.GetOk<PointsStatement>($"/api/volunteers/{username}/points");
        Assert.Equal((25, 1), (statement.Balance, statement.TotalEntries));
    }

    [Fact]
    public async Task Only_the_volunteer_staff_in_scope_and_admins_see_points_and_only_staff_in_scope_and_admins_change_them()
    {
        var username = World.Volunteer("m1", 1);
        using var near = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        using var self = await World.As(username);
        using var neighbour = await World.As(World.Volunteer("m1", 2));
        var adjustment = new { amount = 5, reason = "Thanks" };

        await DispatchClient.Expect(await self.Get($"/api/volunteers/{username}/points"), HttpStatusCode.OK);
        await DispatchClient.Expect(await near.Get($"/api/volunteers/{username}/points"), HttpStatusCode.OK);
        await DispatchClient.Expect(await World.Admin.Get($"/api/volunteers/{username}/points"), HttpStatusCode.OK);
        Assert.Equal("outOfScope", (await DispatchClient.Problem(await far.Get($"/api/volunteers/{username}/points"), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        Assert.Equal("outOfScope", (await DispatchClient.Problem(await neighbour.Get($"/api/volunteers/{username}/points"), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());

        Assert.Equal("outOfScope", (await DispatchClient.Problem(await far.Post($"/api/volunteers/{username}/points", adjustment), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        Assert.Equal("roleNotAllowed", (await DispatchClient.Problem(await self.Post($"/api/volunteers/{username}/points", adjustment), HttpStatusCode.Forbidden))["reason"]!.GetValue<string>());
        var before = (await near.GetOk<PointsStatement>($"/api/volunteers/{username}/points")).TotalEntries;
        await DispatchClient.Expect(await World.Admin.Post($"/api/volunteers/{username}/points", adjustment), HttpStatusCode.Created);
        Assert.Equal(before + 1, (await near.GetOk<PointsStatement>($"/api/volunteers/{username}/points")).TotalEntries);
    }

    [Fact]
    public async Task Unknown_volunteers_and_staff_accounts_have_no_points()
    {
        using var staff = await World.As("staff-t1");

        await DispatchClient.Problem(await staff.Get("/api/volunteers/nobody-here/points"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await staff.Get("/api/volunteers/staff-t1/points"), HttpStatusCode.NotFound);
        await DispatchClient.Problem(await staff.Get("/api/volunteers/Not%20A%20Name!/points"), HttpStatusCode.NotFound);
        var problem = await DispatchClient.Problem(await staff.Post("/api/volunteers/nobody-here/points", new { amount = 5, reason = "x" }), HttpStatusCode.NotFound);
        Assert.Equal("notFound", problem["reason"]!.GetValue<string>());
    }

    public static TheoryData<string, string> BadAdjustments => new()
    {
        { """{"amount":0,"reason":"zero"}""", "amount" },
        { """{"reason":"no amount"}""", "amount" },
        { """{"amount":100001,"reason":"too much"}""", "amount" },
        { """{"amount":-100001,"reason":"too little"}""", "amount" },
        { """{"amount":1.5,"reason":"half"}""", "amount" },
        { """{"amount":"ten","reason":"words"}""", "amount" },
        { """{"amount":99999999999,"reason":"overflow"}""", "amount" },
        { """{"amount":5}""", "reason" },
        { """{"amount":5,"reason":"   "}""", "reason" },
        { "{\"amount\":5,\"reason\":\"" + new string('x', 501) + "\"}", "reason" },
        { """{"amount":5,""", "body" },
        { """[1,2,3]""", "body" },
        { "", "body" },
    };

    [Theory]
    [MemberData(nameof(BadAdjustments))]
    public async Task A_bad_adjustment_is_refused_naming_the_field_and_posts_nothing(string json, string field)
    {
        var username = World.Volunteer("m2", 2);
        using var staff = await World.As("staff-t1");
        var before = (await staff.GetOk<PointsStatement>($"/api/volunteers/{username}/points")).TotalEntries;

        var problem = await DispatchClient.Problem(await staff.PostRaw($"/api/volunteers/{username}/points", json), HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]?[field] is not null, $"No error for '{field}' in {problem.ToJsonString()}");
        Assert.Equal(before, (await staff.GetOk<PointsStatement>($"/api/volunteers/{username}/points")).TotalEntries);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("501")]
    [InlineData("many")]
    public async Task A_bad_limit_is_refused_naming_it(string limit)
    {
        using var staff = await World.As("staff-t1");

        var problem = await DispatchClient.Problem(await staff.Get($"/api/volunteers/{World.Volunteer("m1", 1)}/points?limit={limit}"), HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]?["limit"]);
    }

    private async Task<string> NewVolunteer(string community)
    {
        var username = $"pts-{Guid.NewGuid():N}"[..16];
        await World.Admin.CreateAccount(username, "volunteer", community);
        return username;
    }
}
