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
    private static readonly string[] Header =
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
            .WithSummary("The same requests as a streamed file, every matching row: format=csv (UTF-8 with BOM, the default) or xlsx (staff in scope).");
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
        var fileFormat = TableExport.ParseFormat(format, errors);
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

        // Rows go out as they are read: the server's memory stays flat however many there are.
        await using var export = await TableExport.Start(call.Http.Response, fileFormat, $"requests-{place.Id}", Header, cancellationToken);
        await foreach (var item in queries.Export(filter, sort, cancellationToken))
        {
            await export.WriteRow(Row(item), cancellationToken);
        }

        await export.Complete(cancellationToken);
        return TypedResults.Empty;
    }

    private static object?[] Row(RequestListItem item) =>
    [
        item.Id.ToString(), item.CommunityId, Name(item.Kind), item.Title, item.Description,
        string.Join(';', item.Categories), Name(item.Urgency), Name(item.Status),
        item.Places, item.PlacesTaken, string.Join(';', item.Claimants), item.Owner,
        item.EscalationLevel, item.Overdue, item.NextDue,
        item.Points, item.PointsAwarded, item.Rating,
        item.CreatedBy, item.CreatedAt, item.UpdatedAt, item.FinishedAt,
    ];

    private static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
