using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Dispatch.Notifications.Channels.Email;

/// <summary>
/// Sends a message as a plain-text UTF-8 e-mail through the configured SMTP server (MailKit). The
/// Message-Id is derived from the message's dedupe key, so a repeat is recognisable as the same
/// mail. A temporary SMTP failure (4xx, no connection) is tried again later; a permanent refusal of
/// the recipient means the address is gone; other permanent refusals reject the message.
/// </summary>
public sealed partial class EmailSender(IOptions<EmailOptions> options, ILogger<EmailSender> logger) : IChannelSender
{
    public string Channel => ChannelNames.Email;

    public async Task<ChannelResult> SendAsync(ChannelTarget target, ChannelMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return new ChannelResult(ChannelOutcome.Rejected, "E-mail is not configured.");
        }

        if (!MailboxAddress.TryParse(target.Address, out var to))
        {
            return new ChannelResult(ChannelOutcome.Rejected, "The address is not an e-mail address.");
        }

        using var mail = Compose(settings, to, message);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, settings.Tls, cancellationToken);
            if (!string.IsNullOrEmpty(settings.User))
            {
                await client.AuthenticateAsync(settings.User, settings.Password ?? string.Empty, cancellationToken);
            }

            await client.SendAsync(mail, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return ChannelResult.Delivered;
        }
        catch (SmtpCommandException exception) when ((int)exception.StatusCode >= 500)
        {
            return exception.ErrorCode == SmtpErrorCode.RecipientNotAccepted
                ? new ChannelResult(ChannelOutcome.Gone, $"The server refused the recipient ({(int)exception.StatusCode}).")
                : new ChannelResult(ChannelOutcome.Rejected, $"The server refused the message ({(int)exception.StatusCode}).");
        }
        catch (SmtpCommandException exception)
        {
            return new ChannelResult(ChannelOutcome.RetryLater, $"The server asked to try again ({(int)exception.StatusCode}).");
        }
        catch (Exception exception) when (exception is SmtpProtocolException or AuthenticationException or SslHandshakeException
            or IOException or SocketException or TimeoutException or ServiceNotConnectedException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogFailed(exception, settings.Host!, settings.Port);
            return new ChannelResult(ChannelOutcome.RetryLater, $"The SMTP server could not take the message ({exception.GetType().Name}).");
        }
    }

    /// <summary>The mail as it goes out: UTF-8 subject and body, a Message-Id fixed by the dedupe key.</summary>
    public static MimeMessage Compose(EmailOptions settings, MailboxAddress to, ChannelMessage message)
    {
        var mail = new MimeMessage { Subject = message.Title, Date = message.At };
        mail.From.Add(new MailboxAddress(settings.FromName, MailboxAddress.Parse(settings.From!).Address));
        mail.To.Add(to);
        var domain = MailboxAddress.Parse(settings.From!).Domain;
        mail.MessageId = $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.Key)))[..32]}@{domain}";
        var body = new TextPart(MimeKit.Text.TextFormat.Plain);
        body.SetText(Encoding.UTF8, message.Text);
        mail.Body = body;
        return mail;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending e-mail through {Host}:{Port} failed; it is tried again later")]
    private partial void LogFailed(Exception exception, string host, int port);
}
