using Dispatch.Common;
using Dispatch.Volunteers;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Volunteers;

public static class VolunteersApi
{
    public static RouteGroupBuilder MapVolunteersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/volunteers").WithTags("Volunteers");
        group.MapGet("/{username}", GetVolunteer)
            .WithSummary("A volunteer's profile, active claims and recent history: themselves, and staff in call.Scope.");
        return api;
    }

    private static async Task<Results<Ok<VolunteerView>, ProblemHttpResult>> GetVolunteer(
        string username, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Volunteer(call.Caller, username);
        return found.Value is { } volunteer ? TypedResults.Ok(volunteer) : Problems.From(found.Failure!);
    }
}
