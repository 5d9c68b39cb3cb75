using System.Globalization;
using System.Text;
using System.Text.Json;
using Dispatch.Common;
using Dispatch.Queries;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Places;

/// <summary>
/// Lists and exports of every request at or below a place, finished ones included, read from the
/// query store (<see cref="IRequestQueries"/>): a moment behind the request grains, which stay
/// the truth. Neither ever carries the beneficiary's contact or the check-in code.
/// </summary>
public static class PlaceRequestsApi
{
    /// <summary>Rows written between two flushes of an export.</summary>
    private const int FlushEvery = 500;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private static readonly string[] CsvHeader =
    [
        "id", "communityId", "kind", "title", "description", "categories", "urgency", "status", "places",
        "placesTaken", "claimants", "owner", "escalationLevel", "overdue", "nextDue", "points", "pointsAwarded",
        "rating", "createdBy", "createdAt", "updatedAt", "finishedAt",
    ];

    public static RouteGroupBuilder MapPlaceRequestsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/places").WithTags("Places");
        group.MapGet("/{id}/requests", List)
            .WithSummary("Every request at or below a place, finished ones included, filtered, searched and paged (staff in scope; volunteers their own community).");
        group.MapGet("/{id}/requests/export", Export).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The same requests as a streamed CSV file (UTF-8 with BOM), every matching row (staff in scope).");
        return api;
    }

    private static async Task<Results<Ok<RequestPage>, ValidationProblem, ProblemHttpResult>> List(
        string id, [AsParameters] RequestListParameters parameters, [AsParameters] CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var sort = parameters.ParseSort(errors);
        var (page, pageSize) = parameters.ParsePage(errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.WatchedPlace(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        if (parameters.ToFilter(place, errors) is not { } filter)
        {
            return Problems.Invalid(errors);
        }

        return TypedResults.Ok(await queries.List(filter, sort, page, pageSize, cancellationToken));
    }

    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> Export(
        string id, string? format, [AsParameters] RequestListParameters parameters, [AsParameters] CallContext call,
        IRequestQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Require(format is null || string.Equals(format.Trim(), "csv", StringComparison.OrdinalIgnoreCase), "format", "'format' must be csv.");
        var sort = parameters.ParseSort(errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        if (parameters.ToFilter(place, errors) is not { } filter)
        {
            return Problems.Invalid(errors);
        }

        var response = call.Http.Response;
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"requests-{place.Id}.csv\"";

        // Rows go out as they are read: a flush every few hundred keeps the server's memory flat.
        await response.Body.WriteAsync(Utf8Bom, cancellationToken);
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024, leaveOpen: true)
        {
            NewLine = "\r\n", // RFC 4180
        };
        await writer.WriteLineAsync(string.Join(',', CsvHeader));
        var rows = 0;
        await foreach (var item in queries.Export(filter, sort, cancellationToken))
        {
            await writer.WriteLineAsync(Row(item));
            if (++rows % FlushEvery == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
        return TypedResults.Empty;
    }

    private static string Row(RequestListItem item)
    {
        string?[] fields =
        [
            item.Id.ToString(), item.CommunityId, Name(item.Kind), item.Title, item.Description,
            string.Join(';', item.Categories), Name(item.Urgency), Name(item.Status),
            Number(item.Places), Number(item.PlacesTaken), string.Join(';', item.Claimants), item.Owner,
            Number(item.EscalationLevel), item.Overdue ? "true" : "false", Time(item.NextDue),
            Number(item.Points), Number(item.PointsAwarded), item.Rating is { } rating ? Number(rating) : null,
            item.CreatedBy, Time(item.CreatedAt), Time(item.UpdatedAt), Time(item.FinishedAt),
        ];
        return string.Join(',', fields.Select(Cell));
    }

    /// <summary>
    /// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. Text that a
    /// spreadsheet would take for a formula (=, +, -, @ first) gets a leading apostrophe.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }

    private static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
