using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.Shop;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Dispatch.WebHost.Shop;

public sealed record CreateShopItemBody(string? Name, int? Cost, int? Stock);

public sealed record CancelOrderBody(string? Reason);

/// <summary>Staff's changes to a shop item: each field left out stays as it is.</summary>
public sealed record EditShopItemBody(string? Name, int? Cost, int? Stock);

public sealed record ShopOrdersResponse(Guid ItemId, ImmutableArray<ShopOrderView> Orders);

public sealed record MyShopOrdersResponse(ImmutableArray<ShopOrderView> Orders);

public static class ShopApi
{
    public static RouteGroupBuilder MapShopApi(this RouteGroupBuilder api)
    {
        var shops = api.MapGroup("/places").WithTags("Shop");
        shops.MapPost("/{id}/shop/items", CreateItem).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Put an item in the points shop of a place inside your scope (staff).");
        shops.MapGet("/{id}/shop/items", GetItems)
            .WithSummary("The items of a place's points shop: staff in scope, and volunteers of that place or below it.");

        var items = api.MapGroup("/shop/items").WithTags("Shop");
        items.MapGet("/{id:guid}", GetItem).WithSummary("A shop item with its stock.");
        items.MapPatch("/{id:guid}", EditItem).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Change an item's name, price or stock (staff in scope); orders already made keep their price.");
        items.MapPut("/{id:guid}/picture", PutPicture).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .DisableAntiforgery().AcceptsFile("A JPEG, PNG or WebP picture (told by its first bytes), at most 1 MB.")
            .WithMetadata(new RequestSizeLimitAttribute(PictureRequestLimit))
            .WithSummary("Give the item a picture, or replace it (staff in scope): a JPEG, PNG or WebP of at most 1 MB in the multipart form field 'file'.");
        items.MapDelete("/{id:guid}/picture", DeletePicture).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Take the item's picture away (staff in scope).");
        items.MapGet("/{id:guid}/picture", GetPicture).AllowAnonymous()
            .Produces<Stream>(StatusCodes.Status200OK, ShopPictures.Jpeg, ShopPictures.Png, ShopPictures.WebP)
            .Produces(StatusCodes.Status304NotModified)
            .WithSummary("The item's picture (anonymous, so that an <img> shows it: shop items are not secret and the item id is unguessable). ETag and If-None-Match; 404 when it has none.");
        items.MapPost("/{id:guid}/redeem", Redeem).RequireAuthorization(AuthenticationSetup.VolunteerPolicy)
            .WithSummary("Spend points on one unit (volunteers of the item's place or below). 409 outOfStock or insufficientPoints.");
        api.MapGroup("/shop/orders").WithTags("Shop").MapGet("/mine", GetMyOrders).RequireAuthorization(AuthenticationSetup.VolunteerPolicy)
            .WithSummary("The signed-in volunteer's orders at every shop they may buy from (their community's and the places above it), newest first.");
        items.MapGet("/{id:guid}/orders", GetOrders).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The item's orders, newest first (staff in scope).");
        items.MapPost("/{id:guid}/orders/{orderId}/fulfil", Fulfil).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Hand the goods over: pending → fulfilled (staff in scope).");
        items.MapPost("/{id:guid}/orders/{orderId}/cancel", Cancel)
            .WithSummary("Cancel a pending order, with a reason: the points are refunded and the unit goes back (staff in scope, or the buyer).");
        return api;
    }

