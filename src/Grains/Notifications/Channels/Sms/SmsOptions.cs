namespace Dispatch.Notifications.Channels.Sms;

/// <summary>
/// Text messages (<c>Dispatch:Notifications:Sms</c>): off unless <see cref="Provider"/> names one
/// and its settings are complete.
/// </summary>
public sealed class SmsOptions
{
    public const string Section = "Dispatch:Notifications:Sms";

    /// <summary>The provider that sends: <c>aliyun</c>, or empty for no SMS at all.</summary>
    public string? Provider { get; set; }

    /// <summary>How long one call to the provider may take before it counts as "try again later".</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public AliyunSmsOptions Aliyun { get; set; } = new();

    public bool IsOn => !string.IsNullOrWhiteSpace(Provider);

    public bool IsValid() =>
        !IsOn
        || (string.Equals(Provider, AliyunSmsProvider.Name, StringComparison.OrdinalIgnoreCase)
            && RequestTimeout >= TimeSpan.FromSeconds(1) && RequestTimeout <= TimeSpan.FromMinutes(5)
            && Aliyun.IsValid());
}

/// <summary>Aliyun SMS (短信服务): the RAM user's access key, the approved sign and template.</summary>
public sealed class AliyunSmsOptions
{
    /// <summary>The API's address; only tests point it elsewhere.</summary>
    public Uri Endpoint { get; set; } = new("https://dysmsapi.aliyuncs.com/");

    public string RegionId { get; set; } = "cn-hangzhou";

    public string AccessKeyId { get; set; } = "";

    public string AccessKeySecret { get; set; } = "";

    /// <summary>The approved signature (签名名称) shown in 【】 before each text.</summary>
    public string SignName { get; set; } = "";

    /// <summary>The approved template (模板 CODE, <c>SMS_…</c>) with one variable for the text.</summary>
    public string TemplateCode { get; set; } = "";

    /// <summary>The template's variable that receives the text, as in <c>${content}</c>.</summary>
    public string TextParameter { get; set; } = "content";

    /// <summary>The most characters put into the variable; longer texts are cut with "…".</summary>
    public int MaxTextLength { get; set; } = 35;

    public bool IsValid() =>
        Endpoint.IsAbsoluteUri
        && !string.IsNullOrWhiteSpace(RegionId)
        && !string.IsNullOrWhiteSpace(AccessKeyId)
        && !string.IsNullOrWhiteSpace(AccessKeySecret)
        && !string.IsNullOrWhiteSpace(SignName)
        && !string.IsNullOrWhiteSpace(TemplateCode)
        && !string.IsNullOrWhiteSpace(TextParameter)
        && MaxTextLength is >= 5 and <= 500;
}
