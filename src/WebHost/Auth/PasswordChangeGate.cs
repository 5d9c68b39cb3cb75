using Dispatch.WebHost.Infrastructure;

namespace Dispatch.WebHost.Auth;

/// <summary>
/// A token issued for a one-time password (set by the silo program's <c>reset-password</c>) allows
/// nothing but changing that password (<c>PUT /api/accounts/{own username}/password</c>), reading
/// one's own account and the token routes: everything else answers <c>403 passwordChangeRequired</c>.
/// </summary>
public sealed class PasswordChangeGate(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated != true || !context.User.MustChangePassword() || Allowed(context))
        {
            await next(context);
            return;
        }

        await Problems.Refusal(
            StatusCodes.Status403Forbidden,
            "passwordChangeRequired",
            "This account's password is a one-time password: change it first (PUT /api/accounts/{username}/password).").ExecuteAsync(context);
    }

    private static bool Allowed(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.StartsWithSegments("/api/auth"))
        {
            return true;
        }

        if (HttpMethods.IsGet(request.Method) && request.Path.Equals("/api/accounts/me", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var own = $"/api/accounts/{context.User.Username()}/password";
        return HttpMethods.IsPut(request.Method) && request.Path.Equals(own, StringComparison.OrdinalIgnoreCase);
    }
}
