using Dispatch.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>RFC 9457 problem responses for the refusals grains and endpoints return.</summary>
public static class Problems
{
    public static ProblemHttpResult From(Failure failure)
    {
        var status = failure.Kind switch
        {
            FailureKind.Invalid => StatusCodes.Status400BadRequest,
            FailureKind.NotFound => StatusCodes.Status404NotFound,
            FailureKind.Forbidden => StatusCodes.Status403Forbidden,
            FailureKind.Conflict => StatusCodes.Status409Conflict,
            FailureKind.TooMany => StatusCodes.Status429TooManyRequests,
            _ => StatusCodes.Status400BadRequest,
        };

        var extensions = new Dictionary<string, object?> { ["reason"] = failure.Code };
        if (failure.Field is { } field)
        {
            extensions["errors"] = new Dictionary<string, string[]> { [field] = [failure.Detail] };
        }

        if (failure.Limit is { } limit)
        {
            extensions["limit"] = limit;
        }

        return TypedResults.Problem(failure.Detail, statusCode: status, title: Title(status), extensions: extensions);
    }

    /// <summary>A refusal with a machine-readable <c>reason</c> and the title every refusal of its status has.</summary>
    public static ProblemHttpResult Refusal(int status, string reason, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: Title(status), extensions: new Dictionary<string, object?> { ["reason"] = reason });

    /// <summary>
    /// Every field at fault with its messages (<c>errors</c>) and, beside them, their stable codes
    /// (<c>codes</c>: <c>required</c>, <c>tooLong</c>, …) for a reader that words them itself.
    /// </summary>
    public static ValidationProblem Invalid(ValidationErrors errors) =>
        TypedResults.ValidationProblem(
            errors.ToDictionary(),
            title: "The request is not valid.",
            extensions: new Dictionary<string, object?> { ["reason"] = "invalid", ["codes"] = errors.Codes() });

    public static ValidationProblem Invalid(string field, string message) =>
        Invalid(new ValidationErrors().Add(field, message));

    public static ProblemHttpResult NotFound(string what, string id) => From(Failure.NotFound(what, id));

    public static ProblemHttpResult Forbidden(string detail, string reason = "outOfScope") =>
        From(Failure.Forbidden(reason, detail));

    public static string Title(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid.",
        StatusCodes.Status403Forbidden => "Not allowed.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status401Unauthorized => "Not authenticated.",
        StatusCodes.Status409Conflict => "Conflict with the current state.",
        StatusCodes.Status429TooManyRequests => "Too many requests.",
        StatusCodes.Status503ServiceUnavailable => "Temporarily unavailable.",
        _ => "The request failed.",
    };
}
