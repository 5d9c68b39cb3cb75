using System.Security.Claims;
using Dispatch.Common;
using Dispatch.WebHost.Auth;

namespace Dispatch.WebHost.Infrastructure;

/// <summary>
/// What every scoped handler needs, bound with <c>[AsParameters]</c>: the caller (read from the
/// token once per request), the grains and the <see cref="ScopeGuard"/>.
/// </summary>
public sealed class CallContext(HttpContext http, IGrainFactory grains, ScopeGuard scope)
{
    private Caller? caller;

    // [AsParameters] binds by constructor, and needs a public property for each of its parameters.
    public HttpContext Http => http;

    public ClaimsPrincipal User => http.User;

    /// <summary>Built on first use: anonymous routes bind this context too and never ask.</summary>
    public Caller Caller => caller ??= http.User.Caller();

    public IGrainFactory Grains => grains;

    public ScopeGuard Scope => scope;
}
