using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Honours;
using Dispatch.Organisations;
using Dispatch.Places;
using Dispatch.Queries;
using Dispatch.Requests;
using Dispatch.UnitReports;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Places;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.UnitReports;

/// <summary>
/// Reports for work units (双报告/双考核): for a period, a unit's reported-in members with their
/// hours, completions, ratings, points and commitments kept or broken, as JSON or as a sheet
/// (csv or xlsx) for the unit's annual appraisal. Figures come from the members' own hours, ledger
/// and volunteer grains and, for ratings, from the query store.
/// </summary>
public static class UnitReportsApi
{
    /// <summary>The columns of an export: a line per member, then the unit's totals (no username).</summary>
    public static readonly ImmutableArray<string> Header =
    [
        "organisationId", "organisation", "username", "displayName", "communityId",
        "hours", "personTimes", "completions", "rating", "ratings", "points", "commitmentsKept", "commitmentsBroken",
    ];

    /// <summary>The columns' names for a reader (<c>lang</c>).</summary>
    private static readonly Dictionary<string, (string Zh, string En)> HeaderNames = new(StringComparer.Ordinal)
    {
        ["organisationId"] = ("单位编号", "Unit id"),
        ["organisation"] = ("单位", "Unit"),
        ["username"] = ("用户名", "Username"),
        ["displayName"] = ("姓名", "Name"),
        ["communityId"] = ("报到社区编号", "Community id"),
        ["hours"] = ("服务时长（小时）", "Hours"),
        ["personTimes"] = ("服务人次", "Person-times"),
        ["completions"] = ("完成需求", "Completions"),
        ["rating"] = ("平均评分", "Average rating"),
        ["ratings"] = ("评分数", "Ratings"),
        ["points"] = ("获得积分", "Points"),
        ["commitmentsKept"] = ("履约次数", "Commitments kept"),
        ["commitmentsBroken"] = ("失约次数", "Commitments broken"),
    };

    /// <summary>
    /// One unit's report, mapped beside the <c>/api</c> group (whose default policy admits members
    /// only): staff who see the organisation and its own contact (a <c>unit</c> account) read it.
    /// </summary>
    public static WebApplication MapUnitReportApi(this WebApplication app)
    {
        var group = app.MapGroup("/api/organisations").WithTags("UnitReports").RequireAuthorization(AuthenticationSetup.UnitReportPolicy);
        group.MapGet("/{id}/report", GetReport)
            .WithSummary("A unit's report for a period (from inclusive, to exclusive): totals and one line per reported-in member (staff who see the organisation, and the unit's own contact).");
        group.MapGet("/{id}/report/export", ExportReport)
            .WithSummary("A unit's report for a period as a streamed file, a row per member then the unit's totals: format=csv (UTF-8 with BOM, the default) or xlsx; lang=zh-CN or en for headers in that language (staff who see the organisation, and the unit's own contact).");
        return app;
    }

