namespace Dispatch.Notifications.Channels.Sms;

/// <summary>
/// The <c>sms</c> channel: a message's title (SMS is short) to the target's phone number through
/// the configured provider. Registered only when SMS is configured.
/// </summary>
public sealed class SmsSender(ISmsProvider provider) : IChannelSender
{
    public string Channel => ChannelNames.Sms;

    public Task<ChannelResult> SendAsync(ChannelTarget target, ChannelMessage message, CancellationToken cancellationToken)
    {
        var phoneNumber = PhoneNumbers.Normalise(target.Address);
        if (phoneNumber is null)
        {
            return Task.FromResult(new ChannelResult(
                ChannelOutcome.Rejected, $"{PhoneNumbers.Mask(target.Address)} is not a mainland mobile number."));
        }

        return provider.SendAsync(phoneNumber, message.Title, message.Key, cancellationToken);
    }
}