    private static async Task<Results<Created<ShopItemView>, ValidationProblem, ProblemHttpResult>> CreateItem(
        string id, CreateShopItemBody body, [AsParameters] CallContext call, HttpRequest http)
    {
        var spec = new NewShopItem(body.Name ?? "", body.Cost ?? ShopLimits.MinCost, body.Stock ?? ShopLimits.MinStock);
        var errors = ShopLimits.Validate(spec)
            .Require(body.Cost is not null, "cost", "'cost' is required.")
            .Require(body.Stock is not null, "stock", "'stock' is required.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        // Volunteers belong to communities, which lie above grids: a grid's shop could sell to no one.
        if (place.Kind == PlaceKind.Grid)
        {
            return Problems.Invalid("placeId", $"'{id}' is a grid; a shop belongs to a community or a place above it.");
        }

        // With an Idempotency-Key the id follows from it (and the place), so a retry after a lost
        // answer reaches the same item instead of creating a second one.
        var itemId = http.Headers.TryGetValue(IdempotencyMiddleware.Header, out var key) && key.ToString() is { Length: > 0 } k
            ? IdempotencyMiddleware.IdFor(call.Caller.Username, $"{k}\nshop:{place.Id}")
            : Guid.NewGuid();
        var outcome = await call.Grains.GetGrain<IShopGrain>(GrainKeys.Shop(place.Id)).AddItem(itemId, spec, call.Caller.Actor);
        return outcome.Value is { } item
            ? TypedResults.Created($"/api/shop/items/{item.Id}", item)
            : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<ShopItems>, ProblemHttpResult>> GetItems(
        string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.BrowsedPlace(call.Caller, id, $"The shop of '{id}' is outside your call.Scope.");
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        return TypedResults.Ok(await call.Grains.GetGrain<IShopGrain>(GrainKeys.Shop(place.Id)).GetItems());
    }

    private static async Task<Results<Ok<ShopItemView>, ValidationProblem, ProblemHttpResult>> EditItem(
        Guid id, EditShopItemBody body, [AsParameters] CallContext call)
    {
        var edit = new ShopItemEdit(body.Name, body.Cost, body.Stock);
        var errors = ShopLimits.Validate(edit);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (await call.Scope.ShopItem(call.Caller, id, browse: false) is { Failure: { } refused })
        {
            return Problems.From(refused);
        }

        var outcome = await call.Grains.GetGrain<IShopItemGrain>(id).Edit(edit, call.Caller.Actor);
        return outcome.Value is { } item ? TypedResults.Ok(item) : Problems.From(outcome.Failure!);
    }

    /// <summary>
    /// What a picture upload may carry in all: the 1 MB picture, the form around it, and room for a
    /// photo sent as it is, so that it is refused with a problem naming the field, not cut off.
    /// </summary>
    private const long PictureRequestLimit = 8 * 1024 * 1024;

    private static async Task<Results<Ok<ShopItemView>, ProblemHttpResult>> PutPicture(
        Guid id, [AsParameters] CallContext call, HttpRequest http)
    {
        // The scope first: a picture of an item outside it is not read at all.
        if (await call.Scope.ShopItem(call.Caller, id, browse: false) is { Failure: { } refused })
        {
            return Problems.From(refused);
        }

        var read = await ReadPicture(http);
        if (read.Value is not { } bytes)
        {
            return Problems.From(read.Failure!);
        }

        var outcome = await call.Grains.GetGrain<IShopItemGrain>(id).SetPicture(bytes, call.Caller.Actor);
        return outcome.Value is { } item ? TypedResults.Ok(item) : Problems.From(outcome.Failure!);
    }

    /// <summary>The bytes of the form field <c>file</c>, checked (<see cref="ShopPictures.Check"/>), or why not.</summary>
    private static async Task<Outcome<byte[]>> ReadPicture(HttpRequest http)
    {
        var missing = new Failure(FailureKind.Invalid, ShopPictures.Reasons.Empty,
            $"Send the picture as the field '{ShopPictures.Field}' of a multipart/form-data body.", ShopPictures.Field);
        if (!http.HasFormContentType)
        {
            return missing;
        }

        IFormCollection form;
        try
        {
            form = await http.ReadFormAsync(http.HttpContext.RequestAborted);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or BadHttpRequestException)
        {
            // A malformed or truncated form, or one over the request's limit.
            return missing with { Detail = $"The form could not be read ({exception.Message}); send the picture as the field '{ShopPictures.Field}'." };
        }

        if (form.Files.GetFile(ShopPictures.Field) is not { } file)
        {
            return missing;
        }

        var head = new byte[16];
        var headLength = 0;
        if (file.Length is > 0 and <= ShopPictures.MaxBytes)
        {
            await using var stream = file.OpenReadStream();
            headLength = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, http.HttpContext.RequestAborted);
        }

        if (ShopPictures.Check(file.Length, head.AsSpan(0, headLength)) is { } refused)
        {
            return refused;
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, http.HttpContext.RequestAborted);
        }

        return bytes;
    }

    private static async Task<Results<Ok<ShopItemView>, ProblemHttpResult>> DeletePicture(
        Guid id, [AsParameters] CallContext call)
    {
        if (await call.Scope.ShopItem(call.Caller, id, browse: false) is { Failure: { } refused })
        {
            return Problems.From(refused);
        }

        var outcome = await call.Grains.GetGrain<IShopItemGrain>(id).RemovePicture(call.Caller.Actor);
        return outcome.Value is { } item ? TypedResults.Ok(item) : Problems.From(outcome.Failure!);
    }

