using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Dispatch.Requests;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Dispatch.WebHost.Requests;

/// <summary>
/// The 409 answer to a claim that lost, as RFC 9457 problem details with its <c>reason</c>: the
/// same members every other problem carries (type, title, status, detail, reason, traceId), its
/// bytes made once per reason, since in a storm nearly every attempt gets one. Only the request's
/// trace id is written per answer.
/// </summary>
public sealed class LostClaim : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public const string Title = "Claim lost.";
    private const string ProblemJson = "application/problem+json";
    private const string ConflictType = "https://tools.ietf.org/html/rfc9110#section-15.5.10";

    private static readonly FrozenDictionary<ClaimLoss, LostClaim> ByLoss = new Dictionary<ClaimLoss, string>
    {
        [ClaimLoss.Full] = "Every place of this request is taken.",
        [ClaimLoss.NotOpen] = "This request is not taking claims.",
        [ClaimLoss.AlreadyClaimed] = "You already hold a claim on this request.",
        [ClaimLoss.ClaimLimit] = "You hold as many active claims as allowed.",
        [ClaimLoss.Reserved] = "The last free place is reserved for a volunteer it was offered to.",
        [ClaimLoss.NotEnoughPlaces] = "Fewer places are free than were asked for; nothing was claimed.",
        [ClaimLoss.CoolingDown] = "You released this request a moment ago; you may claim it again after the cool-down.",
    }.ToFrozenDictionary(pair => pair.Key, pair => new LostClaim(DispatchMetrics.ReasonOf(pair.Key), pair.Value));

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
    public static IReadOnlySet<string> Reasons { get; } = ByLoss.Values.Select(lost => lost.Reason).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The answer for <paramref name="loss"/>, or null for the losses that are not a 409 (outside the community, not found).</summary>
    public static LostClaim? For(ClaimLoss loss) => ByLoss.GetValueOrDefault(loss);

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
