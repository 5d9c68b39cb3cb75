using Dispatch.Common;
using Dispatch.Places;

namespace Dispatch.UnitTests.Validation;

public sealed class PlaceRulesTests
{
    [Fact]
    public void A_region_without_a_parent_is_valid()
    {
        Assert.True(PlaceRules.Check(new NewPlace("xilingol", "Xilingol League", PlaceKind.Region, null)).IsEmpty);
        Assert.Null(PlaceRules.Validate(new NewPlace("xilingol", "Xilingol League", PlaceKind.Region, null)));
    }

    [Fact]
    public void A_region_with_a_parent_is_refused()
    {
        var errors = PlaceRules.Check(new NewPlace("xilingol", "Xilingol League", PlaceKind.Region, "inner-mongolia")).ToDictionary();

        Assert.Equal(["parentId"], errors.Keys);
        Assert.Equal("A region has no parent.", Assert.Single(errors["parentId"]));
    }

    [Theory]
    [InlineData(PlaceKind.County, "county")]
    [InlineData(PlaceKind.Town, "town")]
    [InlineData(PlaceKind.Community, "community")]
    [InlineData(PlaceKind.Grid, "grid")]
    public void Every_place_below_a_region_needs_a_parent(PlaceKind kind, string named)
    {
        var errors = PlaceRules.Check(new NewPlace("p1", "Place", kind, null)).ToDictionary();

        Assert.Equal(["parentId"], errors.Keys);
        Assert.Contains($"'{named}'", errors["parentId"][0], StringComparison.Ordinal);
        Assert.True(PlaceRules.Check(new NewPlace("p1", "Place", kind, "parent")).IsEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-grid")]
    [InlineData(".grid")]
    [InlineData("_grid")]
    [InlineData("grid 3")]
    [InlineData("grid/3")]
    [InlineData("grid:3")]
    [InlineData("网格")]
    public void An_id_outside_the_pattern_is_refused_with_the_id_field(string id)
    {
        var place = new NewPlace(id, "Grid", PlaceKind.Grid, "community-1");

        Assert.Equal(["id"], PlaceRules.Check(place).ToDictionary().Keys);
        var failure = PlaceRules.Validate(place);
        Assert.NotNull(failure);
        Assert.Equal((FailureKind.Invalid, "invalid", "id"), (failure.Kind, failure.Code, failure.Field));
    }

    [Fact]
    public void A_null_or_too_long_id_is_refused()
    {
        Assert.Equal(["id"], PlaceRules.Check(new NewPlace(null!, "Grid", PlaceKind.Region, null)).ToDictionary().Keys);
        Assert.Equal(["id"], PlaceRules.Check(new NewPlace(new string('g', 65), "Grid", PlaceKind.Region, null)).ToDictionary().Keys);
        Assert.True(PlaceRules.Check(new NewPlace(new string('g', 64), "Grid", PlaceKind.Region, null)).IsEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_name_is_required(string name)
    {
        Assert.Equal(["name"], PlaceRules.Check(new NewPlace("r1", name, PlaceKind.Region, null)).ToDictionary().Keys);
    }

    [Fact]
    public void A_name_longer_than_200_characters_is_refused()
    {
        Assert.Equal(["name"], PlaceRules.Check(new NewPlace("r1", new string('n', 201), PlaceKind.Region, null)).ToDictionary().Keys);
        Assert.True(PlaceRules.Check(new NewPlace("r1", new string('n', 200), PlaceKind.Region, null)).IsEmpty);
    }

    [Fact]
    public void An_undefined_kind_is_refused()
    {
        Assert.Equal(["kind"], PlaceRules.Check(new NewPlace("p1", "Place", (PlaceKind)9, "parent")).ToDictionary().Keys);
    }

    [Fact]
    public void Validate_reports_one_failure_for_the_first_field_at_fault()
    {
        var failure = PlaceRules.Validate(new NewPlace("", "", PlaceKind.Grid, null));

        Assert.NotNull(failure);
        Assert.Equal(FailureKind.Invalid, failure.Kind);
        Assert.Equal("id", failure.Field);
    }

    [Theory]
    [InlineData(PlaceKind.County, PlaceKind.Region)]
    [InlineData(PlaceKind.Town, PlaceKind.County)]
    [InlineData(PlaceKind.Community, PlaceKind.Town)]
    [InlineData(PlaceKind.Grid, PlaceKind.Community)]
    public void A_place_may_sit_exactly_one_level_below_its_parent(PlaceKind kind, PlaceKind parentKind)
    {
        Assert.Null(PlaceRules.CheckParent(kind, parentKind));
    }

    [Fact]
    public void A_place_may_not_sit_at_any_other_level()
    {
        var kinds = Enum.GetValues<PlaceKind>();
        var refused = 0;
        foreach (var kind in kinds)
        {
            foreach (var parentKind in kinds.Where(p => (int)kind != (int)p + 1))
            {
                var failure = PlaceRules.CheckParent(kind, parentKind);
                Assert.NotNull(failure);
                Assert.Equal((FailureKind.Invalid, "parentId"), (failure.Kind, failure.Field));
                Assert.Contains($"A {kind.ToString().ToLowerInvariant()} cannot be placed under a {parentKind.ToString().ToLowerInvariant()}", failure.Detail, StringComparison.Ordinal);
                refused++;
            }
        }

        Assert.Equal((kinds.Length * kinds.Length) - (kinds.Length - 1), refused);
    }

    [Fact]
    public void A_region_may_not_sit_under_anything()
    {
        Assert.All(Enum.GetValues<PlaceKind>(), parent => Assert.NotNull(PlaceRules.CheckParent(PlaceKind.Region, parent)));
    }
}
