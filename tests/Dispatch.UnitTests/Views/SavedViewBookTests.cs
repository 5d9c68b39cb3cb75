using Dispatch.Views;

namespace Dispatch.UnitTests.Views;

/// <summary>A staff member's saved views: by name, replaced when saved again, bounded, checked before they are kept.</summary>
public sealed class SavedViewBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);
    private static readonly SavedViewFilters Urgent = new(null, "urgent", null, null, false, null);

    private static SavedView View(string name, SavedViewFilters? filters = null, params string[] columns) =>
        new(name, filters ?? Urgent, [.. columns], Now);

    [Fact]
    public void Saving_a_name_again_replaces_that_view_and_the_list_is_by_name()
    {
        var book = new SavedViewBook();
        book.Put(View("逾期"));
        book.Put(View("Critical", new SavedViewFilters(null, "critical", null, null, true, null), "title", "due"));
        var replaced = book.Put(View("逾期", new SavedViewFilters("wish", null, null, null, true, null)));

        Assert.True(replaced.Succeeded);
        Assert.Equal(["Critical", "逾期"], book.List().Select(v => v.Name));
        Assert.Equal("wish", book.List().Single(v => v.Name == "逾期").Filters.Kind);
        Assert.Equal(["title", "due"], book.List().Single(v => v.Name == "Critical").Columns.ToArray());
    }

    [Fact]
    public void A_new_name_is_refused_once_the_most_views_are_kept_but_an_existing_one_is_still_replaced()
    {
        var book = new SavedViewBook();
        for (var i = 0; i < SavedViewRules.MaxViews; i++)
        {
            Assert.True(book.Put(View($"v{i}")).Succeeded);
        }

        var refused = book.Put(View("one too many"));
        var replaced = book.Put(View("v3", new SavedViewFilters(null, null, null, null, true, null)));

        Assert.Equal("tooManyViews", refused.Failure?.Code);
        Assert.Equal(SavedViewRules.MaxViews, book.Views.Count);
        Assert.True(replaced.Succeeded);
        Assert.True(book.List().Single(v => v.Name == "v3").Filters.Overdue);
    }

    [Fact]
    public void Removing_answers_the_view_once_and_a_copy_is_independent()
    {
        var book = new SavedViewBook();
        book.Put(View("a"));
        var copy = book.Copy();

        Assert.Equal("a", book.Remove("a")?.Name);
        Assert.Null(book.Remove("a"));
        Assert.Empty(book.List());
        Assert.Single(copy.List());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void A_view_needs_a_name(string? name)
    {
        var errors = SavedViewRules.Validate(name, Urgent, ["title"]);
        Assert.Contains("name", errors.ToDictionary().Keys);
    }

    [Fact]
    public void Names_are_trimmed_and_bounded()
    {
        Assert.Equal("我的视图", SavedViewRules.NormalizeName("  我的视图 "));
        Assert.True(SavedViewRules.Validate(new string('视', SavedViewRules.MaxName), null, null).IsEmpty);
        Assert.Contains("name", SavedViewRules.Validate(new string('视', SavedViewRules.MaxName + 1), null, null).ToDictionary().Keys);
        Assert.Contains("name", SavedViewRules.Validate("a\tb", null, null).ToDictionary().Keys);
    }

    [Fact]
    public void Filters_and_columns_are_checked_field_by_field()
    {
        var errors = SavedViewRules.Validate(
            "v", new SavedViewFilters("party", "soon", null, null, false, new string('x', SavedViewRules.MaxFilterText + 1)), ["title", "salary"]).ToDictionary();

        Assert.Equal(["columns", "filters.kind", "filters.text", "filters.urgency"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("columns", SavedViewRules.Validate("v", null, ["title", "title"]).ToDictionary().Keys);
        Assert.True(SavedViewRules.Validate("v", new SavedViewFilters("wish", "critical", "健康", "c1", true, "高大爷"), [.. SavedViewRules.Columns]).IsEmpty);
    }
}
