using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dispatch.Notifications.Channels;
using Dispatch.Notifications.Channels.Sms;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Notifications.Channels;

/// <summary>SMS through Aliyun's SendSms against a loopback server that verifies the RPC signature.</summary>
public sealed class AliyunSmsTests : IAsyncLifetime
{
    private const string AccessKeyId = "LTAI5tTestKeyId";
    private const string AccessKeySecret = "testSecret0123456789";
    private const string Phone = "13812345678";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private readonly List<string> logged = [];
    private LoopbackVendor vendor = null!;

    public async Task InitializeAsync()
    {
        vendor = await LoopbackVendor.StartAsync(time);
        vendor.Answer = Aliyun;
    }

    public async Task DisposeAsync() => await vendor.DisposeAsync();

    private SmsSender NewSender(string accessKeyId = AccessKeyId, string secret = AccessKeySecret) =>
        new(new AliyunSmsProvider(
            new HttpClient(),
            Options.Create(new SmsOptions
            {
                Provider = "aliyun",
                Aliyun = new AliyunSmsOptions
                {
                    Endpoint = vendor.BaseAddress,
                    AccessKeyId = accessKeyId,
                    AccessKeySecret = secret,
                    SignName = "东街社区",
                    TemplateCode = "SMS_123456789",
                },
            }),
            time,
            new ListLogger(logged)));

    private static ChannelTarget To(string phone = Phone) => new(ChannelNames.Sms, phone, []);

    private static ChannelMessage Message(string title = "您的求助已被认领") => new("n1", title, "详情见跟踪链接。", DateTimeOffset.UnixEpoch);

    /// <summary>RFC 3986 percent-encoding written here, apart from the adapter's.</summary>
    private static string Percent(string value)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~') encoded.Append(c);
            else encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return encoded.ToString();
    }

    private VendorAnswer Aliyun(VendorRequest request, IReadOnlyList<VendorRequest> before)
    {
        if (!request.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
        {
            return new(400, """{"Code":"MissingParameter","Message":"form expected"}""");
        }

        var form = QueryHelpers.ParseQuery(request.Body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        if (form.GetValueOrDefault("AccessKeyId") != AccessKeyId)
        {
            return new(404, """{"Code":"InvalidAccessKeyId.NotFound","Message":"Specified access key is not found."}""");
        }

        var canonical = string.Join('&', form.Where(p => p.Key != "Signature").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{Percent(p.Key)}={Percent(p.Value)}"));
#pragma warning disable CA5350 // the provider defines the algorithm
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(AccessKeySecret + "&"));
#pragma warning restore CA5350
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"POST&%2F&{Percent(canonical)}")));
        if (form.GetValueOrDefault("Signature") != expected)
        {
            return new(400, """{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation."}""");
        }

        var stamp = DateTimeOffset.ParseExact(form["Timestamp"], "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        if ((time.GetUtcNow() - stamp).Duration() > TimeSpan.FromMinutes(15))
        {
            return new(400, """{"Code":"InvalidTimeStamp.Expired","Message":"expired"}""");
        }

        if (before.Any(r => QueryHelpers.ParseQuery(r.Body)["SignatureNonce"] == form["SignatureNonce"]))
        {
            return new(400, """{"Code":"SignatureNonceUsed","Message":"nonce used"}""");
        }

        if (form["Action"] != "SendSms" || form["Version"] != "2017-05-25" || form["Format"] != "JSON"
            || form["SignatureMethod"] != "HMAC-SHA1" || form["SignatureVersion"] != "1.0"
            || form["SignName"] != "东街社区" || form["TemplateCode"] != "SMS_123456789")
        {
            return new(400, """{"Code":"isv.INVALID_PARAMETERS","Message":"parameters"}""");
        }

        using var param = JsonDocument.Parse(form["TemplateParam"]);
        if (param.RootElement.GetProperty("content").GetString() is not { Length: > 0 and <= 35 }
            || form["PhoneNumbers"].Length != 11)
        {
            return new(200, """{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"illegal","RequestId":"r"}""");
        }

        return new(200, """{"Code":"OK","Message":"OK","BizId":"900619746936498440^0","RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990"}""");
    }

    private static IReadOnlyDictionary<string, string> Form(VendorRequest request) =>
        QueryHelpers.ParseQuery(request.Body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    [Fact]
    public async Task A_signed_send_sms_reaches_the_provider_with_the_number_sign_and_template()
    {
        var sender = NewSender();

        var result = await sender.SendAsync(To("+86 138-1234-5678"), Message(), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Delivered, result.Outcome);
        var form = Form(Assert.Single(vendor.Received));
        Assert.Equal(Phone, form["PhoneNumbers"]);
        Assert.Equal("""{"content":"您的求助已被认领"}""", form["TemplateParam"]);
        Assert.Equal("n1", form["OutId"]);
        Assert.Equal("2026-12-07T08:00:00Z", form["Timestamp"]);
    }

    [Fact]
    public async Task A_long_text_is_cut_to_the_template_variables_length()
    {
        var sender = NewSender();

        var result = await sender.SendAsync(To(), Message(string.Concat(Enumerable.Repeat("请尽快到社区服务站办理。", 10))), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Delivered, result.Outcome);
        using var param = JsonDocument.Parse(Form(vendor.Received[0])["TemplateParam"]);
        var content = param.RootElement.GetProperty("content").GetString()!;
        Assert.Equal(35, content.Length);
        Assert.EndsWith("…", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_providers_flow_control_means_retry_later_and_the_number_is_never_logged()
    {
        vendor.Answer = (_, _) => new(200, """{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发号码天级流控Permits:10 13812345678","RequestId":"r"}""");
        var sender = NewSender();

        var result = await sender.SendAsync(To(), Message(), CancellationToken.None);

        Assert.Equal(ChannelOutcome.RetryLater, result.Outcome);
        Assert.Equal("isv.BUSINESS_LIMIT_CONTROL", result.Detail);
        Assert.NotEmpty(logged);
        Assert.All(logged, line => Assert.DoesNotContain("12345678", line, StringComparison.Ordinal));
        Assert.Contains(logged, line => line.Contains("138****5678", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_error_means_retry_later()
    {
        vendor.Answer = (_, _) => new(503, """{"Code":"ServiceUnavailable"}""");

        Assert.Equal(ChannelOutcome.RetryLater, (await NewSender().SendAsync(To(), Message(), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task An_unknown_access_key_is_rejected()
    {
        var result = await NewSender(accessKeyId: "LTAIgone").SendAsync(To(), Message(), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Rejected, result.Outcome);
        Assert.Equal("InvalidAccessKeyId.NotFound", result.Detail);
    }

    [Fact]
    public async Task A_wrong_secret_fails_the_signature_and_is_rejected()
    {
        var result = await NewSender(secret: "not-the-secret").SendAsync(To(), Message(), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Rejected, result.Outcome);
        Assert.Equal("SignatureDoesNotMatch", result.Detail);
    }

    [Fact]
    public async Task A_number_that_is_not_a_mainland_mobile_is_rejected_masked_without_a_call()
    {
        var result = await NewSender().SendAsync(To("021-55551234"), Message(), CancellationToken.None);

        Assert.Equal(ChannelOutcome.Rejected, result.Outcome);
        Assert.DoesNotContain("5555", result.Detail, StringComparison.Ordinal);
        Assert.Empty(vendor.Received);
    }

    private sealed class ListLogger(List<string> lines) : ILogger<AliyunSmsProvider>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (lines) lines.Add(formatter(state, exception));
        }
    }
}
