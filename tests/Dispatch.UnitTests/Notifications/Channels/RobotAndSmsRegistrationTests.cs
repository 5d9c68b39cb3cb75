using Dispatch.Notifications.Channels;
using Dispatch.Notifications.Channels.Robots;
using Dispatch.Notifications.Channels.Sms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Dispatch.UnitTests.Notifications.Channels;

/// <summary>What <c>AddRobotAndSmsSenders</c> registers, and which settings stop a start.</summary>
public sealed class RobotAndSmsRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddRobotAndSmsSenders(configuration).BuildServiceProvider();
    }

    private static Dictionary<string, string?> Sms(string? secret = "s3cret") => new()
    {
        ["Dispatch:Notifications:Sms:Provider"] = "aliyun",
        ["Dispatch:Notifications:Sms:Aliyun:AccessKeyId"] = "LTAI5t",
        ["Dispatch:Notifications:Sms:Aliyun:AccessKeySecret"] = secret,
        ["Dispatch:Notifications:Sms:Aliyun:SignName"] = "东街社区",
        ["Dispatch:Notifications:Sms:Aliyun:TemplateCode"] = "SMS_1",
    };

    [Fact]
    public void By_default_the_three_robots_are_senders_and_sms_is_off()
    {
        using var services = Build([]);

        var channels = services.GetServices<IChannelSender>().Select(s => s.Channel).Order().ToList();

        Assert.Equal([ChannelNames.DingTalk, ChannelNames.Feishu, ChannelNames.WeCom], channels);
        Assert.Null(services.GetService<ISmsProvider>());
    }

    [Fact]
    public void Configured_sms_adds_the_sms_sender_through_aliyun()
    {
        using var services = Build(Sms());

        Assert.Contains(services.GetServices<IChannelSender>(), s => s.Channel == ChannelNames.Sms);
        Assert.IsType<AliyunSmsProvider>(services.GetRequiredService<ISmsProvider>());
    }

    [Fact]
    public void Sms_switched_on_without_its_secret_fails_validation()
    {
        using var services = Build(Sms(secret: null));

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SmsOptions>>().Value);
    }

    [Theory]
    [InlineData("Dispatch:Notifications:Robots:WeCom:PerMinute", "0")]
    [InlineData("Dispatch:Notifications:Robots:Feishu:MaxBytes", "10")]
    [InlineData("Dispatch:Notifications:Robots:DigestTitle", "no count")]
    public void Robot_limits_out_of_range_fail_validation(string key, string value)
    {
        using var services = Build(new() { [key] = value });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RobotOptions>>().Value);
    }

    [Fact]
    public void The_defaults_stay_below_each_vendors_limit()
    {
        var options = new RobotOptions();

        Assert.True(options.IsValid());
        Assert.True(options.WeCom.PerMinute < 20);
        Assert.True(options.DingTalk.PerMinute < 20);
        Assert.True(options.Feishu.PerSecond < 5 && options.Feishu.PerMinute < 100);
        Assert.True(options.Feishu.MaxBytes < 20 * 1024);
        Assert.Equal(4096, options.WeCom.MaxBytes);
    }
}
