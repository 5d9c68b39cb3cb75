using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Sheets;

/// <summary>One data row's answer: its row number in the sheet, and the request's id when published, else why not.</summary>
public sealed record SheetRowResult(
    int Row,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BatchItemProblem? Problem);

/// <summary>What an import did: how many rows were read, published and refused, and each row's answer.</summary>
public sealed record SheetImportResult(int Rows, int Published, int Refused, ImmutableArray<SheetRowResult> Results);

/// <summary>
/// Publishing many requests from a spreadsheet: a template to fill in, and the upload, read on the
/// server and published through the batch route's own path (<see cref="BatchApi"/>), one answer per
/// row. Each row's id follows from the caller, the file's SHA-256 and the row, as the batch route's
/// ids follow from its Idempotency-Key: importing the same file again reaches the same requests.
/// </summary>
public static class SheetsApi
{
    private const int Parallelism = 16;

    public static RouteGroupBuilder MapSheetsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/places").WithTags("Requests").RequireAuthorization(AuthenticationSetup.StaffPolicy);
        group.MapGet("/{id}/requests/import-template", Template)
            .WithSummary("The sheet to fill in for an import, with an example row: format=xlsx (the default) or csv, lang=zh-CN or en (staff in scope).");
        group.MapPost("/{id}/requests/import", Import).DisableAntiforgery().AcceptsSheet()
            .WithSummary("Publish the requests of an uploaded .xlsx or .csv sheet in communities at or below the place, each row published or refused on its own (staff in scope).");
        return api;
    }

    private static Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> Template(
        string id, string? format, string? lang, [AsParameters] CallContext call, HttpRequest http, CancellationToken cancellationToken) =>
        WriteTemplate(id, format, lang, call, http, "requests", RequestSheet.Header, RequestSheet.Example, cancellationToken);

    /// <summary>
    /// A sheet to fill in, <paramref name="name"/>-template-{language}: the header and one example
    /// row naming the first community at or below the place (staff in scope).
    /// </summary>
    internal static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> WriteTemplate(
        string id,
        string? format,
        string? lang,
        CallContext call,
        HttpRequest http,
        string name,
        Func<SheetLanguage, ImmutableArray<string>> header,
        Func<SheetLanguage, string, object?[]> example,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fileFormat = format is null ? ExportFormat.Xlsx : TableExport.ParseFormat(format, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var language = RequestSheet.Language(lang, http.Headers.AcceptLanguage.ToString());
        var communities = await Communities(place, call);
        await using var export = await TableExport.Start(
            // An ASCII file name: a header value carries no other (the desk names its download in the reader's words).
            http.HttpContext.Response, fileFormat, $"{name}-template-{(language == SheetLanguage.Zh ? "zh-CN" : "en")}",
            header(language), cancellationToken);
        await export.WriteRow(example(language, communities.Count > 0 ? communities[0].Name : place.Name), cancellationToken);
        await export.Complete(cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task<Results<Ok<SheetImportResult>, ValidationProblem, ProblemHttpResult>> Import(
        string id, [AsParameters] CallContext call, HttpRequest http, CancellationToken cancellationToken)
    {
        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var (file, invalid) = await SheetFile.Read(http, RequestSheet.MaxRows);
        if (file is null)
        {
            return Problems.Invalid(invalid!);
        }

        var (positions, badHeader) = RequestSheet.ReadHeader(file.Rows[0]);
        if (positions is null)
        {
            return Problems.Invalid(badHeader!);
        }

        var community = await CommunityFinder(place, call);
        var rows = file.Rows.Select((cells, index) => (cells, index))
            .Skip(1).Where(r => !RequestSheet.IsBlank(r.cells))
            .Select(r => RequestSheet.ReadRow(r.index + 1, r.cells, positions, community))
            .ToArray();
        var results = new SheetRowResult[rows.Length];
        var key = $"sheet:{file.Hash}";
        await Parallel.ForEachAsync(
            Enumerable.Range(0, rows.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, _) =>
            {
                var row = rows[i];
                var answer = row.Body is { } body
                    ? await BatchApi.Publish(row.Row, body, IdempotencyMiddleware.IdFor(call.Caller.Username, $"{key}\nbatch:{row.Row}"), call)
                    : BatchApi.Refused(row.Row, row.Errors!);
                results[i] = new SheetRowResult(row.Row, answer.Id, answer.Problem);
            });
        var published = results.Count(r => r.Id is not null);
        return TypedResults.Ok(new SheetImportResult(results.Length, published, results.Length - published, [.. results]));
    }

    /// <summary>
    /// The id of the community a sheet's cell names, by id or by name, among those at or below
    /// <paramref name="place"/> (null when none is); the communities are read once per sheet.
    /// </summary>
    internal static async Task<Func<string, string?>> CommunityFinder(PlaceInfo place, CallContext call)
    {
        var communities = await Communities(place, call);
        return text => communities.FirstOrDefault(c => c.Id == text)?.Id ?? communities.FirstOrDefault(c => c.Name == text.Trim())?.Id;
    }

    /// <summary>The communities at or below <paramref name="place"/> (the place itself when it is one): where a sheet's rows may go.</summary>
    internal static async Task<List<PlaceInfo>> Communities(PlaceInfo place, CallContext call)
    {
        if (place.Kind == PlaceKind.Community)
        {
            return [place];
        }

        var found = new List<PlaceInfo>();
        foreach (var communityId in await call.Scope.Places.CommunitiesUnder(place))
        {
            if (await call.Scope.Places.Find(communityId) is { } community)
            {
                found.Add(community);
            }
        }

        return found;
    }
}
