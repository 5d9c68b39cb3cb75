using Dispatch.WebHost.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Dispatch.WebHost.Auth;

/// <summary>
/// Answers a request refused by a role policy with the same problem details as every other
/// refusal (a <c>reason</c> of <c>roleNotAllowed</c>), instead of an empty 403.
/// </summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            await Problems.Refusal(StatusCodes.Status403Forbidden, "roleNotAllowed", "Your role may not do this.").ExecuteAsync(context);
            return;
        }

        await fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
