using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Dispatch.Common;
using Dispatch.Honours;
using Dispatch.Places;
using Dispatch.Queries;
using Dispatch.Requests;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Honours;

/// <summary>The period a certificate of service covers: <c>2026-11</c>, <c>2026-Q4</c> or <c>2026</c>.</summary>
public sealed record IssueCertificateBody(string? Period);

/// <summary>Honour lists (rankings by hours, points and ratings) and certificates of service with their public check.</summary>
public static class HonoursApi
{
    public static RouteGroupBuilder MapHonoursApi(this RouteGroupBuilder api)
    {
        var places = api.MapGroup("/places").WithTags("Honours");
        places.MapGet("/{id}/honours", GetHonours)
            .WithSummary("A place's honour list for a month, quarter or year: people or units ranked by hours, points or average rating (staff in scope, volunteers of communities below).");
        api.MapPost("/volunteers/{username}/certificates", IssueCertificate).WithTags("Honours").RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Issue a certificate of service for a volunteer and a period (staff in scope): its figures are stored as issued, under an unguessable id.");
        api.MapGet("/certificates/{id}", GetCertificate).WithTags("Honours").RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("A certificate of service as issued (staff whose scope holds the person's community).");
        return api;
    }

    /// <summary>The public check of a certificate: an HTML page anyone may open from its QR code.</summary>
    public static IEndpointRouteBuilder MapCertificateCheck(this IEndpointRouteBuilder app)
    {
        app.MapGet("/verify/{certificateId}", VerifyPage).AllowAnonymous().WithTags("Honours")
            .WithSummary("The public page of a certificate of service (anyone, from its QR code): the same figures, nothing private; 404 for an unknown id.");
        return app;
    }

