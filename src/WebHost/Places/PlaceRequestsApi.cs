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

    /// <summary>The columns' names for a reader (<c>lang</c>): the desk's words for them.</summary>
    private static readonly Dictionary<string, (string Zh, string En)> HeaderNames = new(StringComparer.Ordinal)
    {
        ["id"] = ("编号", "Id"),
        ["communityId"] = ("社区编号", "Community id"),
        ["kind"] = ("类型", "Kind"),
        ["title"] = ("标题", "Title"),
        ["description"] = ("描述", "Description"),
        ["categories"] = ("类别", "Categories"),
        ["urgency"] = ("紧急程度", "Urgency"),
        ["status"] = ("状态", "Status"),
        ["places"] = ("名额", "Places"),
        ["placesTaken"] = ("已认领名额", "Places taken"),
        ["claimants"] = ("认领人", "Claimants"),
        ["owner"] = ("承办人", "Owner"),
        ["escalationLevel"] = ("督办层级", "Escalation level"),
        ["overdue"] = ("是否超时", "Overdue"),
        ["nextDue"] = ("下一时限（UTC）", "Next deadline (UTC)"),
        ["points"] = ("积分", "Points"),
        ["pointsAwarded"] = ("已发积分", "Points awarded"),
        ["rating"] = ("评分", "Rating"),
        ["createdBy"] = ("发布人", "Created by"),
        ["createdAt"] = ("发布时间（UTC）", "Created (UTC)"),
        ["updatedAt"] = ("更新时间（UTC）", "Updated (UTC)"),
        ["finishedAt"] = ("结束时间（UTC）", "Finished (UTC)"),
    };

    public static RouteGroupBuilder MapPlaceRequestsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/places").WithTags("Places");
        group.MapGet("/{id}/requests", List)
            .WithSummary("Every request at or below a place, finished ones included, filtered, searched and paged (staff in scope; volunteers their own community).");
        group.MapGet("/{id}/requests/export", Export).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The same requests as a streamed file, every matching row: format=csv (UTF-8 with BOM, the default) or xlsx; lang=zh-CN or en for headers and names in that language (staff in scope).");
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
        string id, string? format, string? lang, [AsParameters] RequestListParameters parameters, [AsParameters] CallContext call,
        IRequestQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fileFormat = TableExport.ParseFormat(format, errors);
        ExportWords.Check(lang, errors);
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
        var words = ExportWords.For(lang);
        await using var export = await TableExport.Start(
            call.Http.Response, fileFormat, $"requests-{place.Id}", words.Header(Header, HeaderNames), cancellationToken);
        await foreach (var item in queries.Export(filter, sort, cancellationToken))
        {
            await export.WriteRow(Row(item, words), cancellationToken);
        }

        await export.Complete(cancellationToken);
        return TypedResults.Empty;
    }

    private static object?[] Row(RequestListItem item, ExportWords words) =>
    [
        item.Id.ToString(), item.CommunityId, words.Value(Name(item.Kind)), item.Title, item.Description,
        string.Join(';', item.Categories), words.Value(Name(item.Urgency)), words.Value(Name(item.Status)),
        item.Places, item.PlacesTaken, string.Join(';', item.Claimants), item.Owner,
        item.EscalationLevel, item.Overdue, item.NextDue,
        item.Points, item.PointsAwarded, item.Rating,
        item.CreatedBy, item.CreatedAt, item.UpdatedAt, item.FinishedAt,
    ];

    private static string Name<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
