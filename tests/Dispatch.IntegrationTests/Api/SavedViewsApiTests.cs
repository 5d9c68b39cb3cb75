using System.Net;
using Dispatch.IntegrationTests.Support;
using Dispatch.Views;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Saved views of the board through the API: kept per person on the server (so they follow them
/// to another sign-in), replaced by name, forgotten, each person's own, staff only, and bad input
/// a problem naming the field that changes nothing.
/// </summary>
public sealed class SavedViewsApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    private static string Path(string name) => $"/api/me/views/{Uri.EscapeDataString(name)}";

    [Fact]
    public async Task A_view_saved_on_one_sign_in_is_there_on_another_and_saving_again_replaces_it()
    {
        var name = $"逾期特急 {Guid.NewGuid():N}";
        using (var desk = await World.As("staff-t1"))
        {
            await DispatchClient.Expect(
                await desk.Put(Path(name), new { filters = new { urgency = "critical", overdue = true, community = "m1" }, columns = new[] { "title", "due", "claimants" } }),
                HttpStatusCode.OK);
        }

        using var elsewhere = await World.As("staff-t1");
        var views = await elsewhere.GetOk<SavedView[]>("/api/me/views");
        var kept = Assert.Single(views, v => v.Name == name);
        Assert.Equal(("critical", true, "m1"), (kept.Filters.Urgency, kept.Filters.Overdue, kept.Filters.Community));
        Assert.Equal(["title", "due", "claimants"], kept.Columns.ToArray());

        await DispatchClient.Expect(await elsewhere.Put(Path($"  {name} "), new { filters = new { kind = "wish" }, columns = new[] { "title" } }), HttpStatusCode.OK);
        var replaced = Assert.Single(await elsewhere.GetOk<SavedView[]>("/api/me/views"), v => v.Name == name);
        Assert.Equal(("wish", (string?)null, false), (replaced.Filters.Kind, replaced.Filters.Urgency, replaced.Filters.Overdue));
        Assert.Equal(["title"], replaced.Columns.ToArray());
    }

    [Fact]
    public async Task A_view_is_forgotten_once_and_is_nobody_elses()
    {
        var name = $"mine {Guid.NewGuid():N}";
        using var staff = await World.As("staff-t1");
        using var colleague = await World.As("staff-m3");
        await DispatchClient.Expect(await staff.Put(Path(name), new { filters = new { text = "高大爷" }, columns = Array.Empty<string>() }), HttpStatusCode.OK);

        Assert.DoesNotContain(await colleague.GetOk<SavedView[]>("/api/me/views"), v => v.Name == name);
        var notTheirs = await DispatchClient.Problem(await colleague.Http.DeleteAsync(Path(name)), HttpStatusCode.NotFound);
        Assert.Equal("notFound", notTheirs["reason"]?.GetValue<string>());
        Assert.Contains(await staff.GetOk<SavedView[]>("/api/me/views"), v => v.Name == name);

        await DispatchClient.Expect(await staff.Http.DeleteAsync(Path(name)), HttpStatusCode.NoContent);
        Assert.DoesNotContain(await staff.GetOk<SavedView[]>("/api/me/views"), v => v.Name == name);
        await DispatchClient.Problem(await staff.Http.DeleteAsync(Path(name)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_filters_or_columns_are_refused_naming_the_field_and_nothing_is_saved()
    {
        var name = $"bad {Guid.NewGuid():N}";
        using var staff = await World.As("staff-t1");

        var problem = await DispatchClient.Problem(
            await staff.Put(Path(name), new { filters = new { kind = "party", urgency = "soon" }, columns = new[] { "title", "salary" } }),
            HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["columns", "filters.kind", "filters.urgency"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(await staff.GetOk<SavedView[]>("/api/me/views"), v => v.Name == name);

        var tooLong = await DispatchClient.Problem(await staff.Put(Path(new string('视', SavedViewRules.MaxName + 1)), new { columns = new[] { "title" } }), HttpStatusCode.BadRequest);
        Assert.True(tooLong["errors"]!.AsObject().ContainsKey("name"));
    }

    [Fact]
    public async Task Volunteers_have_no_saved_views()
    {
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        Assert.Equal(HttpStatusCode.Forbidden, (await volunteer.Get("/api/me/views")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await volunteer.Put(Path("x"), new { columns = new[] { "title" } })).StatusCode);
    }
}
