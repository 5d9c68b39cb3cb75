using System.Security.Claims;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Api;

public sealed record CreateAccountRequest(
    string? Username,
    string? Password,
    string? DisplayName,
    AccountRole? Role,
    string? PlaceId,
    string[]? Skills);

public static class AccountsApi
{
    public const int MinPassword = 8;
    public const int MaxPassword = 128;
    public const int MaxDisplayName = 100;
    public const int MaxSkills = 20;
    public const int MaxSkill = 50;

    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/accounts").WithTags("Accounts");
        group.MapPost("/", CreateAccount).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Create an account: admins create anyone, staff create volunteers inside their scope.");
        group.MapGet("/me", (ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places) => GetAccount(user.Username(), user, grains, places))
            .WithSummary("The account of the token's holder.");
        group.MapGet("/{username}", GetAccount)
            .WithSummary("An account: its holder, admins, and staff whose scope contains its place.");
        return api;
    }

    private static async Task<Results<Created<AccountView>, ValidationProblem, ProblemHttpResult>> CreateAccount(
        CreateAccountRequest body, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places, AccountRegistration registration)
    {
        var username = body.Username is null ? null : Identifiers.NormalizeUsername(body.Username);
        var skills = (body.Skills ?? []).Select(s => s?.Trim() ?? "").ToArray();
        var errors = new ValidationErrors()
            .Require(Identifiers.IsValidUsername(username), "username", "'username' must be 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
            .Require(username is null || !Identifiers.ReservedUsernames.Contains(username), "username", $"'{username}' is reserved.")
            .Require(body.Password is { Length: >= MinPassword and <= MaxPassword }, "password", $"'password' must be {MinPassword} to {MaxPassword} characters.")
            .RequireText(body.DisplayName, "displayName", MaxDisplayName)
            .Require(body.Role is not null && Enum.IsDefined(body.Role.Value), "role", "'role' must be one of admin, staff, volunteer.")
            .RequireText(body.PlaceId, "placeId", Identifiers.MaxLength)
            .Require(skills.Length <= MaxSkills, "skills", $"At most {MaxSkills} skills.")
            .Require(skills.All(s => s.Length is > 0 and <= MaxSkill), "skills", $"Each skill must be non-empty and at most {MaxSkill} characters.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var role = body.Role!.Value;
        if (await places.Find(body.PlaceId!) is not { } place)
        {
            return Problems.Invalid("placeId", $"Place '{body.PlaceId}' does not exist.");
        }

        if (role == AccountRole.Volunteer && place.Kind != PlaceKind.Community)
        {
            return Problems.Invalid("placeId", "A volunteer registers with a community.");
        }

        if (user.Role() != AccountRole.Admin)
        {
            if (role != AccountRole.Volunteer)
            {
                return Problems.Forbidden("Staff may create volunteer accounts only.", "roleNotAllowed");
            }

            if (!PlaceDirectory.InScope(user, place))
            {
                return Problems.Forbidden($"Place '{place.Id}' is outside your scope.");
            }
        }

        var outcome = await grains.GetGrain<IAccountGrain>(GrainKeys.Account(username!)).Create(
            new NewAccount(username!, body.Password!, body.DisplayName!, role, place.Id, [.. skills]),
            user.Username());
        if (outcome.Value is not { } account)
        {
            return Problems.From(outcome.Failure!);
        }

        await registration.EnsureRegistered(account);
        return TypedResults.Created($"/api/accounts/{account.Username}", account);
    }

    private static async Task<Results<Ok<AccountView>, ProblemHttpResult>> GetAccount(
        string username, ClaimsPrincipal user, IGrainFactory grains, PlaceDirectory places)
    {
        username = Identifiers.NormalizeUsername(username);

        // Volunteers see only themselves, and learn nothing about which other usernames exist.
        if (user.Role() == AccountRole.Volunteer && username != user.Username())
        {
            return Problems.Forbidden("Volunteers may see their own account only.");
        }

        var account = Identifiers.IsValidUsername(username)
            ? await grains.GetGrain<IAccountGrain>(GrainKeys.Account(username)).Get()
            : null;
        if (account is null)
        {
            return Problems.NotFound("Account", username);
        }

        var allowed = account.Username == user.Username()
            || (user.Role() != AccountRole.Volunteer && await places.InScope(user, account.PlaceId));
        return allowed ? TypedResults.Ok(account) : Problems.Forbidden($"Account '{username}' is outside your scope.");
    }
}
