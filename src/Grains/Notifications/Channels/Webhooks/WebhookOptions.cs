namespace Dispatch.Notifications.Channels.Webhooks;

/// <summary>How outgoing webhooks are sent (<c>Dispatch:Notifications:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Dispatch:Notifications:Webhooks";

    /// <summary>How long one POST may take before it counts as a failure to retry.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    public bool IsValid() => Timeout >= TimeSpan.FromSeconds(1) && Timeout <= TimeSpan.FromMinutes(5);
}
