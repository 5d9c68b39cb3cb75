using System.Text.Json;
using Dispatch.Notifications.Channels;
using Dispatch.Notifications.Channels.Sms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.IntegrationTests.Notifications.Channels;

/// <summary>SMS through Aliyun's SendSms against a loopback server that verifies the RPC signature.</summary>
public sealed class AliyunSmsTests : IAsyncLifetime
{
    private const string AccessKeyId = AliyunSmsServer.AccessKeyId;
    private const string AccessKeySecret = AliyunSmsServer.AccessKeySecret;
    private const string Phone = "13812345678";

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
    private readonly List<string> logged = [];
    private LoopbackVendor vendor = null!;

    public async Task InitializeAsync()
    {
        vendor = await LoopbackVendor.StartAsync(time);
        vendor.Answer = (request, before) => AliyunSmsServer.Answer(time, request, before);
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
                    SignName = AliyunSmsServer.SignName,
                    TemplateCode = AliyunSmsServer.TemplateCode,
                },
            }),
            time,
            new ListLogger(logged)));

    private static ChannelTarget To(string phone = Phone) => new(ChannelNames.Sms, phone, []);

    private static ChannelMessage Message(string title = "您的求助已被认领") => new("n1", title, "详情见跟踪链接。", DateTimeOffset.UnixEpoch);

    private static IReadOnlyDictionary<string, string> Form(VendorRequest request) => AliyunSmsServer.Form(request);

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
