using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Dispatch.IntegrationTests.Notifications.Channels;

/// <summary>
/// Aliyun's SendSms as a <see cref="LoopbackVendor"/> answers it: the RPC signature, timestamp,
/// nonce, sign, template and number checked as the provider does. Shared by the adapter's tests
/// and those that send a person's SMS through the cluster.
/// </summary>
public static class AliyunSmsServer
{
    public const string AccessKeyId = "LTAI5tTestKeyId";
    public const string AccessKeySecret = "testSecret0123456789";
    public const string SignName = "东街社区";
    public const string TemplateCode = "SMS_123456789";

    /// <summary>The settings that point a Dispatch host's SMS at <paramref name="vendor"/>.</summary>
    public static Dictionary<string, string?> Settings(LoopbackVendor vendor) => new()
    {
        ["Dispatch:Notifications:Sms:Provider"] = "aliyun",
        ["Dispatch:Notifications:Sms:Aliyun:Endpoint"] = vendor.BaseAddress.ToString(),
        ["Dispatch:Notifications:Sms:Aliyun:AccessKeyId"] = AccessKeyId,
        ["Dispatch:Notifications:Sms:Aliyun:AccessKeySecret"] = AccessKeySecret,
        ["Dispatch:Notifications:Sms:Aliyun:SignName"] = SignName,
        ["Dispatch:Notifications:Sms:Aliyun:TemplateCode"] = TemplateCode,
    };

    /// <summary>The form a request carried.</summary>
    public static IReadOnlyDictionary<string, string> Form(VendorRequest request) =>
        QueryHelpers.ParseQuery(request.Body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    /// <summary>The provider's answer to <paramref name="request"/>, at <paramref name="time"/>'s now, given the requests <paramref name="before"/> it.</summary>
    public static VendorAnswer Answer(TimeProvider time, VendorRequest request, IReadOnlyList<VendorRequest> before)
    {
        if (!request.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
        {
            return new(400, """{"Code":"MissingParameter","Message":"form expected"}""");
        }

        var form = Form(request);
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
            || form["SignName"] != SignName || form["TemplateCode"] != TemplateCode)
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
}
