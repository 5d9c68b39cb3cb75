using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dispatch.Notifications.Channels.Sms;

/// <summary>
/// Aliyun SMS <c>SendSms</c> (API version 2017-05-25) over its RPC interface: a form POST of the
/// signed parameters. The text goes into the template's one variable.
/// </summary>
public sealed partial class AliyunSmsProvider(HttpClient http, IOptions<SmsOptions> options, TimeProvider time, ILogger<AliyunSmsProvider> logger)
    : ISmsProvider, IDisposable
{
    public const string Name = "aliyun";

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Answers that mean "not now": the provider's flow control and a drained balance.</summary>
    private static readonly HashSet<string> Transient = new(StringComparer.Ordinal)
    {
        "isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "Throttling", "isv.AMOUNT_NOT_ENOUGH", "isp.SYSTEM_ERROR", "ServiceUnavailable",
    };

    private readonly AliyunSmsOptions aliyun = options.Value.Aliyun;

    public string ProviderName => Name;

    public async Task<ChannelResult> SendAsync(string phoneNumber, string text, string dedupeKey, CancellationToken cancellationToken)
    {
        var result = await CallAsync(phoneNumber, text, dedupeKey, cancellationToken).ConfigureAwait(false);
        if (result.Outcome != ChannelOutcome.Delivered)
        {
            LogNotSent(PhoneNumbers.Mask(phoneNumber), result.Outcome, result.Detail);
        }

        return result;
    }

    /// <summary>The signed form the provider receives; public so its signing is tested on its own.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SignedParameters(string phoneNumber, string text, string dedupeKey, string nonce)
    {
        var value = text.Length > aliyun.MaxTextLength ? string.Concat(text.AsSpan(0, aliyun.MaxTextLength - 1), "…") : text;
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("AccessKeyId", aliyun.AccessKeyId),
            new("Action", "SendSms"),
            new("Format", "JSON"),
            new("OutId", dedupeKey.Length > 64 ? dedupeKey[..64] : dedupeKey),
            new("PhoneNumbers", phoneNumber),
            new("RegionId", aliyun.RegionId),
            new("SignName", aliyun.SignName),
            new("SignatureMethod", "HMAC-SHA1"),
            new("SignatureNonce", nonce),
            new("SignatureVersion", "1.0"),
            new("TemplateCode", aliyun.TemplateCode),
            new("TemplateParam", new JsonObject { [aliyun.TextParameter] = value }.ToJsonString(Json)),
            new("Timestamp", time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            new("Version", "2017-05-25"),
        };
        parameters.Add(new("Signature", AliyunRpcSignature.Sign("POST", parameters, aliyun.AccessKeySecret)));
        return parameters;
    }

    public void Dispose() => http.Dispose();

    private async Task<ChannelResult> CallAsync(string phoneNumber, string text, string dedupeKey, CancellationToken cancellationToken)
    {
        var form = SignedParameters(phoneNumber, text, dedupeKey, Guid.NewGuid().ToString("N"));
        try
        {
            using var content = new FormUrlEncodedContent(form);
            using var response = await http.PostAsync(aliyun.Endpoint, content, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.TooManyRequests || status >= 500)
            {
                return new ChannelResult(ChannelOutcome.RetryLater, $"HTTP {status}", response.Headers.RetryAfter?.Delta);
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            // Only the provider's code goes to the delivery log: its message may quote the request.
            string? code;
            try
            {
                using var answer = JsonDocument.Parse(body);
                code = answer.RootElement.ValueKind == JsonValueKind.Object && answer.RootElement.TryGetProperty("Code", out var c) && c.ValueKind == JsonValueKind.String
                    ? c.GetString()
                    : null;
            }
            catch (JsonException)
            {
                return new ChannelResult(ChannelOutcome.RetryLater, $"HTTP {status} without the provider's answer.");
            }

            return code switch
            {
                "OK" => ChannelResult.Delivered,
                null => new ChannelResult(ChannelOutcome.RetryLater, $"HTTP {status} without a code."),
                _ when Transient.Contains(code) => new ChannelResult(ChannelOutcome.RetryLater, code, TimeSpan.FromMinutes(1)),
                // A wrong key, signature, sign, template or number: trying again will not help.
                _ => new ChannelResult(ChannelOutcome.Rejected, code),
            };
        }
        catch (HttpRequestException exception)
        {
            return new ChannelResult(ChannelOutcome.RetryLater, $"The provider could not be reached ({exception.HttpRequestError}).");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ChannelResult(ChannelOutcome.RetryLater, "The provider did not answer in time.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An SMS to {Phone} was not sent: {Outcome} ({Detail})")]
    private partial void LogNotSent(string phone, ChannelOutcome outcome, string? detail);
}
