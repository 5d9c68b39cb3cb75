using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;

namespace Dispatch.Notifications.Channels.Robots;

/// <summary>
/// What the three group robots share: the per-robot limiter, the HTTP call and how an HTTP answer
/// maps to a <see cref="ChannelResult"/>. Each vendor supplies its format, signature and error codes.
/// </summary>
public abstract partial class RobotSender : IChannelSender, IRobotWire, IDisposable
{
    /// <summary>Chinese text travels as UTF-8, not \u escapes, so byte limits mean what the vendor counts.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private readonly RobotHttp http;
    private readonly RobotRateLimiter limiter;
    private readonly ILogger logger;

    protected RobotSender(RobotHttp http, RobotChannelOptions channel, string digestTitle, TimeProvider time, ILogger logger)
    {
        this.http = http;
        this.logger = logger;
        MaxBytes = channel.MaxBytes;
        DigestTitle = digestTitle;
        Time = time;
        limiter = new RobotRateLimiter(channel.Windows(), time, this);
    }

    public abstract string Channel { get; }

    protected int MaxBytes { get; }

    protected string DigestTitle { get; }

    protected TimeProvider Time { get; }

    public Task<ChannelResult> SendAsync(ChannelTarget target, ChannelMessage message, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(target.Address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return Task.FromResult(new ChannelResult(ChannelOutcome.Rejected, "The robot's address is not an http(s) URL."));
        }

        return limiter.SendAsync(target, message, cancellationToken);
    }

    public IReadOnlyList<RobotPost> Render(IReadOnlyList<ChannelMessage> batch) => Render(RobotText.Compose(batch, DigestTitle));

    /// <summary>The vendor's parts for one post (alone or digest), each within <see cref="MaxBytes"/>.</summary>
    protected abstract IReadOnlyList<RobotPost> Render(RobotPost post);

    public abstract Task<ChannelResult> PostAsync(ChannelTarget target, RobotPost part, CancellationToken cancellationToken);

    /// <summary>The vendor's verdict on a JSON answer (HTTP 200, or a 4xx that carries the vendor's code).</summary>
    protected abstract ChannelResult Interpret(JsonElement answer);

    public void Dispose()
    {
        limiter.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The JSON as it goes on the wire (UTF-8), to measure it against a body limit.</summary>
    protected static int WireBytes(JsonObject body) => Encoding.UTF8.GetByteCount(body.ToJsonString(Json));

    protected async Task<ChannelResult> PostJsonAsync(ChannelTarget target, Uri uri, JsonObject body, CancellationToken cancellationToken)
    {
        var result = await CallAsync(uri, body, cancellationToken).ConfigureAwait(false);
        if (result.Outcome != ChannelOutcome.Delivered)
        {
            LogPostFailed(Channel, Fingerprint(target.Address), result.Outcome, result.Detail);
        }

        return result;
    }

    private async Task<ChannelResult> CallAsync(Uri uri, JsonObject body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body.ToJsonString(Json), Encoding.UTF8, "application/json");
        try
        {
            using var response = await http.Client.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
            {
                var retryAfter = response.Headers.RetryAfter?.Delta;
                return new ChannelResult(ChannelOutcome.RetryLater, $"HTTP {status}", retryAfter);
            }

            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return new ChannelResult(ChannelOutcome.Gone, $"HTTP {status}: the robot's address is gone.");
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var answer = JsonDocument.Parse(text);
                if (answer.RootElement.ValueKind == JsonValueKind.Object)
                {
                    return Interpret(answer.RootElement);
                }
            }
            catch (JsonException)
            {
                // Not the vendor's JSON: judged by the status below.
            }

            return response.IsSuccessStatusCode
                ? new ChannelResult(ChannelOutcome.RetryLater, $"HTTP {status} without the robot's answer.")
                : new ChannelResult(ChannelOutcome.Rejected, $"HTTP {status}");
        }
        catch (HttpRequestException exception)
        {
            return new ChannelResult(ChannelOutcome.RetryLater, $"The robot could not be reached ({exception.HttpRequestError}).");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ChannelResult(ChannelOutcome.RetryLater, "The robot did not answer in time.");
        }
    }

    /// <summary>The vendor's code and message for the delivery log, cut short (never the URL: it holds the key).</summary>
    protected static string Describe(long code, JsonElement answer, string messageProperty)
    {
        var message = answer.TryGetProperty(messageProperty, out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        message = message is { Length: > 160 } ? message[..160] : message;
        return $"{code}: {message}";
    }

    protected static long Code(JsonElement answer, string property) =>
        answer.TryGetProperty(property, out var code) && code.TryGetInt64(out var value) ? value : long.MinValue;

    /// <summary>Names a robot in logs without its key: the host and a short hash of the URL.</summary>
    protected static string Fingerprint(string address)
    {
        var host = Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.Host : "?";
        return $"{host}#{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address)))[..8]}";
    }

    /// <summary>Splits the text and numbers the parts; <paramref name="title"/> names each part.</summary>
    protected IReadOnlyList<RobotPost> SplitInto(string title, string text, bool numberTitles, int? maxBytes = null)
    {
        var chunks = RobotText.Split(text, maxBytes ?? MaxBytes);
        return chunks
            .Select((chunk, i) => new RobotPost(numberTitles && chunks.Count > 1 ? $"({i + 1}/{chunks.Count}) {title}" : title, chunk))
            .ToList();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {Channel} robot {Robot} did not take a message: {Outcome} ({Detail})")]
    private partial void LogPostFailed(string channel, string robot, ChannelOutcome outcome, string? detail);
}
