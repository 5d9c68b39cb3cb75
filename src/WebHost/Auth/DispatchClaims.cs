using System.Security.Claims;
using Dispatch.Common;

namespace Dispatch.WebHost.Auth;

/// <summary>The claims Dispatch puts in its tokens, and how to read them back.</summary>
public static class DispatchClaims
{
    public const string Subject = "sub";
    public const string RoleType = "role";
    public const string Place = "place";
    public const string Name = "name";

    /// <summary>Present (<c>true</c>) while the account's password is a one-time password: the token allows nothing but changing it.</summary>
    public const string PasswordChange = "pwd_change";

    public const string Admin = "admin";
    public const string Staff = "staff";
    public const string Volunteer = "volunteer";
    public const string Applicant = "applicant";
    public const string Unit = "unit";
    public const string Department = "department";

    public static string RoleName(AccountRole role) => role switch
    {
        AccountRole.Admin => Admin,
        AccountRole.Staff => Staff,
        AccountRole.Volunteer => Volunteer,
        AccountRole.Applicant => Applicant,
        AccountRole.Unit => Unit,
        AccountRole.Department => Department,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static string Username(this ClaimsPrincipal user) =>
        user.FindFirstValue(Subject) ?? throw new InvalidOperationException("The token has no subject.");

    public static string PlaceId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Place) ?? throw new InvalidOperationException("The token has no place.");

    public static AccountRole Role(this ClaimsPrincipal user) => user.FindFirstValue(RoleType) switch
    {
        Admin => AccountRole.Admin,
        Staff => AccountRole.Staff,
        Volunteer => AccountRole.Volunteer,
        Applicant => AccountRole.Applicant,
        Unit => AccountRole.Unit,
        Department => AccountRole.Department,
        var other => throw new InvalidOperationException($"Unknown role '{other}' in token."),
    };

    public static bool MustChangePassword(this ClaimsPrincipal user) => user.HasClaim(PasswordChange, "true");

    public static Actor Actor(this ClaimsPrincipal user) => new(user.Username(), user.Role());

    /// <summary>The caller the token names, for <see cref="Dispatch.Places.Scope"/> and the grains.</summary>
    public static Caller Caller(this ClaimsPrincipal user) => new(user.Username(), user.Role(), user.PlaceId());
}
