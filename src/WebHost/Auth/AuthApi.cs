using System.Globalization;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.WebHost.Accounts;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Auth;

/// <param name="RefreshCookie">True: the refresh token goes into an HttpOnly cookie (<see cref="Auth.RefreshCookie"/>), not the answer.</param>
public sealed record TokenRequest(string? Username, [property: SecretData] string? Password, bool? RefreshCookie = null)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <param name="RefreshToken">The token; absent (or the body empty) when it is in the refresh cookie.</param>
public sealed record RefreshRequest([property: SecretData] string? RefreshToken)
{
    public override string ToString() => ClassifiedText.Of(this);
}

/// <param name="RefreshToken">The token; absent (or the body empty) when it is in the refresh cookie.</param>
/// <param name="Everywhere">True: every refresh token of the account stops working, on every device.</param>
public sealed record RevokeRequest([property: SecretData] string? RefreshToken, bool? Everywhere = null)
{
    public override string ToString() => ClassifiedText.Of(this);
}

public static class AuthApi
{
    public const int MaxRefreshToken = 512;

    public static RouteGroupBuilder MapAuthApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");
        // Guessing passwords (and refresh tokens) from one address is held back before any account is asked.
        group.MapPost("/token", IssueToken).AllowAnonymous().RequireRateLimiting(Security.DispatchRateLimits.TokenPerAddress)
            .WithSummary("Exchange a username and password for a short-lived bearer token and a refresh token; sets the device cookie that lets this device sign in while the account is locked out.");
        group.MapPost("/refresh", Refresh).AllowAnonymous().RequireRateLimiting(Security.DispatchRateLimits.TokenPerAddress)
            .WithSummary("Exchange a refresh token (good once; in the body or the refresh cookie) for a new bearer token and a new refresh token (in the cookie when it came from there).");
        group.MapPost("/revoke", Revoke).AllowAnonymous()
            .WithSummary("Sign out: the refresh token (in the body or the refresh cookie) stops working; with everywhere, every refresh token of its account.");
        return api;
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> IssueToken(
        TokenRequest body, IGrainFactory grains, TokenIssuer tokens, AccountRegistration registration, HttpContext context, TimeProvider time)
    {
        var errors = new ValidationErrors()
            .RequireText(body.Username, "username", Identifiers.MaxLength)
            .RequireText(body.Password, "password", PasswordPolicy.MaxLength);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var username = Identifiers.NormalizeUsername(body.Username!);
        var signIn = Identifiers.IsValidUsername(username)
            ? await grains.GetGrain<IAccountGrain>(GrainKeys.Account(username)).Authenticate(body.Password!, DeviceCookie.Read(context, username))
            : SignIn.Refused(SignInRefusal.WrongCredentials);
        if (signIn is not { Account: { } account, Refresh: { } refresh })
        {
            return Refused(signIn, context, time);
        }

        if (signIn.Device is { } device)
        {
            DeviceCookie.Write(context, account.Username, device);
        }

        // Completes a volunteer's registration if a crash interrupted it when the account was created.
        await registration.EnsureRegistered(account);
        var issued = tokens.Issue(account, refresh);
        return TypedResults.Ok(body.RefreshCookie == true ? RefreshCookie.Keep(context, issued) : issued);
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Refresh(
        RefreshRequest? body, IGrainFactory grains, TokenIssuer tokens, HttpContext context, TimeProvider time)
    {
        var (token, fromCookie) = Presented(body?.RefreshToken, context);
        if (Validate(token) is { } invalid)
        {
            return invalid;
        }

        var signIn = RefreshTokenFormat.Username(token) is { } username && Identifiers.IsValidUsername(username)
            ? await grains.GetGrain<IAccountGrain>(GrainKeys.Account(username)).Refresh(token!)
            : SignIn.Refused(SignInRefusal.WrongCredentials);
        if (signIn is { Account: { } account, Refresh: { } refresh })
        {
            var issued = tokens.Issue(account, refresh);
            return TypedResults.Ok(fromCookie ? RefreshCookie.Keep(context, issued) : issued);
        }

        // A refused cookie is good for nothing: the browser stops sending it.
        if (fromCookie)
        {
            RefreshCookie.Delete(context);
        }

        return Refused(signIn, context, time);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Revoke(
        RevokeRequest? body, IGrainFactory grains, HttpContext context, TimeProvider time)
    {
        var (token, fromCookie) = Presented(body?.RefreshToken, context);
        if (Validate(token) is { } invalid)
        {
            return invalid;
        }

        if (fromCookie)
        {
            RefreshCookie.Delete(context);
        }

        var account = RefreshTokenFormat.Username(token) is { } username && Identifiers.IsValidUsername(username)
            ? grains.GetGrain<IAccountGrain>(GrainKeys.Account(username))
            : null;
        if (body?.Everywhere == true)
        {
            // Everywhere needs a live token: the proof that the caller holds the account somewhere.
            return account is not null && await account.RevokeEverywhere(token!)
                ? TypedResults.NoContent()
                : Refused(SignIn.Refused(SignInRefusal.WrongCredentials), context, time);
        }

        // Unknown tokens are ignored: signing out twice, or with a token already used, is not an error.
        if (account is not null)
        {
            await account.RevokeRefreshToken(token!);
        }

        return TypedResults.NoContent();
    }

    /// <summary>The refresh token of the body, else of the refresh cookie (and whether it came from there).</summary>
    private static (string? Token, bool FromCookie) Presented(string? fromBody, HttpContext context) =>
        !string.IsNullOrEmpty(fromBody) ? (fromBody, false)
        : RefreshCookie.Read(context) is { } cookie ? (cookie, true)
        : (fromBody, false);

    private static ValidationProblem? Validate(string? token)
    {
        var errors = new ValidationErrors().RequireText(token, "refreshToken", MaxRefreshToken);
        return errors.IsEmpty ? null : Problems.Invalid(errors);
    }

    private static ProblemHttpResult Refused(SignIn signIn, HttpContext context, TimeProvider time)
    {
        if (signIn.RetryAt is { } retryAt)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling((retryAt - time.GetUtcNow()).TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return signIn.Refusal switch
        {
            SignInRefusal.Disabled => Problems.Refusal(
                StatusCodes.Status403Forbidden, "accountDisabled", "This account is disabled: ask the staff of your community."),
            SignInRefusal.LockedOut => Problems.Refusal(
                StatusCodes.Status429TooManyRequests, "lockedOut",
                "Too many wrong passwords: this account is locked for a while, except on devices where it signed in before. Its staff have been told and can unlock it."),
            SignInRefusal.TooManyAttempts => Problems.Refusal(
                StatusCodes.Status429TooManyRequests, "tooManySignIns", "Too many sign-ins to this account: try again later."),
            _ => TypedResults.Problem(
                "The username or password (or refresh token) is not correct.",
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Not authenticated."),
        };
    }
}
