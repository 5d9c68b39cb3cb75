using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Dispatch.Common;
using Dispatch.Requests;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Dispatch.WebHost.Requests;

/// <summary>
/// The 409 answer to a claim that lost (<see cref="ClaimRefusals"/>), as RFC 9457 problem details
/// with its <c>reason</c>: the same members <see cref="Infrastructure.Problems.From"/> gives every
/// other refusal (type, title, status, detail, reason, traceId), its bytes made once per reason,
/// since in a storm nearly every attempt gets one. Only the request's trace id is written per answer.
/// </summary>
public sealed class LostClaim : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public const string Title = "Claim lost.";
    private const string ProblemJson = "application/problem+json";
    private const string ConflictType = "https://tools.ietf.org/html/rfc9110#section-15.5.10";

    // One per refusal that is a 409, from the same failures the grain answers with.
    private static readonly FrozenDictionary<string, LostClaim> ByReason = ClaimRefusals.All
        .Where(failure => failure.Kind == FailureKind.Conflict)
        .ToFrozenDictionary(failure => failure.Code, failure => new LostClaim(failure.Code, failure.Detail), StringComparer.Ordinal);

    private static readonly byte[] Tail = "\"}"u8.ToArray();

    private readonly byte[] head;

    private LostClaim(string reason, string detail)
    {
        Reason = reason;
        Detail = detail;
        var json = JsonSerializer.Serialize(new { type = ConflictType, title = Title, status = StatusCodes.Status409Conflict, detail, reason });
        head = Encoding.UTF8.GetBytes(json[..^1] + ",\"traceId\":\"");
    }

    public string Reason { get; }

    public string Detail { get; }

    public int? StatusCode => StatusCodes.Status409Conflict;

    public string ContentType => ProblemJson;

    /// <summary>Every reason a 409 answer to a claim gives.</summary>
    public static IReadOnlySet<string> Reasons { get; } = ByReason.Keys.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The pre-encoded answer to <paramref name="failure"/> when it is a claim's 409; null for any
    /// other failure, which <see cref="Infrastructure.Problems.From"/> answers as every refusal is answered.
    /// </summary>
    public static LostClaim? For(Failure failure) =>
        failure.Kind == FailureKind.Conflict && ByReason.TryGetValue(failure.Code, out var lost) ? lost : null;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var traceId = JsonEncodedText.Encode(httpContext.TraceIdentifier).EncodedUtf8Bytes;
        var body = new byte[head.Length + traceId.Length + Tail.Length];
        head.CopyTo(body, 0);
        traceId.CopyTo(body.AsSpan(head.Length));
        Tail.CopyTo(body, head.Length + traceId.Length);

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status409Conflict;
        response.ContentType = ProblemJson;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status409Conflict, typeof(ProblemDetails), [ProblemJson]));
}
