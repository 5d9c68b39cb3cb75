using System.Net;
using System.Text.Json.Nodes;
using Dispatch.IntegrationTests.Support;
using Dispatch.Queries;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// <c>GET /api/places/{id}/requests</c> over the query store, on both stores: the whole subtree,
/// finished requests included, filters, Chinese substring search, paging, scope, no contact.
/// </summary>
public sealed class PlaceRequestsApiTests
{
    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.PostgreSQL)]
    public async Task A_town_lists_its_subtree_with_filters_search_and_paging(StoreKind kind)
    {
        await using var store = await TestStore.Create(kind);
        await using var app = store.App();
        var world = await World.Create(app);
        using var staff = await world.As("staff-t1");
        using var m3 = await world.As("staff-m3");
        using var volunteer = await world.As(World.Volunteer("m1", 1));

        var cup = await Publish(staff, "m1", "wish", "为留守儿童送保温杯", "一个八岁的孩子需要保温杯", "goods");
        var shopping = await Publish(staff, "m1", "errand", "Weekly shopping for Mrs Wang", "Vegetables and rice", "food");
        var clinic = await Publish(staff, "m2", "activity", "义诊 free clinic", null, "health", places: 3);
        var cancelled = await Publish(staff, "m2", "case", "Unpaid land compensation", "土地补偿款", "dispute");
        var elsewhere = await Publish(m3, "m3", "wish", "保温杯 for m3", null, "goods");
        await staff.PostOk<RequestView>($"/api/requests/{cancelled.Id}/cancel", new { reason = "Resolved by the family" });
        await volunteer.PostOk<RequestView>($"/api/requests/{cup.Id}/claim");

        // Everything below t1, the cancelled case included, once projected; nothing from t2.
        var all = await Eventually.Get(
            () => staff.GetOk<RequestPage>("/api/places/t1/requests"),
            p => p.Total == 4 && p.Items.Any(i => i.Id == cup.Id && i.Status == RequestStatus.Claimed)
                && p.Items.Any(i => i.Id == cancelled.Id && i.Status == RequestStatus.Cancelled));
        Assert.Equal(4, all.Total);
        Assert.Equal([cancelled.Id, clinic.Id, shopping.Id, cup.Id], all.Items.Select(i => i.Id));
        Assert.DoesNotContain(all.Items, i => i.Id == elsewhere.Id);
        var claimed = all.Items.Single(i => i.Id == cup.Id);
        Assert.Equal<string>([World.Volunteer("m1", 1)], claimed.Claimants);
        Assert.Equal<string>(["r1", "c1", "t1", "m1"], claimed.PlacePath);
        Assert.NotNull(all.Items.Single(i => i.Id == cancelled.Id).FinishedAt);

        // Filters.
        Assert.Equal([cancelled.Id], await Ids(staff, "/api/places/t1/requests?status=cancelled"));
        Assert.Equal([cancelled.Id, cup.Id], await Ids(staff, "/api/places/t1/requests?status=claimed,cancelled"));
        Assert.Equal([shopping.Id], await Ids(staff, "/api/places/t1/requests?kind=errand"));
        Assert.Equal([clinic.Id], await Ids(staff, "/api/places/t1/requests?category=HEALTH"));
        Assert.Equal([cancelled.Id, clinic.Id], await Ids(staff, "/api/places/m2/requests"));
        Assert.Empty(await Ids(staff, "/api/places/t1/requests?overdue=true"));
        Assert.Equal([cup.Id, shopping.Id, clinic.Id, cancelled.Id], await Ids(staff, "/api/places/t1/requests?sort=oldest"));

        // Chinese substrings of the title or description: three characters or more, and fewer.
        Assert.Equal([cup.Id], await Ids(staff, "/api/places/t1/requests?q=" + Uri.EscapeDataString("留守儿童")));
        Assert.Equal([cup.Id], await Ids(staff, "/api/places/t1/requests?q=" + Uri.EscapeDataString("保温")));
        Assert.Equal([cancelled.Id], await Ids(staff, "/api/places/t1/requests?q=" + Uri.EscapeDataString("补偿款")));
        Assert.Equal([clinic.Id], await Ids(staff, "/api/places/t1/requests?q=" + Uri.EscapeDataString("义诊")));
        Assert.Equal([shopping.Id], await Ids(staff, "/api/places/t1/requests?q=mrs%20WANG"));
        Assert.Equal([elsewhere.Id], await Ids(m3, "/api/places/m3/requests?q=" + Uri.EscapeDataString("保温杯")));
        Assert.Empty(await Ids(staff, "/api/places/t1/requests?q=" + Uri.EscapeDataString("100%_")));

        // Paging.
        var second = await staff.GetOk<RequestPage>("/api/places/t1/requests?page=2&pageSize=3");
        Assert.Equal((4, 2, 3), (second.Total, second.Page, second.PageSize));
        Assert.Equal([cup.Id], second.Items.Select(i => i.Id));
        Assert.Empty((await staff.GetOk<RequestPage>("/api/places/t1/requests?page=9&pageSize=3")).Items);

        // The admin sees the county; a volunteer their own community; no one sees a contact.
        using var admin = await world.App.Admin();
        Assert.Equal(5, (await admin.GetOk<RequestPage>("/api/places/c1/requests")).Total);
        Assert.Equal(2, (await volunteer.GetOk<RequestPage>("/api/places/m1/requests")).Total);
        foreach (var reader in new[] { admin, staff, volunteer })
        {
            var raw = await (await reader.Get("/api/places/m1/requests")).Content.ReadAsStringAsync();
            Assert.DoesNotContain(ContactSentinel.Phone, raw, StringComparison.Ordinal);
            Assert.DoesNotContain("beneficiary", raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("checkInCode", raw, StringComparison.OrdinalIgnoreCase);
        }

        // Scope: 403 outside it, 404 for no such place.
        await DispatchClient.Problem(await volunteer.Get("/api/places/t1/requests"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await volunteer.Get("/api/places/m2/requests"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await m3.Get("/api/places/t1/requests"), HttpStatusCode.Forbidden);
        await DispatchClient.Problem(await staff.Get("/api/places/nowhere/requests"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("status=done", "status")]
    [InlineData("kind=chore", "kind")]
    [InlineData("urgency=1", "urgency")]
    [InlineData("overdue=maybe", "overdue")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-12-02&to=2026-12-01", "to")]
    [InlineData("sort=random", "sort")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("page=abc", "page")]
    public async Task A_bad_parameter_is_a_problem_naming_it(string query, string field)
    {
        await using var store = await TestStore.Create(StoreKind.Sqlite);
        await using var app = store.App();
        using var admin = await app.Admin();
        await admin.CreateCommunityChain("bad", "bad-m");
        var problem = await DispatchClient.Problem(await admin.Get("/api/places/bad-m/requests?" + query), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![field]);
    }

    internal static Task<RequestView> Publish(
        DispatchClient staff, string community, string kind, string title, string? description, string category, int places = 1) =>
        staff.PostOk<RequestView>(
            "/api/requests",
            new
            {
                communityId = community,
                kind,
                title,
                description,
                categories = new[] { category },
                urgency = "normal",
                places,
                points = 10,
                beneficiary = new { name = "Xiao Ming", phone = ContactSentinel.Phone, address = "Building 3" },
            },
            HttpStatusCode.Created);

    private static async Task<Guid[]> Ids(DispatchClient client, string path) =>
        [.. (await client.GetOk<RequestPage>(path)).Items.Select(i => i.Id)];
}
