using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Notifications;
using Dispatch.WebHost.Accounts;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Dispatch.WebHost.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Sheets;

/// <summary>
/// One data row's answer: its row number in the sheet and, when registered, the volunteer's
/// username, name, community and one-time password (shown this once, never stored with the
/// answer), else why not.
/// </summary>
public sealed record VolunteerRowResult(
    int Row,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Username,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DisplayName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CommunityId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), SecretData] string? OneTimePassword,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BatchItemProblem? Problem)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <summary>What a volunteer import did: how many rows were read, registered and refused, and each row's answer.</summary>
public sealed record VolunteerImportResult(int Rows, int Registered, int Refused, ImmutableArray<VolunteerRowResult> Results);

/// <summary>
/// Registering many volunteers from a spreadsheet, as the request sheet publishes many requests
/// (<see cref="SheetsApi"/>): a template, and the upload, each row registered or refused on its
/// own exactly as registering one volunteer would be (<c>POST /api/accounts</c>, role volunteer),
/// except that the password is a one-time password made here, which the volunteer must change at
/// their first sign-in. A refused row leaves nothing behind: its account is not created.
/// </summary>
public static class VolunteerSheetsApi
{
    /// <summary>Rows registered at once: each hashes a password, slow on purpose.</summary>
    private const int Parallelism = 4;

    /// <summary>Three groups of five (about 74 bits): enough for a password that must be changed at the first sign-in.</summary>
    private const int PasswordGroups = 3;

    public static RouteGroupBuilder MapVolunteerSheetsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/places").WithTags("Volunteers").RequireAuthorization(AuthenticationSetup.StaffPolicy);
        group.MapGet("/{id}/volunteers/import-template", Template)
            .WithSummary("The volunteer sheet to fill in for an import, with an example row: format=xlsx (the default) or csv, lang=zh-CN or en (staff in scope).");
        group.MapPost("/{id}/volunteers/import", Import).DisableAntiforgery().AcceptsSheet()
            .WithSummary("Register the volunteers of an uploaded .xlsx or .csv sheet in communities at or below the place, each with a one-time password shown once; each row registered or refused on its own (staff in scope).");
        return api;
    }

    private static Task<Results<EmptyHttpResult, ValidationProblem, ProblemHttpResult>> Template(
        string id, string? format, string? lang, [AsParameters] CallContext call, HttpRequest http, CancellationToken cancellationToken) =>
        SheetsApi.WriteTemplate(id, format, lang, call, http, "volunteers", VolunteerSheet.Header, VolunteerSheet.Example, cancellationToken);

    private static async Task<Results<Ok<VolunteerImportResult>, ValidationProblem, ProblemHttpResult>> Import(
        string id, [AsParameters] CallContext call, HttpRequest http, AccountRegistration registration, CancellationToken cancellationToken)
    {
        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        var (file, invalid) = await SheetFile.Read(http, VolunteerSheet.MaxRows);
        if (file is null)
        {
            return Problems.Invalid(invalid!);
        }

        var (positions, badHeader) = VolunteerSheet.ReadHeader(file.Rows[0]);
        if (positions is null)
        {
            return Problems.Invalid(badHeader!);
        }

        var rows = VolunteerSheet.ReadRows(
            file.Rows.Select((cells, index) => (Row: index + 1, Cells: cells)).Skip(1).Where(r => !RequestSheet.IsBlank(r.Cells)),
            positions, await SheetsApi.CommunityFinder(place, call));
        var results = new VolunteerRowResult[rows.Length];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, rows.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, _) =>
            {
                var row = rows[i];
                results[i] = row.Entry is { } entry
                    ? await Register(row.Row, entry, call, registration)
                    : new VolunteerRowResult(row.Row, null, null, null, null, BatchApi.Refused(row.Row, row.Errors!).Problem);
            });

        // The answer holds passwords: no cache keeps it (and the Idempotency-Key store drops them).
        http.HttpContext.Response.Headers.CacheControl = "no-store";
        var registered = results.Count(r => r.Problem is null);
        return TypedResults.Ok(new VolunteerImportResult(results.Length, registered, results.Length - registered, [.. results]));
    }

    /// <summary>
    /// One volunteer registered as <c>POST /api/accounts</c> registers one (scope, account, volunteer
    /// and community), with a one-time password; the phone goes to the volunteer's own channels,
    /// which only they read. The account is created last of what can be refused: a refused row
    /// leaves nothing behind.
    /// </summary>
    private static async Task<VolunteerRowResult> Register(int row, VolunteerSheetEntry entry, CallContext call, AccountRegistration registration)
    {
        VolunteerRowResult Refused(Failure failure) => new(row, null, null, null, null, BatchApi.Refused(row, failure).Problem);

        try
        {
            var where = await call.Scope.RegistrationPlace(call.Caller, entry.CommunityId, AccountRole.Volunteer);
            if (where.Failure is { } outside)
            {
                return Refused(outside.Field is null ? outside : outside with { Field = "communityId" });
            }

            var password = PasswordPolicy.NewOneTimePassword(PasswordGroups);
            var created = await call.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(entry.Username)).Create(
                new NewAccount(entry.Username, password, entry.DisplayName, AccountRole.Volunteer, entry.CommunityId, entry.Skills, OneTimePassword: true),
                call.Caller.Username);
            if (created.Value is not { } account)
            {
                return Refused(created.Failure! with { Field = "username" });
            }

            await registration.EnsureRegistered(account);
            if (entry.Phone is { } phone)
            {
                // A new account has no channels yet: the phone is all there is to set.
                await call.Grains.GetGrain<IInboxGrain>(InboxKeys.Inbox(account.Username)).SetChannels(PersonChannels.None with { Phone = phone });
            }

            return new VolunteerRowResult(row, account.Username, account.DisplayName, account.PlaceId, password, null);
        }
        catch (Exception exception) when (UnavailableExceptionHandler.IsUnavailable(exception))
        {
            return new VolunteerRowResult(row, null, null, null, null,
                BatchApi.Unavailable("The cluster or its storage did not answer in time for this row; import the row again."));
        }
    }
}
