namespace Dispatch.Notifications.Channels.Sms;

/// <summary>
/// One SMS provider's API: a short text to one mainland mobile number, sent through the provider's
/// approved sign and template. A provider never puts the number into a result's detail or a log.
/// </summary>
public interface ISmsProvider
{
    /// <summary>The provider's name in configuration (<c>Dispatch:Notifications:Sms:Provider</c>).</summary>
    string ProviderName { get; }

    /// <summary>Sends <paramref name="text"/> to <paramref name="phoneNumber"/> (11 digits); never throws for the provider's own failures.</summary>
    Task<ChannelResult> SendAsync(string phoneNumber, string text, string dedupeKey, CancellationToken cancellationToken);
}
