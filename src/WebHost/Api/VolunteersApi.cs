using System.Security.Claims;
using Dispatch.Common;
using Dispatch.Volunteers;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Api;

public static class VolunteersApi
{
    public static RouteGroupBuilder MapVolunteersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/volunteers").WithTags("Volunteers");
        group.MapGet("/{username}", GetVolunteer)
            .WithSummary("A volunteer's profile, active claims and recent history: themselves, and staff in scope.");
        return api;
    }

    private static async Task<Results<Ok<VolunteerView>, ProblemHttpResult>> GetVolunteer(
        string username, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places)
    {
        username = Identifiers.NormalizeUsername(username);
        var volunteer = Identifiers.IsValidUsername(username)
            ? await grains.GetGrain<IVolunteerGrain>(GrainKeys.Volunteer(username)).Get()
            : null;
        if (volunteer is null)
        {
            return Problems.NotFound("Volunteer", username);
        }

        var allowed = user.Username() == volunteer.Username
            || (user.Role() != AccountRole.Volunteer && await places.InScope(user, volunteer.CommunityId));
        return allowed ? TypedResults.Ok(volunteer) : Problems.Forbidden($"Volunteer '{username}' is outside your scope.");
    }
}
