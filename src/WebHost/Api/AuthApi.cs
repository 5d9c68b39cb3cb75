using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Api;

public sealed record TokenRequest(string? Username, string? Password);

public static class AuthApi
{
    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");
        group.MapPost("/token", IssueToken).AllowAnonymous().RequireRateLimiting(Security.DispatchRateLimits.TokenPerAddress)
            .WithSummary("Exchange a username and password for a bearer token.");
        return api;
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> IssueToken(
        TokenRequest body, IGrainFactory grains, TokenIssuer tokens, AccountRegistration registration)
    {
        var errors = new ValidationErrors()
            .RequireText(body.Username, "username", Identifiers.MaxLength)
            .RequireText(body.Password, "password", AccountsApi.MaxPassword);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var username = Identifiers.NormalizeUsername(body.Username!);
        var account = Identifiers.IsValidUsername(username)
            ? await grains.GetGrain<IAccountGrain>(GrainKeys.Account(username)).Authenticate(body.Password!)
            : null;
        if (account is null)
        {
            return TypedResults.Problem(
                "The username or password is not correct.",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Not authenticated.");
        }

        // Completes a volunteer's registration if a crash interrupted it when the account was created.
        await registration.EnsureRegistered(account);
        return TypedResults.Ok(tokens.Issue(account));
    }
}
