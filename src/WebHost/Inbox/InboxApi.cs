using System.Globalization;
using Dispatch.Common;
using Dispatch.Notifications;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Inbox;

/// <summary>What marking everything read did: how many notices were unread, and how many are now (none).</summary>
public sealed record InboxReadAll(int Marked, int Unread);

/// <summary>
/// The signed-in person's own inbox: every account has one, and nobody reads another's (the
/// username comes from the token, never from the route). Mapped beside the <c>/api</c> group, whose
/// default policy refuses unit contacts and department accounts: the inbox policy admits them too.
/// </summary>
public static class InboxApi
{
    public static WebApplication MapInboxApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/inbox").WithTags("Inbox").RequireAuthorization(AuthenticationSetup.InboxPolicy);
        group.MapGet("/", List)
            .WithSummary("My notices, newest first ({items, total, page, unread}); unread=true for the unread ones only; page from 1, pageSize up to 100.");
        group.MapPost("/{id}/read", MarkRead)
            .WithSummary("Marks one of my notices read (again: no change); answers the notice.");
        group.MapPost("/read-all", MarkAllRead)
            .WithSummary("Marks all my notices read; answers how many were unread.");
        return app;
    }

    private static async Task<Results<Ok<InboxPage>, ValidationProblem>> List(
        string? unread, string? page, string? pageSize, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors();
        var unreadOnly = ParseFlag(unread, "unread", errors);
        var paging = Query.Paging(page, pageSize, InboxLimits.DefaultPageSize, InboxLimits.MaxPageSize, errors, InboxLimits.MaxPage);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        return TypedResults.Ok(await Inbox(call).List(unreadOnly, paging.Number, paging.Size));
    }

    private static async Task<Results<Ok<InboxItem>, ValidationProblem, ProblemHttpResult>> MarkRead(string id, [AsParameters] CallContext call)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return Problems.Invalid("id", "'id' must be the number of one of your notices.");
        }

        return await Inbox(call).MarkRead(number) is { } item
            ? TypedResults.Ok(item)
            : Problems.NotFound("Notice", id);
    }

    private static async Task<Ok<InboxReadAll>> MarkAllRead([AsParameters] CallContext call) =>
        TypedResults.Ok(new InboxReadAll(await Inbox(call).MarkAllRead(), 0));

    private static IInboxGrain Inbox(CallContext call) => call.Grains.GetGrain<IInboxGrain>(InboxKeys.Inbox(call.Caller.Username));

    private static bool ParseFlag(string? value, string name, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        if (bool.TryParse(value.Trim(), out var flag))
        {
            return flag;
        }

        errors.Add(name, $"'{name}' must be true or false.");
        return false;
    }
}
