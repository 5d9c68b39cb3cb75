using System.Collections.Immutable;
using System.Globalization;
using Dispatch.Notifications;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Notifications;

/// <summary>One delivery as the log shows it: what went where (the target's URL with its token hidden), when, and how it went. Never a secret, never the message text.</summary>
public sealed record DeliveryView(
    long Id,
    string Key,
    string Channel,
    string TargetId,
    string Target,
    string Title,
    DeliveryStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? FinishedAt,
    string? Detail);

/// <summary>A page of a place's delivery log, newest first.</summary>
public sealed record DeliveryLogPage(ImmutableArray<DeliveryView> Items, int Total, int Page);

/// <summary>A place's delivery log and its replay button (staff in scope, admins).</summary>
public static class DeliveriesApi
{
    public const int PageSize = 50;
    public const int MaxPage = 1000;

    public static RouteGroupBuilder MapDeliveriesApi(this RouteGroupBuilder api)
    {
        var places = api.MapGroup("/places").WithTags("Notifications").RequireAuthorization(AuthenticationSetup.StaffPolicy);
        places.MapGet("/{id}/deliveries", List)
            .WithSummary("A place's delivery log, newest first (staff in scope): status=pending|delivered|gaveUp|rejected|targetGone, page from 1.");
        places.MapPost("/{id}/deliveries/{deliveryId}/replay", Replay)
            .WithSummary("Sends a finished delivery again with the same dedupe key (staff in scope).");
        return api;
    }

    private static async Task<Results<Ok<DeliveryLogPage>, ValidationProblem, ProblemHttpResult>> List(
        string id, string? status, string? page, [AsParameters] CallContext call)
    {
        var errors = new Common.ValidationErrors();
        DeliveryStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (Enum.TryParse<DeliveryStatus>(status.Trim(), ignoreCase: true, out var parsed) && !int.TryParse(status, out _))
            {
                wanted = parsed;
            }
            else
            {
                errors.Add("status", "'status' must be pending, delivered, gaveUp, rejected or targetGone.");
            }
        }

        var number = Query.ParseInt(page, "page", 1, 1, MaxPage, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var grain = Channels(call, place.Id);
        var log = await grain.Deliveries(wanted, number, PageSize);
        var channels = await grain.Get();
        return TypedResults.Ok(new DeliveryLogPage([.. log.Items.Select(d => View(d, channels))], log.Total, log.Page));
    }

    private static async Task<Results<Ok<DeliveryView>, ValidationProblem, ProblemHttpResult>> Replay(
        string id, string deliveryId, [AsParameters] CallContext call)
    {
        if (!long.TryParse(deliveryId, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return Problems.Invalid("deliveryId", "'deliveryId' must be the number of one of the place's deliveries.");
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var grain = Channels(call, place.Id);
        var log = await grain.Deliveries(null, 1, int.MaxValue);
        if (log.Items.FirstOrDefault(d => d.Id == number) is not { } delivery)
        {
            return Problems.NotFound("Delivery", deliveryId);
        }

        if (delivery.Status == DeliveryStatus.Pending)
        {
            return Problems.Refusal(StatusCodes.Status409Conflict, "deliveryPending", "The delivery is still waiting for its next attempt.");
        }

        return await grain.Replay(number) is { } replayed
            ? TypedResults.Ok(View(replayed, await grain.Get()))
            : Problems.Refusal(StatusCodes.Status409Conflict, "targetRemoved", "The delivery's target was removed or disabled; change the place's channels first.");
    }

    private static DeliveryView View(Delivery delivery, PlaceChannels channels) => new(
        delivery.Id,
        delivery.Key,
        delivery.Channel,
        delivery.TargetId,
        TargetOf(delivery, channels),
        delivery.Title,
        delivery.Status,
        delivery.Attempts,
        delivery.CreatedAt,
        delivery.Status == DeliveryStatus.Pending ? delivery.NextAttemptAt : null,
        delivery.FinishedAt,
        delivery.Detail);

    private static string TargetOf(Delivery delivery, PlaceChannels channels) =>
        channels.Webhooks.FirstOrDefault(w => w.Id == delivery.TargetId) is { } webhook ? ChannelRules.Masked(webhook.Url)
        : channels.Robots.FirstOrDefault(r => r.Id == delivery.TargetId) is { } robot ? ChannelRules.Masked(robot.Url)
        : delivery.TargetId.StartsWith("email:", StringComparison.Ordinal) ? delivery.TargetId["email:".Length..]
        : "(removed)";

    private static IPlaceChannelsGrain Channels(CallContext call, string placeId) =>
        call.Grains.GetGrain<IPlaceChannelsGrain>(ChannelKeys.Place(placeId));
}
