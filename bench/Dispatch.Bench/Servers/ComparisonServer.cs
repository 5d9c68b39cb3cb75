using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.Bench.Servers;

/// <summary>
/// What every comparison server shares: a slim host that logs warnings only, and Dispatch's token
/// validation (issuer, audience, key, subject and role claims, skew; on <c>/hubs</c> the token may
/// come in <c>access_token</c>, as browsers send it), so that Dispatch's own tokens work unchanged.
/// </summary>
public static class ComparisonServer
{
    public static WebApplicationBuilder CreateBuilder(string[] args, string signingKey)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = "dispatch",
                ValidAudience = "dispatch",
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)),
                NameClaimType = "sub",
                RoleClaimType = "role",
                ClockSkew = TimeSpan.FromSeconds(30),
            };
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
        return builder;
    }
}
