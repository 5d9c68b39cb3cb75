using MailKit.Security;

namespace Dispatch.Notifications.Channels.Email;

/// <summary>The SMTP server e-mail goes through (<c>Dispatch:Notifications:Email</c>); e-mail is off while <see cref="Host"/> is empty.</summary>
public sealed class EmailOptions
{
    public const string Section = "Dispatch:Notifications:Email";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>None (plain, for a relay on the same machine), StartTls, StartTlsWhenAvailable or SslOnConnect (port 465).</summary>
    public SecureSocketOptions Tls { get; set; } = SecureSocketOptions.StartTls;

    /// <summary>Signs in only when set.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender's address, for example <c>dispatch@example.org</c>.</summary>
    public string? From { get; set; }

    /// <summary>The sender's display name.</summary>
    public string FromName { get; set; } = "Dispatch";

    /// <summary>How long connecting and sending one message may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public bool IsValid() =>
        !Enabled
        || (Port is >= 1 and <= 65535
            && MimeKit.MailboxAddress.TryParse(From, out _)
            && Timeout >= TimeSpan.FromSeconds(1) && Timeout <= TimeSpan.FromMinutes(5)
            && (string.IsNullOrEmpty(User) || Password is not null));
}
