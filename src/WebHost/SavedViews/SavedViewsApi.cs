using System.Collections.Immutable;
using Dispatch.Views;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.SavedViews;

/// <summary>A view to save: the board's filters and the table's columns in order.</summary>
public sealed record SavedViewBody(SavedViewFilters? Filters, string[]? Columns);

/// <summary>
/// The signed-in staff member's own saved views of the board: the username comes from the token,
/// never from the route, so nobody reads or changes another's.
/// </summary>
public static class SavedViewsApi
{
    public static RouteGroupBuilder MapSavedViewsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/me/views").WithTags("Saved views").RequireAuthorization(AuthenticationSetup.StaffPolicy);
        group.MapGet("/", List).WithSummary("My saved views of the board, by name.");
        group.MapPut("/{name}", Put).WithSummary("Saves my current filters and columns under a name (again: replaces that view); at most 30 views.");
        group.MapDelete("/{name}", Delete).WithSummary("Forgets my view of that name.");
        return api;
    }

    private static async Task<Ok<ImmutableArray<SavedView>>> List([AsParameters] CallContext call) =>
        TypedResults.Ok(await Views(call).List());

    private static async Task<Results<Ok<SavedView>, ValidationProblem, ProblemHttpResult>> Put(
        string name, SavedViewBody body, TimeProvider clock, [AsParameters] CallContext call)
    {
        var errors = SavedViewRules.Validate(name, body.Filters, body.Columns);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var filters = body.Filters ?? new SavedViewFilters(null, null, null, null, false, null);
        var view = new SavedView(SavedViewRules.NormalizeName(name)!, filters, [.. body.Columns ?? []], clock.GetUtcNow());
        var outcome = await Views(call).Put(view);
        return outcome.Failure is { } failure ? Problems.From(failure) : TypedResults.Ok(outcome.Value!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string name, [AsParameters] CallContext call) =>
        await Views(call).Delete(SavedViewRules.NormalizeName(name) ?? "")
            ? TypedResults.NoContent()
            : Problems.NotFound("View", name);

    private static ISavedViewsGrain Views(CallContext call) => call.Grains.GetGrain<ISavedViewsGrain>(SavedViewKeys.Views(call.Caller.Username));
}
