using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace Dispatch.Notifications.Channels.Webhooks;

/// <summary>
/// Sends a message as a Standard Webhooks 1.0 POST: a JSON body, <c>webhook-id</c> (the message's
/// dedupe key, the same on every retry), <c>webhook-timestamp</c> (seconds) and
/// <c>webhook-signature</c> signed with each of the target's secrets. A 2xx answer is delivered,
/// 410 Gone disables the endpoint, anything else (or no answer in time) is tried again later.
/// </summary>
public sealed partial class WebhookSender(HttpClient http, TimeProvider time, ILogger<WebhookSender> logger) : IChannelSender
{
    public string Channel => ChannelNames.Webhook;

    public async Task<ChannelResult> SendAsync(ChannelTarget target, ChannelMessage message, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(target.Address, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            return new ChannelResult(ChannelOutcome.Rejected, "The endpoint is not an http(s) URL.");
        }

        if (target.Secrets.Count == 0 || !target.Secrets.All(StandardWebhooks.IsSecret))
        {
            return new ChannelResult(ChannelOutcome.Rejected, "The endpoint has no valid whsec_ secret.");
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(WebhookPayload.Of(message), WebhookJson.Default.WebhookPayload);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(StandardWebhooks.IdHeader, message.Key);
        request.Headers.Add(StandardWebhooks.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(StandardWebhooks.SignatureHeader, StandardWebhooks.Sign(message.Key, timestamp, body, target.Secrets));

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return ChannelResult.Delivered;
            }

            if (response.StatusCode == HttpStatusCode.Gone)
            {
                return new ChannelResult(ChannelOutcome.Gone, "The endpoint answered 410 Gone.");
            }

            // The receiver's body is not kept: it may quote anything, and the log shows only the status.
            return new ChannelResult(ChannelOutcome.RetryLater, $"The endpoint answered {status}.", RetryAfterOf(response));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ChannelResult(ChannelOutcome.RetryLater, $"No answer within {http.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException exception)
        {
            LogUnreachable(exception, url.Host);
            return new ChannelResult(ChannelOutcome.RetryLater, $"The endpoint could not be reached ({exception.HttpRequestError}).");
        }
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } when date > time.GetUtcNow() => date - time.GetUtcNow(),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "A webhook endpoint at {Host} could not be reached")]
    private partial void LogUnreachable(Exception exception, string host);
}

/// <summary>The JSON a webhook receives: Standard Webhooks' <c>type</c>, <c>timestamp</c> and <c>data</c>.</summary>
public sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, WebhookNotice Data)
{
    public const string NoticeType = "dispatch.notice";

    public static WebhookPayload Of(ChannelMessage message) =>
        new(NoticeType, message.At, new WebhookNotice(message.Key, message.Title, message.Text));
}

/// <summary>The notice itself: its dedupe key, its title and its text.</summary>
public sealed record WebhookNotice(string Key, string Title, string Text);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WebhookPayload))]
internal sealed partial class WebhookJson : JsonSerializerContext;
