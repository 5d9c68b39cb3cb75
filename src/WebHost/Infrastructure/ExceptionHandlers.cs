using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>
/// Turns a body or parameter the framework could not read (malformed JSON, a wrong type, an
/// unknown enum value) into a 400 that names the field, instead of a bare 400 or a 500.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is InvalidOperationException && UnknownCharset(httpContext.Request) is { } charset)
        {
            // The framework's JSON reader throws a plain InvalidOperationException (a 500) for a charset it cannot decode.
            return await problems.Write(httpContext, exception, Invalid(
                StatusCodes.Status415UnsupportedMediaType,
                "body",
                $"The charset '{charset}' is not one the body can be read in: send JSON in UTF-8."));
        }

        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var (field, message) = badRequest.InnerException is JsonException json
            ? (FieldOf(json.Path), $"The value of '{FieldOf(json.Path)}' is not valid JSON of the expected type or format.")
            : ("body", badRequest.StatusCode == StatusCodes.Status415UnsupportedMediaType
                ? "Send the body as JSON, with Content-Type: application/json."
                : "The request body is missing or could not be read as JSON.");

        return await problems.Write(httpContext, exception, Invalid(badRequest.StatusCode, field, message));
    }

    private static ProblemDetails Invalid(int status, string field, string message)
    {
        var problem = new ProblemDetails { Status = status, Title = "The request is not valid.", Detail = message };
        problem.Extensions["reason"] = "invalid";
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [message] };
        return problem;
    }

    /// <summary>The charset of the request's content type when .NET knows no encoding by that name.</summary>
    private static string? UnknownCharset(HttpRequest request)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || contentType.Charset is not { Length: > 0 } charset)
        {
            return null;
        }

        try
        {
            _ = System.Text.Encoding.GetEncoding(charset.ToString().Trim('"'));
            return null;
        }
        catch (ArgumentException)
        {
            return charset.ToString();
        }
    }

    /// <summary>"$.beneficiary.name" → "beneficiary.name"; "$" or nothing → "body".</summary>
    internal static string FieldOf(string? jsonPath)
    {
        var field = jsonPath?.TrimStart('$').TrimStart('.');
        return string.IsNullOrEmpty(field) ? "body" : field;
    }
}

/// <summary>
/// The cluster or its storage could not answer (a timeout, a silo going away, a failed write):
/// nothing was acknowledged, so the caller is told to retry, with 503 rather than 500.
/// </summary>
public sealed partial class UnavailableExceptionHandler(IProblemDetailsService problems, ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Whether <paramref name="exception"/> says the cluster or its storage did not answer: nothing was acknowledged.</summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is OrleansException or TimeoutException or Orleans.Storage.InconsistentStateException;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception))
        {
            return false;
        }

        LogUnavailable(exception, httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.Headers.RetryAfter = "1";
        return await problems.Write(httpContext, exception, new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Temporarily unavailable.",
            Detail = "The cluster or its storage did not answer in time. Retry the request; a change retried with the same Idempotency-Key is made at most once.",
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: the cluster or its storage did not answer")]
    private partial void LogUnavailable(Exception exception, string method, string path);
}

internal static class ProblemWriting
{
    /// <summary>Writes <paramref name="problem"/> as the response, with its status code.</summary>
    public static async ValueTask<bool> Write(this IProblemDetailsService problems, HttpContext httpContext, Exception exception, ProblemDetails problem)
    {
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem }))
        {
            // The client's Accept header excluded JSON: problem details all the same, as every other answer gives them.
            await httpContext.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }

        return true;
    }

    /// <summary>
    /// The body of an answer left empty (401 from the token check, 404 for an unknown route, 405):
    /// problem details, as the framework writes them when the client accepts JSON, and otherwise too
    /// (the framework would fall back to plain text for <c>Accept: text/html</c>).
    /// </summary>
    public static async Task WriteStatusCodeProblem(StatusCodeContext context)
    {
        var httpContext = context.HttpContext;
        var status = httpContext.Response.StatusCode;
        var problems = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        var problem = new ProblemDetails { Status = status };
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem }))
        {
            problem.Title ??= Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
            problem.Extensions.TryAdd("traceId", httpContext.TraceIdentifier);
            await httpContext.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }
}