    public static RouteGroupBuilder MapUnitReportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/places/{id}/unit-reports", ListReports).WithTags("UnitReports").RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The reports for a period of every unit reporting in to the communities at or below a place, by unit name (staff in scope).");
        api.MapGet("/places/{id}/unit-reports/export", ExportReports).WithTags("UnitReports").RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The reports of a place's units for a period as a streamed file, each unit's members then its totals: format=csv (the default) or xlsx; lang=zh-CN or en for headers in that language (staff in scope).");
        return api;
    }

    private static async Task<Results<Ok<UnitReport>, ValidationProblem, ProblemHttpResult>> GetReport(
        string id, string? from, string? to, [AsParameters] CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        if (Invalid(from, to, null, null, export: false, out var period, out _) is { } invalid)
        {
            return invalid;
        }

        var found = await call.Scope.Organisation(call.Caller, id);
        return found.Value is { } unit
            ? TypedResults.Ok(await Report(unit, period, call, queries, cancellationToken))
            : Problems.From(found.Failure!);
    }

    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ExportReport(
        string id, string? format, string? from, string? to, string? lang, [AsParameters] CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        if (Invalid(from, to, format, lang, export: true, out var period, out var fileFormat) is { } invalid)
        {
            return invalid;
        }

        var found = await call.Scope.Organisation(call.Caller, id);
        if (found.Value is not { } unit)
        {
            return Problems.From(found.Failure!);
        }

        var report = await Report(unit, period, call, queries, cancellationToken);
        await Write(call.Http.Response, fileFormat, $"unit-report-{unit.Id}", ExportWords.For(lang), [report], cancellationToken);
        return TypedResults.Empty;
    }

    private static async Task<Results<Ok<UnitReportList>, ValidationProblem, ProblemHttpResult>> ListReports(
        string id, string? from, string? to, [AsParameters] CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        if (Invalid(from, to, null, null, export: false, out var period, out _) is { } invalid)
        {
            return invalid;
        }

        var found = await call.Scope.Place(call.Caller, id);
        return found.Value is { } place
            ? TypedResults.Ok(await Reports(place, period, call, queries, cancellationToken))
            : Problems.From(found.Failure!);
    }

    private static async Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> ExportReports(
        string id, string? format, string? from, string? to, string? lang, [AsParameters] CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        if (Invalid(from, to, format, lang, export: true, out var period, out var fileFormat) is { } invalid)
        {
            return invalid;
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var reports = await Reports(place, period, call, queries, cancellationToken);
        await Write(call.Http.Response, fileFormat, $"unit-reports-{place.Id}", ExportWords.For(lang), reports.Items, cancellationToken);
        return TypedResults.Empty;
    }

    /// <summary>
    /// The problem naming every field at fault (an export's <c>format</c> and <c>lang</c>, then the
    /// period), or null with all read.
    /// </summary>
    private static ValidationProblem? Invalid(
        string? from, string? to, string? format, string? lang, bool export, out (DateTimeOffset From, DateTimeOffset To) period, out ExportFormat fileFormat)
    {
        var errors = new ValidationErrors();
        fileFormat = export ? TableExport.ParseFormat(format, errors) : ExportFormat.Csv;
        ExportWords.Check(lang, errors);
        period = Period(from, to, errors);
        return errors.IsEmpty ? null : Problems.Invalid(errors);
    }

    /// <summary>A report's period: both ends required, <c>to</c> after <c>from</c>.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) Period(string? from, string? to, ValidationErrors errors)
    {
        errors.Require(!string.IsNullOrWhiteSpace(from), "from", "'from' is required: the first day of the period, such as 2026-11-01.");
        errors.Require(!string.IsNullOrWhiteSpace(to), "to", "'to' is required: the day after the period, such as 2026-12-01.");
        var (start, end) = RequestListParameters.Period(from, to, errors);
        return (start ?? default, end ?? default);
    }

    private static async Task<UnitReport> Report(
        OrganisationView unit, (DateTimeOffset From, DateTimeOffset To) period, CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var members = unit.Members.ToHashSet(StringComparer.Ordinal);
        var tallies = new Dictionary<string, (int Count, int Sum)>(StringComparer.Ordinal);
        foreach (var communityId in unit.CommunityIds)
        {
            if (await call.Scope.Places.Find(communityId) is { } community)
            {
                await Tally(community, period, members, tallies, queries, cancellationToken);
            }
        }

        return await call.Grains.GetGrain<IUnitReportGrain>(0).Report(unit, period.From, period.To, Ratings(tallies));
    }

    private static async Task<UnitReportList> Reports(
        PlaceInfo place, (DateTimeOffset From, DateTimeOffset To) period, CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var communities = await call.Scope.Places.CommunitiesUnder(place);
        var ids = (await Task.WhenAll(communities.Select(c => call.Grains.GetGrain<ICommunityGrain>(GrainKeys.Community(c)).GetOrganisations())))
            .SelectMany(o => o).Distinct(StringComparer.Ordinal);
        var units = (await Task.WhenAll(ids.Select(i => call.Grains.GetGrain<IOrganisationGrain>(GrainKeys.Organisation(i)).Get())))
            .OfType<OrganisationView>()
            .Where(o => o.Kind == OrganisationKind.Unit) // a department answers suggestions; it has no members reporting in
            .ToList();

        // One pass over the place's verified requests for every unit's ratings.
        var members = units.SelectMany(u => u.Members).ToHashSet(StringComparer.Ordinal);
        var tallies = new Dictionary<string, (int Count, int Sum)>(StringComparer.Ordinal);
        await Tally(place, period, members, tallies, queries, cancellationToken);
        var ratings = Ratings(tallies);
        var grain = call.Grains.GetGrain<IUnitReportGrain>(0);
        var reports = await Task.WhenAll(units.Select(u => grain.Report(u, period.From, period.To, ratings)));
        return new UnitReportList(place.Id, period.From, period.To, [.. reports.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.OrganisationId, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// The members' ratings from the query store: requests at or below <paramref name="place"/>
    /// created before the period's end and verified within it, one rating per claimant (as honour lists count them).
    /// </summary>
    private static async Task Tally(
        PlaceInfo place, (DateTimeOffset From, DateTimeOffset To) period, HashSet<string> members,
        Dictionary<string, (int Count, int Sum)> tallies, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var filter = new RequestFilter(place.Path, [RequestStatus.Verified], To: period.To);
        await foreach (var request in queries.Export(filter, RequestSort.Oldest, cancellationToken))
        {
            if (request.Rating is not { } rating || request.FinishedAt is not { } finished || finished < period.From || finished >= period.To)
            {
                continue;
            }

            foreach (var claimant in request.Claimants.Distinct(StringComparer.Ordinal).Where(members.Contains))
            {
                var (count, sum) = tallies.GetValueOrDefault(claimant);
                tallies[claimant] = (count + 1, sum + rating);
            }
        }
    }

    private static ImmutableArray<RatingTally> Ratings(Dictionary<string, (int Count, int Sum)> tallies) =>
        [.. tallies.Select(t => new RatingTally(t.Key, t.Value.Count, t.Value.Sum))];

    private static async Task Write(
        HttpResponse response, ExportFormat format, string fileName, ExportWords words, IEnumerable<UnitReport> reports, CancellationToken cancellationToken)
    {
        await using var export = await TableExport.Start(response, format, fileName, words.Header(Header, HeaderNames), cancellationToken);
        foreach (var report in reports)
        {
            foreach (var member in report.Members)
            {
                await export.WriteRow(Row(report, member.Username, member.DisplayName, member.CommunityId, member.Figures), cancellationToken);
            }

            await export.WriteRow(Row(report, null, null, null, report.Totals), cancellationToken);
        }

        await export.Complete(cancellationToken);
    }

    // Decimals as doubles: a workbook cell then holds a number, not text.
    private static object?[] Row(UnitReport report, string? username, string? name, string? communityId, UnitFigures f) =>
    [
        report.OrganisationId, report.Name, username, name, communityId,
        (double)f.Hours, f.PersonTimes, f.Completions, f.Rating is { } rating ? (double)rating : null, f.Ratings, f.Points, f.CommitmentsKept, f.CommitmentsBroken,
    ];
}
