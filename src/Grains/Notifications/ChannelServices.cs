using Dispatch.Notifications.Channels;
using Dispatch.Notifications.Channels.Email;
using Dispatch.Notifications.Channels.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Notifications;

/// <summary>Registers the webhook and e-mail senders as <see cref="IChannelSender"/>s, bound to <c>Dispatch:Notifications:*</c>.</summary>
public static class ChannelServices
{
    public static IServiceCollection AddWebhookAndEmailChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.IsValid(), $"{WebhookOptions.Section}:Timeout must be between 00:00:01 and 00:05:00.")
            .ValidateOnStart();
        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.Section))
            .Validate(o => o.IsValid(), $"{EmailOptions.Section}: with a Host, From must be an e-mail address, Port between 1 and 65535, Timeout between 00:00:01 and 00:05:00, and a User needs a Password.")
            .ValidateOnStart();

        // One client for every webhook: pooled connections renewed now and then so DNS changes are seen.
        services.AddSingleton<IChannelSender>(provider => new WebhookSender(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AllowAutoRedirect = false })
            {
                Timeout = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout,
            },
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<WebhookSender>>()));
        services.AddSingleton<IChannelSender, EmailSender>();
        services.AddOptions<DeliveryPolicy>()
            .Bind(configuration.GetSection(DeliveryPolicy.Section))
            .Validate(o => o.IsValid(), $"{DeliveryPolicy.Section}: FirstRetryDelay from 00:00:01 up to MaxRetryDelay, MaxRetryDelay at most 1.00:00:00, WebhookGiveUpAfter and GiveUpAfter between 00:01:00 and 30.00:00:00, LogCapacity between 10 and 10000.")
            .ValidateOnStart();
        services.AddSingleton<OutboxDispatcher>();
        services.AddSingleton(provider => new DigestReader(
            provider.GetRequiredService<IGrainFactory>(), () => provider.GetRequiredService<Queries.IRequestQueries>()));
        return services;
    }
}