    private static async Task<Results<Ok<HonoursList>, ValidationProblem, ProblemHttpResult>> GetHonours(
        string id, string? period, string? by, string? of, [AsParameters] CallContext call, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var span = HonoursPeriod.Parse(period);
        if (span.Failure is { } bad)
        {
            errors.Add("period", bad.Detail);
        }

        var ranking = Query.ParseEnum<HonoursBy>(by, "by", errors) ?? HonoursBy.Hours;
        var whom = Query.ParseEnum<HonoursOf>(of, "of", errors) ?? HonoursOf.People;
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.BrowsedPlace(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var ratings = await Ratings(place, span.Value!, queries, cancellationToken);
        return TypedResults.Ok(await call.Grains.GetGrain<IHonoursGrain>(0).Rank(place, span.Value!, ranking, whom, ratings));
    }

    /// <summary>
    /// Each claimant's ratings of the place's requests verified in the period, from the query store
    /// (requests created before the period's end, finished within it): one rating per claimant of a rated completion.
    /// </summary>
    private static async Task<ImmutableArray<RatingTally>> Ratings(PlaceInfo place, HonoursPeriod period, IRequestQueries queries, CancellationToken cancellationToken)
    {
        var tallies = new Dictionary<string, (int Count, int Sum)>(StringComparer.Ordinal);
        var filter = new RequestFilter(place.Path, [RequestStatus.Verified], To: period.To);
        await foreach (var request in queries.Export(filter, RequestSort.Oldest, cancellationToken))
        {
            if (request.Rating is not { } rating || request.FinishedAt is not { } finished || !period.Contains(finished))
            {
                continue;
            }

            foreach (var claimant in request.Claimants.Distinct(StringComparer.Ordinal))
            {
                var (count, sum) = tallies.GetValueOrDefault(claimant);
                tallies[claimant] = (count + 1, sum + rating);
            }
        }

        return [.. tallies.Select(t => new RatingTally(t.Key, t.Value.Count, t.Value.Sum))];
    }

    private static async Task<Results<Created<Certificate>, ValidationProblem, ProblemHttpResult>> IssueCertificate(
        string username, IssueCertificateBody body, [AsParameters] CallContext call)
    {
        var span = HonoursPeriod.Parse(body.Period);
        if (span.Failure is { } bad)
        {
            return Problems.Invalid("period", bad.Detail);
        }

        var found = await call.Scope.Volunteer(call.Caller, username, allowSelf: false);
        if (found.Value is not { } volunteer)
        {
            return Problems.From(found.Failure!);
        }

        var id = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var issued = await call.Grains.GetGrain<ICertificateGrain>(CertificateKeys.For(id)).Issue(volunteer, span.Value!, call.Caller.Actor);
        return issued.Value is { } certificate
            ? TypedResults.Created($"/api/certificates/{id}", certificate)
            : Problems.From(issued.Failure!);
    }

    private static async Task<Results<Ok<Certificate>, ProblemHttpResult>> GetCertificate(string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.CertificateOfService(call.Caller, id);
        return found.Value is { } certificate ? TypedResults.Ok(certificate) : Problems.From(found.Failure!);
    }

    private static async Task<ContentHttpResult> VerifyPage(string certificateId, IGrainFactory grains)
    {
        var certificate = CertificateKeys.IsId(certificateId) ? await grains.GetGrain<ICertificateGrain>(CertificateKeys.For(certificateId)).Get() : null;
        return certificate is null
            ? TypedResults.Text(CertificatePage.NotFound(), "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound)
            : TypedResults.Text(CertificatePage.Render(PublicCertificate.Of(certificate)), "text/html; charset=utf-8", Encoding.UTF8);
    }
}

/// <summary>The public check's HTML, written on the server (no script; its stylesheet is /css/verify.css), in Chinese and English.</summary>
public static class CertificatePage
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    public static string Render(PublicCertificate c)
    {
        var html = HtmlEncoder.Default;
        var rows = new StringBuilder();
        foreach (var service in c.Services)
        {
            rows.Append(CultureInfo.InvariantCulture, $"<tr><td>{service.ServedAt.ToOffset(China):yyyy-MM-dd}</td><td>{html.Encode(service.Title)}{(service.Manual ? " <small>（补录 added by hand）</small>" : "")}</td><td>{html.Encode(service.Organiser)}</td><td class=\"num\">{service.Hours:0.##}</td></tr>");
        }

        return Page("志愿服务证明核验 · Certificate check", $"""
            <p class="ok">✔ 此证明真实有效 · This certificate is genuine</p>
            <h1>志愿服务证明 <small>Certificate of service</small></h1>
            <dl>
              <dt>志愿者 Volunteer</dt><dd>{html.Encode(c.PersonName)}</dd>
              <dt>记录单位 Organiser</dt><dd>{html.Encode(c.Organiser)}</dd>
              <dt>期间 Period</dt><dd>{html.Encode(c.Period)}（{c.From.ToOffset(China):yyyy-MM-dd} – {c.To.ToOffset(China).AddDays(-1):yyyy-MM-dd}）</dd>
              <dt>服务时长 Hours</dt><dd>{c.TotalHours:0.##}</dd>
              <dt>服务人次 Person-times</dt><dd>{c.PersonTimes}</dd>
              <dt>积分 Points</dt><dd>{c.Points}</dd>
              <dt>出具日期 Issued</dt><dd>{c.IssuedAt.ToOffset(China):yyyy-MM-dd}</dd>
              <dt>编号 No.</dt><dd><code>{html.Encode(c.Id)}</code></dd>
            </dl>
            <table><thead><tr><th>日期 Date</th><th>服务 Service</th><th>组织 Organiser</th><th class="num">时长 Hours</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }

    public static string NotFound() => Page("志愿服务证明核验 · Certificate check", """
        <p class="bad">✘ 查无此证明 · No certificate has this number.</p>
        <p>请核对二维码或编号。Check the QR code or the number.</p>
        """);

    private static string Page(string title, string body) => $"""
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex"><title>{title}</title><link rel="icon" href="/favicon.svg"><link rel="stylesheet" href="/css/verify.css"></head>
        <body><main>{body}</main></body></html>
        """;
}
