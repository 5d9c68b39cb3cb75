using Dispatch.Requests;
using Dispatch.WebHost.Sheets;

namespace Dispatch.UnitTests.Sheets;

public sealed class RequestSheetTests
{
    private static string? Community(string text) => text is "m1" or "新华社区" ? "m1" : null;

    [Theory]
    [InlineData(SheetLanguage.Zh)]
    [InlineData(SheetLanguage.En)]
    public void The_template_header_and_its_example_read_back_in_either_language(SheetLanguage language)
    {
        var (positions, errors) = RequestSheet.ReadHeader(RequestSheet.Header(language));
        Assert.Null(errors);
        var example = RequestSheet.Example(language, "新华社区").Select(c => c?.ToString()).ToList();

        var row = RequestSheet.ReadRow(2, example, positions!, Community);

        Assert.Null(row.Errors);
        Assert.Equal(("m1", RequestKind.Wish, Urgency.Normal, 1, 10), (row.Body!.CommunityId, row.Body.Kind, row.Body.Urgency, row.Body.Places, row.Body.Points));
        Assert.Equal(2, row.Body.Categories!.Length);
    }

    [Fact]
    public void Headers_match_without_their_marks_in_any_order_and_names_in_either_language_are_taken()
    {
        var (positions, errors) = RequestSheet.ReadHeader(["Title", "*类型（随便写）", "community", "beneficiary.name", "Urgency (x)"]);
        Assert.Null(errors);

        var row = RequestSheet.ReadRow(5, ["Rice", "Group activity", "新华社区", "Granny Wu", "特急"], positions!, Community);

        Assert.Equal((5, "Rice", RequestKind.Activity, Urgency.Critical, "Granny Wu"), (row.Row, row.Body!.Title, row.Body.Kind, row.Body.Urgency, row.Body.Beneficiary!.Name));
    }

    [Fact]
    public void A_header_names_what_is_missing_unknown_or_repeated()
    {
        var (positions, errors) = RequestSheet.ReadHeader(["社区", "Community", "颜色", "标题"]);

        Assert.Null(positions);
        var messages = errors!.ToDictionary()["header"];
        Assert.Contains(messages, m => m.Contains("repeats 'Community'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Column C ('颜色')", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'Kind' (类型) is missing", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("'Beneficiary name' (服务对象姓名) is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Cells_that_cannot_be_read_are_refused_by_their_json_field_and_the_rest_left_to_the_create_route()
    {
        var (positions, _) = RequestSheet.ReadHeader(RequestSheet.Header(SheetLanguage.Zh));

        var row = RequestSheet.ReadRow(3, ["别处社区", "蛋糕", "", "", "", "很急", "2.5", "十", "王", "", ""], positions!, Community);

        Assert.Null(row.Body);
        Assert.Equal(["communityId", "kind", "places", "points", "urgency"], row.Errors!.ToDictionary().Keys.Order(StringComparer.Ordinal));

        // A missing title is the create route's to refuse, as for a single request: nothing is said here.
        var untitled = RequestSheet.ReadRow(4, ["m1", "wish", "", "", "", "", "3.0", "", "王", "", ""], positions!, Community);
        Assert.Equal((null, 3), (untitled.Body!.Title, untitled.Body.Places));
    }
}