    /// <summary>
    /// The picture's bytes with their type and tag. Read at the address an item's view names (its
    /// <c>v</c> is the tag), it may be kept for a year: a new picture has a new address. Read at
    /// any other, it is checked again each time (If-None-Match answers 304).
    /// </summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetPicture(
        Guid id, string? v, IGrainFactory grains, HttpResponse response)
    {
        if (await grains.GetGrain<IShopItemPictureGrain>(id).Get() is not { } picture)
        {
            return Problems.NotFound("Picture of shop item", id.ToString());
        }

        response.Headers.CacheControl = v == picture.Tag ? "public, max-age=31536000, immutable" : "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.File(picture.Bytes, picture.ContentType,
            lastModified: picture.UpdatedAt, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{picture.Tag}\""));
    }

    private static async Task<Results<Ok<ShopItemView>, ProblemHttpResult>> GetItem(
        Guid id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.ShopItem(call.Caller, id, browse: true);
        return found.Value is { } item ? TypedResults.Ok(item) : Problems.From(found.Failure!);
    }

    private static async Task<Results<Ok<ShopOrderView>, ProblemHttpResult>> Redeem(
        Guid id, [AsParameters] CallContext call, HttpRequest http)
    {
        if (await call.Scope.ShopItem(call.Caller, id, browse: true, $"Shop item '{id}' is sold outside your community.") is { Failure: { } refused })
        {
            return Problems.From(refused);
        }

        // With an Idempotency-Key the order id follows from it (and the item, since ledger keys
        // name orders), so a retry after a lost answer finds the same order and debits once.
        var orderId = http.Headers.TryGetValue(IdempotencyMiddleware.Header, out var key) && key.ToString() is { Length: > 0 } k
            ? IdempotencyMiddleware.IdFor(call.Caller.Username, $"{k}\nredeem:{id}")
            : Guid.NewGuid();
        var outcome = await call.Grains.GetGrain<IShopItemGrain>(id).Redeem(orderId, new ShopBuyer(call.Caller.Username, call.Caller.PlaceId));
        return outcome.Value is { } order ? TypedResults.Ok(order) : Problems.From(outcome.Failure!);
    }

    private static async Task<Results<Ok<ShopOrdersResponse>, ValidationProblem, ProblemHttpResult>> GetOrders(
        Guid id, string? status, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var filter = Query.ParseEnum<OrderStatus>(status, "status", errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (await call.Scope.ShopItem(call.Caller, id, browse: false) is { Failure: { } refused })
        {
            return Problems.From(refused);
        }

        var orders = await call.Grains.GetGrain<IShopItemGrain>(id).GetOrders() ?? [];
        return TypedResults.Ok(new ShopOrdersResponse(id, filter is { } only ? [.. orders.Where(o => o.Status == only)] : orders));
    }

    private static async Task<Ok<MyShopOrdersResponse>> GetMyOrders([AsParameters] CallContext call)
    {
        // A volunteer buys from their community's shop and the shops above it: the place's path.
        var caller = call.Caller;
        var home = await call.Scope.Places.Find(caller.PlaceId);
        var shops = home?.Path ?? [];
        var perShop = await Task.WhenAll(shops.Select(placeId =>
            call.Grains.GetGrain<IShopGrain>(GrainKeys.Shop(placeId)).GetOrdersOf(caller.Username)));
        return TypedResults.Ok(new MyShopOrdersResponse(
            [.. perShop.SelectMany(orders => orders).OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id)]));
    }

    private static Task<Results<Ok<ShopOrderView>, ValidationProblem, ProblemHttpResult>> Fulfil(
        Guid id, string orderId, [AsParameters] CallContext call) =>
        Change(id, orderId, call, (grain, order, actor) => grain.Fulfil(order, actor));

    private static Task<Results<Ok<ShopOrderView>, ValidationProblem, ProblemHttpResult>> Cancel(
        Guid id, string orderId, CancelOrderBody body, [AsParameters] CallContext call) =>
        Change(
            id, orderId, call, (grain, order, actor) => grain.Cancel(order, actor, body.Reason!),
            new ValidationErrors().RequireText(body.Reason, "reason", ShopLimits.MaxCancelReason));

    /// <summary>
    /// Refuses invalid input first; then staff act only inside the item's scope, and the grain
    /// decides the rest (the order's status, whether a volunteer is its buyer).
    /// </summary>
    private static async Task<Results<Ok<ShopOrderView>, ValidationProblem, ProblemHttpResult>> Change(
        Guid id,
        string orderId,
        CallContext call,
        Func<IShopItemGrain, Guid, Actor, Task<Outcome<ShopOrderView>>> change,
        ValidationErrors? errors = null)
    {
        if (errors is { IsEmpty: false })
        {
            return Problems.Invalid(errors);
        }

        var caller = call.Caller;
        var found = await call.Scope.ShopItem(caller, id, browse: false);
        if (found.Failure is { Kind: FailureKind.NotFound } missing)
        {
            return Problems.From(missing);
        }

        // Order ids are UUIDs; anything else names no order (told before the scope, as ever).
        if (!Guid.TryParse(orderId, out var order))
        {
            return Problems.NotFound("Order", orderId);
        }

        if (found.Failure is { } refused)
        {
            return Problems.From(refused);
        }

        var outcome = await change(call.Grains.GetGrain<IShopItemGrain>(id), order, caller.Actor);
        return outcome.Value is { } changed ? TypedResults.Ok(changed) : Problems.From(outcome.Failure!);
    }

}
