using System.Collections.Immutable;
using Dispatch.Accounts;
using Dispatch.Common;
using Dispatch.Places;
using Dispatch.WebHost.Auth;
using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Dispatch.WebHost.Accounts;

public sealed record CreateAccountRequest(
    string? Username,
    [property: SecretData] string? Password,
    string? DisplayName,
    AccountRole? Role,
    string? PlaceId,
    string[]? Skills)
{
    public override string ToString() => ClassifiedText.Of(this);
}

public sealed record DisableAccountRequest(string? Reason);

public sealed record ChangePasswordRequest([property: SecretData] string? CurrentPassword, [property: SecretData] string? NewPassword)
{
    public override string ToString() => ClassifiedText.Of(this);
}

public sealed record ChangeRoleRequest(AccountRole? Role, string? PlaceId);

/// <summary>A page of the staff and admin accounts placed at or below a place.</summary>
public sealed record AccountPage(ImmutableArray<AccountView> Items, int Total, int Page, int PageSize);

public static class AccountsApi
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 200;
    public const int MaxQuery = 100;

    public const int MaxDisplayName = 100;
    public const int MaxReason = 500;
    public const int MaxSkills = 20;
    public const int MaxSkill = 50;

    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/accounts").WithTags("Accounts");
        group.MapPost("/", CreateAccount).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Create an account: admins create anyone, staff create volunteers inside their scope and unit contacts (role unit, placeId the organisation) for organisations they see.");
        group.MapGet("/me", ([AsParameters] CallContext call) => GetAccount(call.Caller.Username, call))
            .WithSummary("The account of the token's holder.");
        group.MapGet("/{username}", GetAccount)
            .WithSummary("An account: its holder, admins, and staff whose scope contains its place.");
        group.MapPost("/{username}/disable", Disable).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Disable an account: it cannot sign in, its refresh tokens stop at once and its access tokens when they expire. Staff disable volunteers in their scope; admins anyone but themselves.");
        group.MapPost("/{username}/enable", Enable).RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Enable a disabled account, or unlock one locked after wrong passwords; resets every count of wrong passwords and sign-ins.");
        group.MapPut("/{username}/password", ChangePassword)
            .WithSummary("Change a password: the holder with their current password (wrong ones count with the account's wrong sign-ins: 429 once it is locked); staff for volunteers in their scope and admins for anyone, without it. Revokes every refresh token.");
        group.MapPut("/{username}/role", ChangeRole).RequireAuthorization(AuthenticationSetup.AdminPolicy)
            .WithSummary("Move an account to another role and place (admins). Revokes every refresh token.");
        api.MapGet("/places/{id}/accounts", List).WithTags("Accounts").RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("The staff and admin accounts placed at or below a place (staff in scope), disabled ones included, by display name; role (staff or admin) filters, q searches the display name and username; paged ({items, total, page, pageSize}).");
        api.MapGet("/places/{id}/security-events", GetSecurityEvents).WithTags("Accounts")
            .RequireAuthorization(AuthenticationSetup.StaffPolicy)
            .WithSummary("Lockouts, disabled and enabled accounts, password and role changes of the accounts placed here, oldest first.");
        return api;
    }

    private static async Task<Results<Created<AccountView>, ValidationProblem, ProblemHttpResult>> CreateAccount(
        CreateAccountRequest body, [AsParameters] CallContext call, AccountRegistration registration)
    {
        var username = body.Username is null ? null : Identifiers.NormalizeUsername(body.Username);
        var skills = (body.Skills ?? []).Select(s => s?.Trim() ?? "").ToArray();
        var weakPassword = PasswordPolicy.Check(body.Password, username);
        var errors = new ValidationErrors()
            .Require(Identifiers.IsValidUsername(username), "username", "'username' must be 2-64 letters, digits, '.', '_' or '-', starting with a letter or digit.")
            .Require(username is null || !Identifiers.ReservedUsernames.Contains(username), "username", $"'{username}' is reserved.")
            .Require(weakPassword is null, "password", weakPassword ?? "")
            .RequireText(body.DisplayName, "displayName", MaxDisplayName)
            .Require(body.Role is not null && Enum.IsDefined(body.Role.Value), "role", "'role' must be one of admin, staff, volunteer, unit.")
            .Require(body.Role != AccountRole.Department, "role", DepartmentRoleRule)
            .RequireText(body.PlaceId, "placeId", Identifiers.MaxLength)
            .Require(skills.Length <= MaxSkills, "skills", $"At most {MaxSkills} skills.")
            .Require(skills.All(s => s.Length is > 0 and <= MaxSkill), "skills", $"Each skill must be non-empty and at most {MaxSkill} characters.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var role = body.Role!.Value;
        string placeId;
        if (role == AccountRole.Unit)
        {
            // A unit's contact is placed at its organisation, not at a place.
            var unit = await call.Scope.UnitRegistration(call.Caller, body.PlaceId!);
            if (unit.Value is not { } organisation)
            {
                return Problems.From(unit.Failure!);
            }

            placeId = organisation.Id;
        }
        else
        {
            var found = await call.Scope.RegistrationPlace(call.Caller, body.PlaceId!, role);
            if (found.Value is not { } place)
            {
                return Problems.From(found.Failure!);
            }

            placeId = place.Id;
        }

        var outcome = await call.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(username!)).Create(
            new NewAccount(username!, body.Password!, body.DisplayName!, role, placeId, [.. skills]),
            call.Caller.Username);
        if (outcome.Value is not { } account)
        {
            return Problems.From(outcome.Failure!);
        }

        await registration.EnsureRegistered(account);
        return TypedResults.Created($"/api/accounts/{account.Username}", account);
    }

    private static async Task<Results<Ok<AccountView>, ProblemHttpResult>> GetAccount(
        string username, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Account(call.Caller, username);
        return found.Value is { } account ? TypedResults.Ok(account) : Problems.From(found.Failure!);
    }

    private static async Task<Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>> Disable(
        string username, DisableAccountRequest? body, [AsParameters] CallContext call)
    {
        if (body?.Reason is { Length: > MaxReason })
        {
            return Problems.Invalid("reason", $"'reason' must be at most {MaxReason} characters.");
        }

        var (account, refused) = await Managed(username, call);
        return refused ?? Result(await account!.Disable(call.Caller.Username, body?.Reason?.Trim() is { Length: > 0 } reason ? reason : null));
    }

    private static async Task<Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>> Enable(
        string username, [AsParameters] CallContext call)
    {
        var (account, refused) = await Managed(username, call);
        return refused ?? Result(await account!.Enable(call.Caller.Username));
    }

    private static async Task<Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>> ChangePassword(
        string username, ChangePasswordRequest body, [AsParameters] CallContext call)
    {
        username = Identifiers.NormalizeUsername(username);
        var own = username == call.Caller.Username;
        var errors = new ValidationErrors()
            .Require(!own || body.CurrentPassword is { Length: > 0 and <= PasswordPolicy.MaxLength }, "currentPassword", "'currentPassword' is required to change your own password.")
            .Require(body.NewPassword is not null, "newPassword", "'newPassword' is required.");
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (own)
        {
            var self = call.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(username));
            var changed = await self.ChangePassword(body.CurrentPassword, body.NewPassword!, call.Caller.Username);
            if (changed.Failure is { Kind: FailureKind.TooMany, RetryAt: { } retryAt })
            {
                var seconds = Math.Max(1, (int)Math.Ceiling((retryAt - call.Http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow()).TotalSeconds));
                call.Http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return Result(changed);
        }

        var (account, refused) = await Managed(username, call);
        return refused ?? Result(await account!.ChangePassword(null, body.NewPassword!, call.Caller.Username));
    }

    /// <summary>A department's staff are bound to their department, which only that route records.</summary>
    private const string DepartmentRoleRule = "A department account is made by assigning a department (PUT /api/accounts/{username}/department).";

    private static async Task<Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>> ChangeRole(
        string username, ChangeRoleRequest body, [AsParameters] CallContext call, AccountRegistration registration)
    {
        var errors = new ValidationErrors()
            .Require(body.Role is not null && Enum.IsDefined(body.Role.Value), "role", "'role' must be one of admin, staff, volunteer.")
            .Require(body.Role != AccountRole.Unit, "role", "A unit account is created for its organisation (POST /api/accounts), not moved into.")
            .Require(body.Role != AccountRole.Department, "role", DepartmentRoleRule)
            .RequireText(body.PlaceId, "placeId", Identifiers.MaxLength);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        if (await call.Scope.Places.Find(body.PlaceId!) is not { } place)
        {
            return Problems.Invalid("placeId", $"Place '{body.PlaceId}' does not exist.");
        }

        if (body.Role == AccountRole.Volunteer && place.Kind != PlaceKind.Community)
        {
            return Problems.Invalid("placeId", "A volunteer registers with a community.");
        }

        var (account, refused) = await Managed(username, call);
        if (refused is not null)
        {
            return refused;
        }

        var outcome = await account!.ChangeRole(body.Role!.Value, place.Id, call.Caller.Username);
        if (outcome.Value is { } changed)
        {
            await registration.EnsureRegistered(changed);
        }

        return Result(outcome);
    }

    private static async Task<Results<Ok<AccountPage>, ValidationProblem, ProblemHttpResult>> List(
        string id, string? role, string? q, string? page, string? pageSize, [AsParameters] CallContext call)
    {
        var errors = new ValidationErrors()
            .Require(q is null || q.Length <= MaxQuery, "q", $"'q' must be at most {MaxQuery} characters.");
        var wanted = Query.ParseEnum<AccountRole>(role, "role", errors);
        errors.Require(wanted != AccountRole.Volunteer, "role", "'role' must be staff or admin: volunteers are listed by /api/places/{id}/volunteers.");
        var paging = Query.Paging(page, pageSize, DefaultPageSize, MaxPageSize, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        // Each place knows the staff and admins placed there (its staff list too, for staff
        // registered before it kept accounts); their grains know the rest.
        var places = await call.Grains.PlacesUnder(place);
        var placeGrains = places.Select(p => call.Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(p))).ToList();
        var usernames = (await Task.WhenAll(placeGrains.SelectMany(p => new[] { p.GetAccounts(), p.GetStaff() })))
            .SelectMany(u => u)
            .Distinct(StringComparer.Ordinal);
        var accounts = (await Task.WhenAll(usernames.Select(u => call.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(u)).Get())))
            .OfType<AccountView>();

        var inPlaces = places.ToHashSet(StringComparer.Ordinal);
        var text = q?.Trim();
        var matching = accounts
            .Where(a => a.Role != AccountRole.Volunteer && inPlaces.Contains(a.PlaceId))
            .Where(a => wanted is null || a.Role == wanted)
            .Where(a => string.IsNullOrEmpty(text)
                || a.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase)
                || a.Username.Contains(text, StringComparison.OrdinalIgnoreCase))
            .OrderBy(a => a.DisplayName, StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("zh-CN"), ignoreCase: true))
            .ThenBy(a => a.Username, StringComparer.Ordinal)
            .ToList();
        var shown = paging.Of(matching).ToImmutableArray();
        return TypedResults.Ok(new AccountPage(shown, matching.Count, paging.Number, paging.Size));
    }

    private static async Task<Results<Ok<IReadOnlyList<SecurityEvent>>, ProblemHttpResult>> GetSecurityEvents(
        string id, [AsParameters] CallContext call)
    {
        var found = await call.Scope.Place(call.Caller, id);
        if (found.Value is not { } place)
        {
            return Problems.From(found.Failure!);
        }

        return TypedResults.Ok<IReadOnlyList<SecurityEvent>>(await call.Grains.GetGrain<IPlaceGrain>(GrainKeys.Place(place.Id)).GetSecurityEvents());
    }

    /// <summary>The account's grain, if the caller manages it (<see cref="ScopeGuard.ManagedAccount"/>).</summary>
    private static async Task<(IAccountGrain? Account, ProblemHttpResult? Refused)> Managed(
        string username, [AsParameters] CallContext call)
    {
        var found = await call.Scope.ManagedAccount(call.Caller, username);
        return found.Value is { } account
            ? (call.Grains.GetGrain<IAccountGrain>(GrainKeys.Account(account.Username)), null)
            : (null, Problems.From(found.Failure!));
    }

    private static Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult> Result(Outcome<AccountView> outcome) =>
        outcome switch
        {
            { Value: { } account } => TypedResults.Ok(account),
            { Failure: { Kind: FailureKind.Invalid, Field: { } field } failure } => Problems.Invalid(field, failure.Detail),
            _ => Problems.From(outcome.Failure!),
        };
}
