using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dispatch.Common;
using Dispatch.Idempotency;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Requests;
using Microsoft.Extensions.Options;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>
/// Honours the <c>Idempotency-Key</c> header on authenticated POSTs: the first request with a key
/// runs and its answer is stored (in the key's grain); a retry with the same key and the same
/// request gets that answer again, marked <c>Idempotent-Replayed: true</c>, with no second effect.
/// An answer that shows a request is kept as the request's id and read again on replay through the
/// same privacy filter as any read; other answers are kept without any <c>beneficiary</c>,
/// <c>checkInCode</c> or <c>oneTimePassword</c>: no contact, code or password is stored with an answer.
/// </summary>
public sealed partial class IdempotencyMiddleware(
    RequestDelegate next,
    IGrainFactory grains,
    ScopeGuard scope,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    ILogger<IdempotencyMiddleware> logger)
{
    /// <summary>The members of a request that carry what may not be kept: the beneficiary's contact and the check-in code.</summary>
    private static readonly string[] PrivateMembers = ["beneficiary", "checkInCode", "oneTimePassword"];

    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;

    public async Task InvokeAsync(HttpContext context)
    {
        // Anonymous routes (the token route) change nothing and answer per call: never replayed.
        if (!HttpMethods.IsPost(context.Request.Method)
            || context.User.Identity?.IsAuthenticated != true
            || context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null
            || !context.Request.Headers.TryGetValue(Header, out var values))
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength)
        {
            await Problems.Invalid(Header, $"'{Header}' must be 1 to {MaxKeyLength} characters.").ExecuteAsync(context);
            return;
        }

        var grain = grains.GetGrain<IIdempotencyGrain>(GrainKeys.Idempotency(Hash($"{context.User.Username()}\n{key}")));
        var fingerprint = await Fingerprint(context.Request);
        var begin = await grain.Begin(fingerprint);
        switch (begin.Status)
        {
            case IdempotencyStatus.Completed:
                await Replay(context, begin.Response!, scope, json.Value.SerializerOptions);
                return;
            case IdempotencyStatus.InProgress:
                await Problems.From(Failure.Conflict("idempotencyKeyInUse",
                    "A request with this Idempotency-Key is still being processed; retry shortly.")).ExecuteAsync(context);
                return;
            case IdempotencyStatus.Mismatch:
                await TypedResults.Problem(
                    $"This {Header} was already used for a different request.",
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    extensions: new Dictionary<string, object?> { ["reason"] = "idempotencyKeyReused" }).ExecuteAsync(context);
                return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            await grain.Abandon(fingerprint);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        var status = context.Response.StatusCode;
        try
        {
            if (status < 500)
            {
                await grain.Complete(fingerprint, Keepable(
                    status,
                    context.Response.ContentType,
                    context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                    buffer.ToArray()));
            }
            else
            {
                await grain.Abandon(fingerprint);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The work is done (or refused) and its answer is in hand: give it to the client even
            // though it could not be kept for replay (a silo died with the call). The key's lease
            // runs out on its own; a retry meanwhile is told to wait, then runs again and gets the
            // request's current answer.
            LogNotRemembered(exception, status);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An answer ({Status}) could not be kept for Idempotency-Key replay")]
    private partial void LogNotRemembered(Exception exception, int status);

    /// <summary>
    /// What may be kept of an answer: a request as its id only; any other JSON without the private
    /// members (<see cref="PrivateMembers"/>) wherever they are; anything else as it is.
    /// </summary>
    private static StoredResponse Keepable(int status, string? contentType, string? location, byte[] body)
    {
        if (contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true || body.Length == 0)
        {
            return new StoredResponse(status, contentType, location, [.. body]);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return new StoredResponse(status, contentType, location, [.. body]);
        }

        if (status is >= 200 and < 300
            && node is JsonObject request
            && request["id"] is JsonValue id && id.TryGetValue<string>(out var text) && Guid.TryParse(text, out var requestId)
            && request.ContainsKey("communityId") && PrivateMembers.Any(request.ContainsKey))
        {
            return new StoredResponse(status, contentType, location, [], requestId);
        }

        return Scrub(node) ? new StoredResponse(status, contentType, location, [.. JsonSerializer.SerializeToUtf8Bytes(node)])
            : new StoredResponse(status, contentType, location, [.. body]);
    }

    /// <summary>Empties the private members wherever they are; true when there was one.</summary>
    private static bool Scrub(JsonNode? node)
    {
        var found = false;
        switch (node)
        {
            case JsonObject members:
                foreach (var name in PrivateMembers.Where(members.ContainsKey))
                {
                    members[name] = null;
                    found = true;
                }

                foreach (var (_, value) in members.ToList())
                {
                    found |= Scrub(value);
                }

                break;
            case JsonArray items:
                foreach (var item in items)
                {
                    found |= Scrub(item);
                }

                break;
        }

        return found;
    }

    private static async Task Replay(HttpContext context, StoredResponse response, ScopeGuard scope, JsonSerializerOptions json)
    {
        var body = response.Body.AsMemory();
        if (response.RequestId is { } id)
        {
            // The request as it is now, as this caller may see it now: the same filter as GET /api/requests/{id}.
            var found = await scope.Request(context.User.Caller(), id);
            if (found.Value is not (var request, var access))
            {
                await Problems.From(found.Failure!).ExecuteAsync(context);
                return;
            }

            body = JsonSerializer.SerializeToUtf8Bytes(request.Present(access), json);
        }

        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = response.ContentType;
        if (response.Location is { } location)
        {
            context.Response.Headers.Location = location;
        }

        context.Response.Headers[ReplayedHeader] = "true";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Method, path and a hash of the body: what makes two requests "the same request".</summary>
    private static async Task<string> Fingerprint(HttpRequest request)
    {
        request.EnableBuffering();
        var bodyHash = await SHA256.HashDataAsync(request.Body, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return $"{request.Method} {request.Path}{request.QueryString} {Convert.ToHexStringLower(bodyHash)}";
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A stable id for what one account creates under one key.</summary>
    public static Guid IdFor(string username, string key) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"request\n{username}\n{key}")).AsSpan(0, 16));
}
