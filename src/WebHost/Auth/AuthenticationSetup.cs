using Dispatch.Silo.Hosting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.WebHost.Auth;

public static class AuthenticationSetup
{
    public const string AdminPolicy = "admin";
    public const string StaffPolicy = "staff";
    public const string VolunteerPolicy = "volunteer";
    /// <summary>Reading one's own application: applicants, and volunteers (who may have been one).</summary>
    public const string ApplicantPolicy = "applicant";
    /// <summary>
    /// Reading a unit's report (双报告): staff and admins, and the unit's own contact (ScopeGuard.Organisation
    /// decides which unit). Its routes are mapped beside the <c>/api</c> group, whose default policy refuses unit contacts.
    /// </summary>
    public const string UnitReportPolicy = "unitReport";

    /// <summary>Members and department accounts: the suggestion routes a department answers from (its queue, a suggestion, the answer).</summary>
    public const string SuggestionsPolicy = "suggestions";

    /// <summary>
    /// One's own inbox: members, and the accounts the default policy refuses elsewhere that notices
    /// reach (a unit's contact, a department's account). The username always comes from the token.
    /// </summary>
    public const string InboxPolicy = "inbox";

    /// <summary>JWT bearer authentication with Dispatch's own signing key, and the role policies.</summary>
    public static IHostApplicationBuilder AddDispatchAuthentication(this IHostApplicationBuilder builder)
    {
        // A client-mode web host is one of several in front of a cluster: a key each would make every
        // host refuse the tokens of the others. They must share one from configuration.
        var clientMode = builder.Configuration.GetSection(OrleansOptions.Section).Get<OrleansOptions>()?.Mode == OrleansMode.Client;
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .Validate(
                o => !clientMode || !string.IsNullOrEmpty(o.SigningKey),
                $"{AuthOptions.Section}:SigningKey is required with {OrleansOptions.Section}:Mode=Client: every web host of a cluster must sign tokens with the same key (at least 32 bytes, e.g. openssl rand -base64 48).")
            .Validate(o => o.TokenLifetime > TimeSpan.Zero, $"{AuthOptions.Section}:TokenLifetime must be positive.")
            .Validate(
                o => string.IsNullOrEmpty(o.SigningKey) || System.Text.Encoding.UTF8.GetByteCount(o.SigningKey) >= 32,
                $"{AuthOptions.Section}:SigningKey must be at least 32 bytes long (or empty, to use a generated key).")
            .Validate(
                o => string.IsNullOrEmpty(o.PreviousSigningKey) || System.Text.Encoding.UTF8.GetByteCount(o.PreviousSigningKey) >= 32,
                $"{AuthOptions.Section}:PreviousSigningKey must be at least 32 bytes long.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SigningKeyProvider>();
        builder.Services.AddSingleton<TokenIssuer>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<SigningKeyProvider, TimeProvider>((options, keys, time) =>
            {
                var skew = TimeSpan.FromSeconds(30);
                options.MapInboundClaims = false;
                options.TimeProvider = time;

                // A token validated once is remembered for its next uses (CachedTokenHandler).
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(CachedTokenHandler.ForJwt(time));
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = AuthOptions.Issuer,
                    ValidAudience = AuthOptions.Audience,
                    IssuerSigningKeys = keys.ValidationKeys,
                    NameClaimType = DispatchClaims.Subject,
                    RoleClaimType = DispatchClaims.RoleType,
                    ClockSkew = skew,

                    // Token lifetimes are judged on the host's TimeProvider, the clock that issued them.
                    LifetimeValidator = (notBefore, expires, _, _) =>
                    {
                        var now = time.GetUtcNow().UtcDateTime;
                        return (notBefore is null || notBefore.Value <= now + skew) && (expires is null || expires.Value > now - skew);
                    },
                };

                // Browsers cannot set headers on WebSocket requests: consoles pass the token in the query string.
                options.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        if (context.Request.Path.StartsWithSegments("/hubs")
                            && context.Request.Query["access_token"] is [{ Length: > 0 } token])
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                };
            });

        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        // A token is not enough: it must be of a member (admin, staff, volunteer). An applicant who
        // reported in and waits may only read their application (the applicant policy), and a unit's
        // contact only its unit's report (the unit report policy), whatever route or hub they try, so
        // no handler has to remember to refuse them.
        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireRole(DispatchClaims.Admin, DispatchClaims.Staff, DispatchClaims.Volunteer)
                .Build())
            .AddPolicy(ApplicantPolicy, p => p.RequireRole(DispatchClaims.Applicant, DispatchClaims.Volunteer))
            // A unit's contact is refused everywhere by the default policy, and admitted by this one only.
            .AddPolicy(UnitReportPolicy, p => p.RequireRole(DispatchClaims.Admin, DispatchClaims.Staff, DispatchClaims.Unit))
            .AddPolicy(AdminPolicy, p => p.RequireRole(DispatchClaims.Admin))
            .AddPolicy(StaffPolicy, p => p.RequireRole(DispatchClaims.Admin, DispatchClaims.Staff))
            .AddPolicy(VolunteerPolicy, p => p.RequireRole(DispatchClaims.Volunteer))
            // Department accounts pass only the routes of their queue; the default policy refuses them everywhere else.
            .AddPolicy(SuggestionsPolicy, p => p.RequireRole(DispatchClaims.Admin, DispatchClaims.Staff, DispatchClaims.Volunteer, DispatchClaims.Department))
            // Unit contacts and department accounts read and mark their own inbox, nothing more.
            .AddPolicy(InboxPolicy, p => p.RequireRole(DispatchClaims.Admin, DispatchClaims.Staff, DispatchClaims.Volunteer, DispatchClaims.Unit, DispatchClaims.Department));
        return builder;
    }
}
