using Dispatch.Common;
using Dispatch.Shop;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Shop;

/// <summary>The rules of a shop item's picture: its type told by its first bytes, its size bounded, its tag and address.</summary>
public sealed class ShopPictureTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, .. "IHDR"u8];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, .. "JFIF"u8];
    private static readonly byte[] WebP = [.. "RIFF"u8, 0x24, 0, 0, 0, .. "WEBPVP8 "u8];

    [Fact]
    public void Jpeg_png_and_webp_are_told_by_their_first_bytes()
    {
        Assert.Equal(ShopPictures.Png, ShopPictures.Detect(Png));
        Assert.Equal(ShopPictures.Jpeg, ShopPictures.Detect(Jpeg));
        Assert.Equal(ShopPictures.WebP, ShopPictures.Detect(WebP));
    }

    [Theory]
    [InlineData("GIF89a")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")]
    [InlineData("<html><script>alert(1)</script>")]
    [InlineData("%PDF-1.7")]
    [InlineData("RIFF\u0024\0\0\0WAVEfmt ")]
    [InlineData("")]
    public void Anything_else_is_no_picture_whatever_it_is_called(string text) =>
        Assert.Null(ShopPictures.Detect(System.Text.Encoding.Latin1.GetBytes(text)));

    [Fact]
    public void A_cut_off_signature_is_no_picture()
    {
        Assert.Null(ShopPictures.Detect(Png.AsSpan(0, 7)));
        Assert.Null(ShopPictures.Detect(Jpeg.AsSpan(0, 2)));
        Assert.Null(ShopPictures.Detect(WebP.AsSpan(0, 11)));
    }

    [Fact]
    public void Empty_too_large_and_wrong_type_are_refused_naming_the_field()
    {
        var empty = ShopPictures.Check(0, []);
        var large = ShopPictures.Check(ShopPictures.MaxBytes + 1, Png);
        var text = ShopPictures.Check(100, "hello, world"u8);

        Assert.Equal(
            [(ShopPictures.Reasons.Empty, "file"), (ShopPictures.Reasons.TooLarge, "file"), (ShopPictures.Reasons.Type, "file")],
            new[] { empty, large, text }.Select(f => (f!.Code, f.Field!)));
        Assert.All(new[] { empty, large, text }, f => Assert.Equal(FailureKind.Invalid, f!.Kind));
    }

    [Fact]
    public void A_picture_of_exactly_one_megabyte_is_kept()
    {
        Assert.Null(ShopPictures.Check(ShopPictures.MaxBytes, Jpeg));
        Assert.Equal(1_048_576, ShopPictures.MaxBytes);
    }

    [Fact]
    public void The_same_bytes_have_the_same_tag_and_other_bytes_another()
    {
        var tag = ShopPictures.Tag(Png);

        Assert.Equal(16, tag.Length);
        Assert.Equal(tag, ShopPictures.Tag([.. Png]));
        Assert.NotEqual(tag, ShopPictures.Tag(Jpeg));
    }

    [Fact]
    public void An_item_names_its_picture_by_an_address_that_changes_with_it()
    {
        var item = ShopItem.Create(Guid.NewGuid(), Given.CommunityId, new NewShopItem("Thermos cup", 15, 3), "grid.wang", Given.Morning);
        Assert.Null(item.ToView().Picture);

        Assert.True(item.SetPicture("0123456789abcdef", Given.Morning.AddMinutes(1)));
        Assert.False(item.SetPicture("0123456789abcdef", Given.Morning.AddMinutes(2)));
        var view = item.ToView();

        Assert.Equal($"/api/shop/items/{item.Id}/picture?v=0123456789abcdef", view.Picture);
        Assert.Equal((2L, Given.Morning.AddMinutes(1)), (view.Version, view.UpdatedAt));
        Assert.True(item.SetPicture(null, Given.Morning.AddMinutes(3)));
        Assert.Null(item.ToView().Picture);
    }
}
