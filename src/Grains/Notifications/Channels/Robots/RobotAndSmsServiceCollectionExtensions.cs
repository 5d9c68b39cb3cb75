using Dispatch.Notifications.Channels.Robots;
using Dispatch.Notifications.Channels.Sms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Notifications.Channels;

public static class RobotAndSmsServiceCollectionExtensions
{
    /// <summary>
    /// The WeCom, DingTalk and Feishu robots as <see cref="IChannelSender"/>s, and the SMS sender when
    /// <c>Dispatch:Notifications:Sms:Provider</c> is set.
    /// </summary>
    public static IServiceCollection AddRobotAndSmsSenders(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<RobotOptions>()
            .Bind(configuration.GetSection(RobotOptions.Section))
            .Validate(o => o.IsValid(), $"The robot limits under {RobotOptions.Section} are out of range (see docs/CONFIGURATION.md).")
            .ValidateOnStart();
        services.TryAddSingleton(sp => RobotHttp.Create(sp.GetRequiredService<IOptions<RobotOptions>>().Value.RequestTimeout));
        services.TryAddSingleton<WeComRobotSender>();
        services.TryAddSingleton<DingTalkRobotSender>();
        services.TryAddSingleton<FeishuRobotSender>();
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<WeComRobotSender>());
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<DingTalkRobotSender>());
        services.AddSingleton<IChannelSender>(sp => sp.GetRequiredService<FeishuRobotSender>());

        services.AddOptions<SmsOptions>()
            .Bind(configuration.GetSection(SmsOptions.Section))
            .Validate(o => o.IsValid(), $"SMS is switched on under {SmsOptions.Section} but its provider or settings are incomplete (see docs/CONFIGURATION.md).")
            .ValidateOnStart();
        var sms = configuration.GetSection(SmsOptions.Section).Get<SmsOptions>() ?? new SmsOptions();
        if (sms.IsOn)
        {
            services.TryAddSingleton<ISmsProvider>(sp => new AliyunSmsProvider(
                new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
                {
                    Timeout = sp.GetRequiredService<IOptions<SmsOptions>>().Value.RequestTimeout,
                },
                sp.GetRequiredService<IOptions<SmsOptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<AliyunSmsProvider>>()));
            services.AddSingleton<IChannelSender, SmsSender>();
        }

        return services;
    }
}
