using System.Globalization;
using Dispatch.Common;

namespace Dispatch.UnitTests.Validation;

public sealed class IdentifiersTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("7")]
    [InlineData("Xilingol")]
    [InlineData("grid-3")]
    [InlineData("Hongqi_Community.2")]
    [InlineData("a-._")]
    public void Valid_place_ids(string id)
    {
        Assert.True(Identifiers.IsValidPlaceId(id));
    }

    [Fact]
    public void A_place_id_may_be_64_characters_but_not_65()
    {
        Assert.True(Identifiers.IsValidPlaceId(new string('p', Identifiers.MaxLength)));
        Assert.False(Identifiers.IsValidPlaceId(new string('p', Identifiers.MaxLength + 1)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("-grid")]
    [InlineData(".grid")]
    [InlineData("_grid")]
    [InlineData(" grid")]
    [InlineData("grid ")]
    [InlineData("grid 3")]
    [InlineData("grid/3")]
    [InlineData("grid+3")]
    [InlineData("grid:3")]
    [InlineData("社区")]
    [InlineData("gríd")]
    public void Invalid_place_ids(string? id)
    {
        Assert.False(Identifiers.IsValidPlaceId(id));
    }

    [Theory]
    [InlineData("li")]
    [InlineData("li.na")]
    [InlineData("zhao_lei-2")]
    [InlineData("07")]
    public void Valid_usernames(string username)
    {
        Assert.True(Identifiers.IsValidUsername(username));
    }

    [Fact]
    public void A_username_needs_2_to_64_characters()
    {
        Assert.False(Identifiers.IsValidUsername("l"));
        Assert.True(Identifiers.IsValidUsername(new string('u', Identifiers.MaxLength)));
        Assert.False(Identifiers.IsValidUsername(new string('u', Identifiers.MaxLength + 1)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Li.Na")]
    [InlineData("LI")]
    [InlineData("-li")]
    [InlineData(".li")]
    [InlineData("li na")]
    [InlineData("li@na")]
    [InlineData("李娜")]
    public void Invalid_usernames(string? username)
    {
        Assert.False(Identifiers.IsValidUsername(username));
    }

    [Theory]
    [InlineData("grid-3\n")]
    [InlineData("li.na\n")]
    public void An_id_with_a_trailing_newline_is_invalid(string id)
    {
        Assert.False(Identifiers.IsValidPlaceId(id));
        Assert.False(Identifiers.IsValidUsername(id));
    }

    [Theory]
    [InlineData("li.na", "li.na")]
    [InlineData("Li.Na", "li.na")]
    [InlineData("  ZHAO_LEI  ", "zhao_lei")]
    [InlineData("\tadmin\n", "admin")]
    public void NormalizeUsername_trims_and_lowers(string given, string normalized)
    {
        Assert.Equal(normalized, Identifiers.NormalizeUsername(given));
        Assert.True(Identifiers.IsValidUsername(Identifiers.NormalizeUsername(given)));
    }

    [Fact]
    public void NormalizeUsername_does_not_depend_on_the_current_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("tr-TR");

            Assert.Equal("admin.i", Identifiers.NormalizeUsername("ADMIN.I"));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
