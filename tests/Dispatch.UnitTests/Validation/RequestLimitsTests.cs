using Dispatch.Requests;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Validation;

public sealed class RequestLimitsTests
{
    [Fact]
    public void A_well_formed_wish_is_valid()
    {
        Assert.True(RequestLimits.Validate(Given.Wish()).IsEmpty);
    }

    [Fact]
    public void A_well_formed_activity_at_the_limits_is_valid()
    {
        var spec = Given.Activity(RequestLimits.MaxPlaces) with
        {
            Title = new string('t', RequestLimits.MaxTitle),
            Description = new string('d', RequestLimits.MaxDescription),
            Points = RequestLimits.MaxPoints,
            Categories = [.. Enumerable.Range(0, RequestLimits.MaxCategories).Select(i => new string((char)('a' + i), RequestLimits.MaxCategory))],
            Beneficiary = new Beneficiary(new string('n', 200), new string('p', 200), new string('a', 200)),
        };

        Assert.Equal([], FieldsAtFault(spec));
    }

    [Fact]
    public void Optional_fields_may_be_left_out()
    {
        var spec = Given.Wish() with
        {
            Description = null,
            Categories = default,
            Points = RequestLimits.MinPoints,
            Beneficiary = new Beneficiary("Xiao Ming", null, null),
        };

        Assert.Equal([], FieldsAtFault(spec));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Title_is_required(string? title)
    {
        var errors = Errors(Given.Wish() with { Title = title! });

        Assert.Equal(["title"], errors.Keys);
        Assert.Equal("'title' is required.", Assert.Single(errors["title"]));
    }

    [Fact]
    public void Title_longer_than_200_characters_is_refused()
    {
        var errors = Errors(Given.Wish() with { Title = new string('t', RequestLimits.MaxTitle + 1) });

        Assert.Equal(["title"], errors.Keys);
        Assert.Contains("200", errors["title"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Description_longer_than_4000_characters_is_refused()
    {
        var ok = Given.Wish() with { Description = new string('d', RequestLimits.MaxDescription) };
        var tooLong = Given.Wish() with { Description = new string('d', RequestLimits.MaxDescription + 1) };

        Assert.Equal([], FieldsAtFault(ok));
        Assert.Equal(["description"], FieldsAtFault(tooLong));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Community_is_required(string? communityId)
    {
        Assert.Equal(["communityId"], FieldsAtFault(Given.Wish() with { CommunityId = communityId! }));
    }

    [Fact]
    public void Community_id_longer_than_an_identifier_is_refused()
    {
        Assert.Equal(["communityId"], FieldsAtFault(Given.Wish() with { CommunityId = new string('c', 65) }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    [InlineData(int.MinValue)]
    public void Places_outside_1_to_1000_are_refused(int places)
    {
        var errors = Errors(Given.Activity(places));

        Assert.Equal(["places"], errors.Keys);
        Assert.Contains("between 1 and 1000", errors["places"][0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void A_wish_with_places_outside_the_range_is_refused_on_places(int places)
    {
        Assert.Equal(["places"], FieldsAtFault(Given.Wish() with { Places = places }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(1000)]
    public void An_activity_may_have_1_to_1000_places(int places)
    {
        Assert.Equal([], FieldsAtFault(Given.Activity(places)));
    }

    [Theory]
    [InlineData(RequestKind.Wish)]
    [InlineData(RequestKind.Errand)]
    [InlineData(RequestKind.Case)]
    public void Only_an_activity_may_have_more_than_one_place(RequestKind kind)
    {
        var errors = Errors(Given.Wish() with { Kind = kind, Places = 2 });

        Assert.Equal(["places"], errors.Keys);
        Assert.Equal("Only an activity may have more than one place.", Assert.Single(errors["places"]));
        Assert.Equal([], FieldsAtFault(Given.Wish() with { Kind = kind, Places = 1 }));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Points_outside_0_to_10000_are_refused(int points)
    {
        Assert.Equal(["points"], FieldsAtFault(Given.Wish() with { Points = points }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000)]
    public void Points_from_0_to_10000_are_accepted(int points)
    {
        Assert.Equal([], FieldsAtFault(Given.Wish() with { Points = points }));
    }

    [Fact]
    public void Beneficiary_is_required()
    {
        var errors = Errors(Given.Wish() with { Beneficiary = null! });

        Assert.Equal(["beneficiary"], errors.Keys);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Beneficiary_name_is_required(string? name)
    {
        Assert.Equal(["beneficiary.name"], FieldsAtFault(Given.Wish() with { Beneficiary = new Beneficiary(name!, "138", "Grid 3") }));
    }

    [Fact]
    public void Beneficiary_fields_longer_than_200_characters_are_refused()
    {
        var tooLong = new string('x', RequestLimits.MaxBeneficiaryField + 1);

        Assert.Equal(
            ["beneficiary.address", "beneficiary.name", "beneficiary.phone"],
            FieldsAtFault(Given.Wish() with { Beneficiary = new Beneficiary(tooLong, tooLong, tooLong) }));
    }

    [Fact]
    public void More_than_20_categories_are_refused()
    {
        var spec = Given.Wish() with { Categories = [.. Enumerable.Range(0, RequestLimits.MaxCategories + 1).Select(i => $"c{i}")] };

        Assert.Equal(["categories"], FieldsAtFault(spec));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void A_blank_category_is_refused(string? category)
    {
        Assert.Equal(["categories"], FieldsAtFault(Given.Wish() with { Categories = ["health", category!] }));
    }

    [Fact]
    public void A_category_longer_than_50_characters_is_refused()
    {
        Assert.Equal(["categories"], FieldsAtFault(Given.Wish() with { Categories = [new string('c', RequestLimits.MaxCategory + 1)] }));
    }

    [Fact]
    public void An_undefined_kind_is_refused()
    {
        var errors = Errors(Given.Wish() with { Kind = (RequestKind)99 });

        Assert.Contains("kind", errors.Keys);
        Assert.Contains("wish, errand, case, activity", errors["kind"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_urgency_is_refused()
    {
        Assert.Equal(["urgency"], FieldsAtFault(Given.Wish() with { Urgency = (Urgency)7 }));
    }

    [Fact]
    public void Every_field_at_fault_is_named_at_once()
    {
        var spec = new NewRequest(
            "",
            (RequestKind)99,
            "",
            new string('d', RequestLimits.MaxDescription + 1),
            [""],
            (Urgency)(-1),
            0,
            -5,
            new Beneficiary("", null, null));

        Assert.Equal(
            ["beneficiary.name", "categories", "communityId", "description", "kind", "places", "points", "title", "urgency"],
            FieldsAtFault(spec));
    }

    [Fact]
    public void Each_message_names_its_field()
    {
        var spec = Given.Activity(0) with { CommunityId = "", Title = "", Points = -1, Beneficiary = new Beneficiary("", null, null) };

        foreach (var (field, messages) in Errors(spec))
        {
            Assert.All(messages, m => Assert.Contains($"'{field}'", m, StringComparison.Ordinal));
        }
    }

    private static IDictionary<string, string[]> Errors(NewRequest spec) => RequestLimits.Validate(spec).ToDictionary();

    private static string[] FieldsAtFault(NewRequest spec) => [.. Errors(spec).Keys.Order(StringComparer.Ordinal)];
}
