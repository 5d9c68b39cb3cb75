using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Notifications;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Notifications;

/// <summary>A place's group robot as the API shows it: the URL with its token hidden, and whether a secret is set, never the secret.</summary>
public sealed record RobotChannelView(string Id, RobotKind Kind, string Url, bool SecretSet, ImmutableArray<AlertKind> Events, string? DisabledReason);

/// <summary>A place's webhook as the API shows it: the URL with its token hidden and how many secrets it has, never their values.</summary>
public sealed record WebhookChannelView(string Id, string Url, int Secrets, ImmutableArray<AlertKind> Events, string? DisabledReason);

/// <summary>Where a place's alerts go besides its staff's inboxes.</summary>
public sealed record PlaceChannelsView(
    string PlaceId, ImmutableArray<RobotChannelView> Robots, ImmutableArray<WebhookChannelView> Webhooks, ImmutableArray<string> Emails, ImmutableArray<AlertKind> EmailEvents)
{
    public static PlaceChannelsView Of(string placeId, PlaceChannels channels) => new(
        placeId,
        [.. channels.Robots.Select(r => new RobotChannelView(r.Id, r.Kind, ChannelRules.Masked(r.Url), r.Secret is not null, r.Events, r.DisabledReason))],
        [.. channels.Webhooks.Select(w => new WebhookChannelView(w.Id, ChannelRules.Masked(w.Url), w.Secrets.Length, w.Events, w.DisabledReason))],
        channels.Emails,
        channels.EmailEvents);
}

/// <summary>
/// One of a person's own e-mails or text messages as its owner sees it: which notice, by which
/// channel, and how it went (a delivery that gave up says so). Never the address, the phone or the text.
/// </summary>
public sealed record MyDeliveryView(
    long Id,
    string Channel,
    string Title,
    DeliveryStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? FinishedAt,
    string? Detail)
{
    public static MyDeliveryView Of(Delivery delivery) => new(
        delivery.Id, delivery.Channel, delivery.Title, delivery.Status, delivery.Attempts, delivery.CreatedAt,
        delivery.Status == DeliveryStatus.Pending ? delivery.NextAttemptAt : null, delivery.FinishedAt, delivery.Detail);
}

/// <summary>
/// Channel settings: a place's (staff in scope, admins), and the signed-in person's own (the
/// username comes from the token). Secrets are write-only: an existing robot or webhook named by
/// its id keeps its URL and secrets unless new ones are sent.
/// </summary>
public static class ChannelsApi
{
    public static RouteGroupBuilder MapChannelsApi(this RouteGroupBuilder api)
    {
        var places = api.MapGroup("/places").WithTags("Notifications").RequireAuthorization(AuthenticationSetup.StaffPolicy);
        places.MapGet("/{id}/channels", GetPlace)
            .WithSummary("A place's robots, webhooks and alert e-mail addresses (staff in scope); secrets are never shown, only whether they are set.");
        places.MapPut("/{id}/channels", PutPlace)
            .WithSummary("Replaces a place's channels (staff in scope); name an existing robot or webhook by id to keep its URL and secrets.");

        var me = api.MapGroup("/me").WithTags("Notifications");
        me.MapGet("/channels", GetMine)
            .WithSummary("My own channels: e-mail, phone for SMS, which kinds of notice go out beyond the inbox, and whether this server sends e-mail and SMS at all.");
        me.MapPut("/channels", PutMine)
            .WithSummary("Replaces my own channels.");
        me.MapGet("/deliveries", MyDeliveries)
            .WithSummary("My own e-mails and text messages: those waiting and the latest 50 finished, newest first, each with how it went.");
        return api;
    }

    private static async Task<Results<Ok<PlaceChannelsView>, ProblemHttpResult>> GetPlace(string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        return TypedResults.Ok(PlaceChannelsView.Of(place.Id, await Channels(call, place.Id).Get()));
    }

    private static async Task<Results<Ok<PlaceChannelsView>, ValidationProblem, ProblemHttpResult>> PutPlace(
        string id, PlaceChannelsChange body, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var result = await Channels(call, place.Id).Set(body);
        return result.Value is { } channels
            ? TypedResults.Ok(PlaceChannelsView.Of(place.Id, channels))
            : Problems.Invalid(result.ToValidationErrors());
    }

    private static async Task<Ok<PersonChannelsView>> GetMine([AsParameters] CallContext call) =>
        TypedResults.Ok(await Inbox(call).GetChannels());

    private static async Task<Results<Ok<PersonChannelsView>, ValidationProblem>> PutMine(PersonChannels body, [AsParameters] CallContext call)
    {
        var result = await Inbox(call).SetChannels(body);
        return result.Value is { } channels ? TypedResults.Ok(channels) : Problems.Invalid(result.ToValidationErrors());
    }

    private static async Task<Ok<ImmutableArray<MyDeliveryView>>> MyDeliveries([AsParameters] CallContext call) =>
        TypedResults.Ok<ImmutableArray<MyDeliveryView>>([.. (await Inbox(call).Deliveries()).Select(MyDeliveryView.Of)]);

    private static IPlaceChannelsGrain Channels(CallContext call, string placeId) =>
        call.Grains.GetGrain<IPlaceChannelsGrain>(ChannelKeys.Place(placeId));

    private static IInboxGrain Inbox(CallContext call) => call.Grains.GetGrain<IInboxGrain>(InboxKeys.Inbox(call.Caller.Username));
}
