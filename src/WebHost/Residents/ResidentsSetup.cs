using Dispatch.WebHost.Security;
using Microsoft.Extensions.Options;

namespace Dispatch.WebHost.Residents;

/// <summary>The residents' side (群众): filing, triage, tracking; its services and routes.</summary>
public static class ResidentsSetup
{
    public static IHostApplicationBuilder AddDispatchResidents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ResidentOptions>()
            .Bind(builder.Configuration.GetSection(ResidentOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ResidentOptions>>(new ProblemsValidator<ResidentOptions>(o => o.Problems()));
        builder.Services.AddSingleton<IntakeFormTokens>();
        return builder;
    }

    /// <summary>Mapped beside the <c>/api</c> group: the filing and tracking routes are anonymous.</summary>
    public static WebApplication MapResidentsApi(this WebApplication app)
    {
        app.MapIntakeApi();
        app.MapTrackingApi();
        return app;
    }
}
