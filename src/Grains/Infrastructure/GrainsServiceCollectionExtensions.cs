using Dispatch.Accounts;
using Dispatch.Escalation;
using Dispatch.Notifications;
using Dispatch.Notifications.Channels;
using Dispatch.Volunteers;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Dispatch;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Services the grains depend on, bound to the <c>Dispatch</c> configuration.</summary>
    public static IServiceCollection AddDispatchGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IPasswordHasher<AccountGrain.State>, PasswordHasher<AccountGrain.State>>();
        services.AddOptions<VolunteerOptions>()
            .Bind(configuration.GetSection(VolunteerOptions.Section))
            .Validate(o => o.ClaimLimit is >= 1 and <= 1000, $"{VolunteerOptions.Section}:ClaimLimit must be between 1 and 1000.")
            .ValidateOnStart();
        services.AddOptions<AccountSecurityOptions>()
            .Bind(configuration.GetSection(AccountSecurityOptions.Section))
            .Validate(o => o.IsValid(), $"The sign-in and refresh token settings under {AccountSecurityOptions.Section} are out of range (see docs/CONFIGURATION.md).")
            .ValidateOnStart();
        services.AddOptions<EscalationOptions>()
            .Bind(configuration.GetSection(EscalationOptions.Section))
            .Validate(
                o => Enum.GetValues<Requests.Urgency>().All(u => PolicyLimits.Validate(o.For(u)).IsEmpty),
                $"Every duration under {EscalationOptions.Section} must be between 00:00:01 and 365.00:00:00.")
            .ValidateOnStart();
        services.AddOptions<Requests.RequestOptions>()
            .Bind(configuration.GetSection(Requests.RequestOptions.Section))
            .Validate(o => o.IsValid(), $"{Requests.RequestOptions.Section}:ReclaimCoolDown must be between 00:00:00 and 1.00:00:00, IdleDeactivation between 00:02:00 and 1.00:00:00, and HistoryKept between {Requests.RequestOptions.MinHistoryKept} and {Requests.RequestOptions.MaxHistoryKept}.")
            .ValidateOnStart();

        // Idle requests leave memory sooner than Orleans' default (15 minutes): an open request costs
        // heap only while someone works on it; its reminder wakes it for a deadline.
        services.AddOptions<GrainCollectionOptions>()
            .Configure<IOptions<Requests.RequestOptions>>((collection, requests) =>
                collection.ClassSpecificCollectionAge[typeof(Requests.RequestGrain).FullName!] = requests.Value.IdleDeactivation);
        services.AddOptions<Communities.BoardOptions>()
            .Bind(configuration.GetSection(Communities.BoardOptions.Section))
            .Validate(o => o.IsValid(), $"{Communities.BoardOptions.Section}:FinishedWindow must be between 00:01:00 and 366.00:00:00.")
            .ValidateOnStart();
        services.AddOptions<Points.PointsOptions>()
            .Bind(configuration.GetSection(Points.PointsOptions.Section))
            .Validate(o => o.IsValid(), $"Every multiplier under {Points.PointsOptions.Section} must be between 0 and {Points.PointsOptions.MaxMultiplier}.")
            .ValidateOnStart();
        services.AddOptions<Notifications.NotificationOptions>()
            .Bind(configuration.GetSection(Notifications.NotificationOptions.Section))
            .Validate(o => o.IsValid(), $"{Notifications.NotificationOptions.Section}:InboxRetention must be between 1.00:00:00 and 3660.00:00:00, InboxCapacity between 10 and 10000, and DigestTime a time of day (00:00 to 23:59:59).")
            .ValidateOnStart();
        services.AddWebhookAndEmailChannels(configuration);
        services.AddRobotAndSmsSenders(configuration);
        return services;
    }
}
