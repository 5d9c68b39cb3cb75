using System.Net;
using System.Net.Http.Headers;
using Dispatch.IntegrationTests.Support;
using Dispatch.Shop;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// A shop item's picture (PUT, DELETE and GET /api/shop/items/{id}/picture): staff in the item's
/// scope upload, replace and remove it; anyone reads it by the item's id, with its type, ETag and
/// a 304 for a copy still current; refused uploads name the field 'file' and change nothing.
/// </summary>
public sealed class ShopPictureApiTests(WorldFixture fixture) : IClassFixture<WorldFixture>
{
    private World World => fixture.World;

    [Fact]
    public async Task Staff_upload_a_picture_and_anyone_reads_it_from_the_address_the_item_names()
    {
        using var staff = await World.As("staff-t1");
        using var anonymous = World.App.Anonymous();
        var item = await NewItem(staff, "Thermos cup");
        Assert.Null(item.Picture);
        await DispatchClient.Problem(await anonymous.Get($"/api/shop/items/{item.Id}/picture"), HttpStatusCode.NotFound);

        var png = TestPictures.Png(TestPictures.Product.Thermos, 64);
        var uploaded = await Upload(staff, item.Id, png, "image/png", HttpStatusCode.OK);

        Assert.Equal($"/api/shop/items/{item.Id}/picture?v={ShopPictures.Tag(png)}", uploaded.Picture);
        Assert.True(uploaded.Version > item.Version);
        Assert.Equal(uploaded, await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}"));
        Assert.Equal(uploaded.Picture, (await staff.GetOk<ShopItems>("/api/places/m1/shop/items")).Items.Single(i => i.Id == item.Id).Picture);

        using var read = await anonymous.Get(uploaded.Picture!);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(png, await read.Content.ReadAsByteArrayAsync());
        Assert.Equal("image/png", read.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"\"{ShopPictures.Tag(png)}\"", read.Headers.ETag!.Tag);
        Assert.Equal("nosniff", read.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(read.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromDays(365), read.Headers.CacheControl.MaxAge);

        // At another address (no version) it is checked each time, and a current copy is a 304.
        using var unversioned = await anonymous.Get($"/api/shop/items/{item.Id}/picture");
        Assert.True(unversioned.Headers.CacheControl!.NoCache);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/shop/items/{item.Id}/picture");
        conditional.Headers.IfNoneMatch.Add(read.Headers.ETag);
        using var notModified = await anonymous.Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_new_picture_replaces_the_old_one_at_a_new_address_and_removing_it_leaves_none()
    {
        using var staff = await World.As("staff-t1");
        using var anonymous = World.App.Anonymous();
        var item = await NewItem(staff, "Rice 5kg");
        var first = await Upload(staff, item.Id, TestPictures.Png(TestPictures.Product.Rice, 48), "image/png", HttpStatusCode.OK);
        var jpeg = Jpeg();

        // The declared type is not believed: the bytes are a JPEG, and a JPEG is served.
        var second = await Upload(staff, item.Id, jpeg, "application/octet-stream", HttpStatusCode.OK);
        Assert.NotEqual(first.Picture, second.Picture);
        using (var stale = new HttpRequestMessage(HttpMethod.Get, second.Picture))
        {
            stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{first.Picture![^16..]}\""));
            using var read = await anonymous.Http.SendAsync(stale);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("image/jpeg", read.Content.Headers.ContentType!.MediaType);
            Assert.Equal(jpeg, await read.Content.ReadAsByteArrayAsync());
        }

        // The same bytes again change nothing.
        Assert.Equal(second, await Upload(staff, item.Id, jpeg, "image/jpeg", HttpStatusCode.OK));

        using var removed = await staff.Http.DeleteAsync($"/api/shop/items/{item.Id}/picture");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Null((await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}")).Picture);
        await DispatchClient.Problem(await anonymous.Get(second.Picture!), HttpStatusCode.NotFound);
        using var again = await staff.Http.DeleteAsync($"/api/shop/items/{item.Id}/picture");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Wrong_type_too_large_and_empty_uploads_name_the_field_and_change_nothing()
    {
        using var staff = await World.As("staff-t1");
        var item = await NewItem(staff, "Soap");
        var kept = await Upload(staff, item.Id, TestPictures.Png(TestPictures.Product.Soap, 32), "image/png", HttpStatusCode.OK);

        var cases = new (byte[] Bytes, string Declared, string Reason)[]
        {
            ("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray(), "image/png", ShopPictures.Reasons.Type),
            ("GIF89a\u0001\0\u0001\0"u8.ToArray(), "image/gif", ShopPictures.Reasons.Type),
            ([0x89, 0x50, 0x4E, 0x47, .. new byte[ShopPictures.MaxBytes]], "image/png", ShopPictures.Reasons.TooLarge),
            ([], "image/png", ShopPictures.Reasons.Empty),
        };
        foreach (var (bytes, declared, reason) in cases)
        {
            var problem = await DispatchClient.Problem(await Send(staff, item.Id, bytes, declared), HttpStatusCode.BadRequest);
            Assert.Equal(reason, problem["reason"]!.GetValue<string>());
            Assert.Equal(["file"], problem["errors"]!.AsObject().Select(e => e.Key));
        }

        // Not a form at all, or a form without the field.
        using var raw = new ByteArrayContent(TestPictures.Png(TestPictures.Product.Soap, 16));
        raw.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var notForm = await DispatchClient.Problem(await staff.Http.PutAsync($"/api/shop/items/{item.Id}/picture", raw), HttpStatusCode.BadRequest);
        Assert.Equal(["file"], notForm["errors"]!.AsObject().Select(e => e.Key));
        using var otherField = new MultipartFormDataContent { { new ByteArrayContent(TestPictures.Png(TestPictures.Product.Soap, 16)), "picture", "soap.png" } };
        await DispatchClient.Problem(await staff.Http.PutAsync($"/api/shop/items/{item.Id}/picture", otherField), HttpStatusCode.BadRequest);

        Assert.Equal(kept, await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}"));
        using var anonymous = World.App.Anonymous();
        using var read = await anonymous.Get(kept.Picture!);
        Assert.Equal("image/png", read.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Staff_outside_the_items_place_and_volunteers_cannot_upload_or_remove()
    {
        using var staff = await World.As("staff-t1");
        using var far = await World.As("staff-m3");
        using var volunteer = await World.As(World.Volunteer("m1", 1));
        var item = await NewItem(staff, "Towel");
        var png = TestPictures.Png(TestPictures.Product.Soap, 24);

        var refused = await DispatchClient.Problem(await Send(far, item.Id, png, "image/png"), HttpStatusCode.Forbidden);
        Assert.Equal("outOfScope", refused["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(volunteer, item.Id, png, "image/png")).StatusCode);
        await DispatchClient.Problem(await Send(staff, Guid.NewGuid(), png, "image/png"), HttpStatusCode.NotFound);
        Assert.Null((await staff.GetOk<ShopItemView>($"/api/shop/items/{item.Id}")).Picture);

        var kept = await Upload(staff, item.Id, png, "image/png", HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await far.Http.DeleteAsync($"/api/shop/items/{item.Id}/picture")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await volunteer.Http.DeleteAsync($"/api/shop/items/{item.Id}/picture")).StatusCode);
        Assert.Equal(kept.Picture, (await volunteer.GetOk<ShopItemView>($"/api/shop/items/{item.Id}")).Picture);
    }

    /// <summary>A minimal JPEG header and some bytes: enough to be told a JPEG by its first bytes.</summary>
    private static byte[] Jpeg() => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9];

    private static Task<ShopItemView> NewItem(DispatchClient staff, string name) =>
        staff.PostOk<ShopItemView>("/api/places/m1/shop/items", new { name, cost = 10, stock = 3 }, HttpStatusCode.Created);

    private static async Task<HttpResponseMessage> Send(DispatchClient client, Guid id, byte[] bytes, string declared)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(declared);
        using var form = new MultipartFormDataContent { { file, "file", "picture" } };
        return await client.Http.PutAsync($"/api/shop/items/{id}/picture", form);
    }

    private static async Task<ShopItemView> Upload(DispatchClient client, Guid id, byte[] bytes, string declared, HttpStatusCode status)
    {
        using var response = await Send(client, id, bytes, declared);
        await DispatchClient.Expect(response, status);
        return (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<ShopItemView>(response.Content, DispatchClient.Json))!;
    }
}
