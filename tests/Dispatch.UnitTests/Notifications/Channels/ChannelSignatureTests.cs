using System.Security.Cryptography;
using System.Text;
using Dispatch.Notifications.Channels.Robots;
using Dispatch.Notifications.Channels.Sms;

namespace Dispatch.UnitTests.Notifications.Channels;

public sealed class ChannelSignatureTests
{
    [Fact]
    public void DingTalk_signs_timestamp_newline_secret_with_the_secret_then_url_encodes_the_base64()
    {
        const long timestamp = 1765094400123;
        const string secret = "SEC0123456789abcdef";
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes("1765094400123\n" + secret)));

        var sign = RobotSignatures.DingTalk(timestamp, secret);

        Assert.Equal(expected, Uri.UnescapeDataString(sign));
        Assert.DoesNotContain('+', sign);
        Assert.DoesNotContain('/', sign);
        Assert.DoesNotContain('=', sign);
    }

    [Fact]
    public void Feishu_keys_the_mac_with_timestamp_newline_secret_over_nothing()
    {
        const long timestamp = 1765094400;
        const string secret = "feishu-secret";
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("1765094400\n" + secret));
        var expected = Convert.ToBase64String(hmac.ComputeHash([]));

        Assert.Equal(expected, RobotSignatures.Feishu(timestamp, secret));
    }

    [Fact]
    public void Aliyun_percent_encoding_follows_rfc_3986()
    {
        Assert.Equal("a%20b%2A~-_.%2B%2F%3D", AliyunRpcSignature.Encode("a b*~-_.+/="));
        Assert.Equal("%E7%A4%BE", AliyunRpcSignature.Encode("社"));
    }

    [Fact]
    public void Aliyun_string_to_sign_sorts_encodes_and_encodes_again()
    {
        var parameters = new Dictionary<string, string> { ["Version"] = "2017-05-25", ["Action"] = "SendSms", ["SignName"] = "东街 社区" };

        var stringToSign = AliyunRpcSignature.StringToSign("POST", parameters);

        Assert.Equal(
            "POST&%2F&Action%3DSendSms%26SignName%3D%25E4%25B8%259C%25E8%25A1%2597%2520%25E7%25A4%25BE%25E5%258C%25BA%26Version%3D2017-05-25",
            stringToSign);
    }

    [Fact]
    public void Aliyun_signature_is_hmac_sha1_with_the_secret_and_an_ampersand()
    {
        var parameters = new Dictionary<string, string> { ["Action"] = "SendSms", ["Timestamp"] = "2026-12-07T08:00:00Z" };
        const string expectedStringToSign = "POST&%2F&Action%3DSendSms%26Timestamp%3D2026-12-07T08%253A00%253A00Z";
#pragma warning disable CA5350 // the provider defines the algorithm
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes("secret&"));
#pragma warning restore CA5350
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(expectedStringToSign)));

        Assert.Equal(expectedStringToSign, AliyunRpcSignature.StringToSign("POST", parameters));
        Assert.Equal(expected, AliyunRpcSignature.Sign("POST", parameters, "secret"));
    }

    [Theory]
    [InlineData("13812345678", "13812345678")]
    [InlineData("+86 138-1234-5678", "13812345678")]
    [InlineData("0086 13812345678", "13812345678")]
    [InlineData("8613812345678", "13812345678")]
    [InlineData("12812345678", null)]
    [InlineData("010-12345678", null)]
    [InlineData("", null)]
    public void Mainland_mobile_numbers_are_read_from_what_people_type(string input, string? expected) =>
        Assert.Equal(expected, PhoneNumbers.Normalise(input));

    [Fact]
    public void A_masked_number_keeps_three_and_four_digits()
    {
        Assert.Equal("138****5678", PhoneNumbers.Mask("13812345678"));
        Assert.Equal("****", PhoneNumbers.Mask("123"));
        Assert.Equal("138****5678", PhoneNumbers.Mask("138 1234 5678"));
    }
}
