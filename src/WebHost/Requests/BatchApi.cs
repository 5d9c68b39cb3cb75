using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Dispatch.Common;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Requests;

/// <summary>The items are read one by one, so that one of the wrong shape is refused alone.</summary>
public sealed record BatchCreateBody(JsonElement[]? Items);

/// <summary>Why one item of a batch was not created: what a single create would have answered, as problem details.</summary>
/// <param name="Codes">
/// Beside <paramref name="Errors"/>, keyed and ordered alike: each message's stable code
/// (<c>required</c>, <c>tooLong</c>, <c>outOfRange</c>, <c>notOneOf</c>, <c>notNumber</c>,
/// <c>unknownCommunity</c>…), for a reader that shows the reason in its own language.
/// </param>
public sealed record BatchItemProblem(
    int Status,
    string Title,
    string? Detail,
    string Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IDictionary<string, string[]>? Errors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IDictionary<string, string[]>? Codes = null);

/// <summary>One item's answer: its <see cref="Id"/> when created (or already created by the same caller), else its <see cref="Problem"/>.</summary>
public sealed record BatchItemResult(
    int Index,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BatchItemProblem? Problem);

public sealed record BatchCreateResult(ImmutableArray<BatchItemResult> Results);

/// <summary>
/// <c>POST /api/requests/batch</c>: publishes up to <see cref="MaxItems"/> requests in one call,
/// each checked and created on its own exactly as <c>POST /api/requests</c> would (a bad item is
/// answered with its problem and blocks nothing). With an <c>Idempotency-Key</c> the whole answer
/// is kept and replayed, and each item's id follows from the key and its index, so a retry after
/// a lost answer reaches the same requests.
/// </summary>
public static class BatchApi
{
    public const int MaxItems = 1000;

    /// <summary>Items created at once: enough to keep the silo busy, few enough not to crowd out other callers.</summary>
    private const int Parallelism = 16;

    public static RouteGroupBuilder MapBatchApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/requests").WithTags("Requests")
            .MapPost("/batch", CreateBatch).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Publish up to 1,000 requests in communities inside your scope (staff): each item created or refused on its own.");
        return api;
    }

    private static async Task<Results<Ok<BatchCreateResult>, ValidationProblem>> CreateBatch(
        BatchCreateBody body, [AsParameters] CallContext call, HttpRequest http, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        if (body.Items is not { Length: > 0 and <= MaxItems } items)
        {
            return Problems.Invalid("items", $"'items' must hold 1 to {MaxItems} requests.");
        }

        var key = http.Headers.TryGetValue(IdempotencyMiddleware.Header, out var header) && header.ToString() is { Length: > 0 } k ? k : null;
        var results = new BatchItemResult[items.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, items.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = http.HttpContext.RequestAborted },
            async (index, _) =>
            {
                var id = key is null ? Guid.NewGuid() : IdempotencyMiddleware.IdFor(call.Caller.Username, $"{key}\nbatch:{index}");
                results[index] = Read(items[index], json.Value.SerializerOptions) is not { } item
                    ? Refused(index, new ValidationErrors().Add($"items[{index}]", "An item must be a request object of the create route's shape."))
                    : await Publish(index, item, id, call);
            });
        return TypedResults.Ok(new BatchCreateResult([.. results]));
    }

    private static CreateRequestBody? Read(JsonElement item, JsonSerializerOptions options)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        try
        {
            return item.Deserialize<CreateRequestBody>(options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One item created or refused, as a single create would answer (the sheet import's path too).</summary>
    internal static Task<BatchItemResult> Publish(int index, CreateRequestBody item, Guid id, CallContext call) =>
        Answered(index, async () =>
        {
            var (created, invalid, refused) = await RequestsApi.Publish(item, id, call);
            return created is not null ? new BatchItemResult(index, created.Id, null)
                : invalid is not null ? Refused(index, invalid)
                : Refused(index, refused!);
        });

    /// <summary>
    /// The item's answer, also when the cluster or its storage did not answer for it: that item is
    /// told <c>503 temporarilyUnavailable</c> (send it again; with the batch's Idempotency-Key it is
    /// made at most once) and the others keep theirs, created or refused, instead of one 503 for all.
    /// </summary>
    public static async Task<BatchItemResult> Answered(int index, Func<Task<BatchItemResult>> publish)
    {
        try
        {
            return await publish();
        }
        catch (Exception exception) when (UnavailableExceptionHandler.IsUnavailable(exception))
        {
            return new(index, null, Unavailable("The cluster or its storage did not answer in time for this item; send it again."));
        }
    }

    /// <summary>An item's <c>503 temporarilyUnavailable</c>: the cluster or its storage did not answer for it.</summary>
    internal static BatchItemProblem Unavailable(string detail) => new(
        StatusCodes.Status503ServiceUnavailable, Problems.Title(StatusCodes.Status503ServiceUnavailable), detail, "temporarilyUnavailable", null);

    internal static BatchItemResult Refused(int index, ValidationErrors errors) =>
        new(index, null, new BatchItemProblem(
            StatusCodes.Status400BadRequest, "The request is not valid.", null, "invalid", errors.ToDictionary(), errors.Codes()));

    internal static BatchItemResult Refused(int index, Failure failure)
    {
        var status = Problems.From(failure).StatusCode;
        return new(index, null, new BatchItemProblem(
            status, Problems.Title(status), failure.Detail, failure.Code,
            failure.Field is { } field ? new Dictionary<string, string[]> { [field] = [failure.Detail] } : null,
            failure.Field is { } coded ? new Dictionary<string, string[]> { [coded] = [failure.Code] } : null));
    }
}
