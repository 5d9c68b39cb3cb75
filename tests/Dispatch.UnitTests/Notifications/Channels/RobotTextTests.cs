using System.Text;
using Dispatch.Notifications.Channels;
using Dispatch.Notifications.Channels.Robots;

namespace Dispatch.UnitTests.Notifications.Channels;

public sealed class RobotTextTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_text_within_the_limit_is_one_part_without_numbering()
    {
        var parts = RobotText.Split("逾期提醒：3 件", 4096);

        Assert.Equal(["逾期提醒：3 件"], parts);
    }

    [Fact]
    public void A_long_chinese_text_is_cut_at_the_byte_limit_on_character_boundaries_and_numbered()
    {
        // 3 bytes a character: 3,000 characters are 9,000 bytes, three parts of at most 4,096.
        var text = new string('社', 3000);

        var parts = RobotText.Split(text, 4096);

        Assert.Equal(3, parts.Count);
        Assert.All(parts, part => Assert.True(Encoding.UTF8.GetByteCount(part) <= 4096));
        Assert.Equal(["(1/3) ", "(2/3) ", "(3/3) "], parts.Select(p => p[..6]));
        Assert.Equal(text, string.Concat(parts.Select(p => p[6..])));
        // No part ends in half a character: each round-trips through UTF-8 unchanged.
        Assert.All(parts, part => Assert.Equal(part, Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(part))));
    }

    [Fact]
    public void A_cut_never_falls_inside_a_surrogate_pair()
    {
        var text = string.Concat(Enumerable.Repeat("🙂", 100)); // 4 bytes each

        var parts = RobotText.Split(text, 64);

        Assert.All(parts, part => Assert.True(Encoding.UTF8.GetByteCount(part) <= 64));
        Assert.All(parts, part => Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(part))));
        Assert.Equal(text, string.Concat(parts.Select(p => p[(p.IndexOf(' ', StringComparison.Ordinal) + 1)..])));
    }

    [Fact]
    public void A_cut_prefers_a_line_break_in_the_second_half_of_a_part()
    {
        var lines = Enumerable.Range(1, 40).Select(i => $"第 {i} 项：东街社区 待核验").ToList();
        var text = string.Join('\n', lines);

        var parts = RobotText.Split(text, 300);

        Assert.True(parts.Count > 1);
        Assert.All(parts, part => Assert.True(Encoding.UTF8.GetByteCount(part) <= 300));
        // Every part is whole lines: nothing was cut mid-line, and nothing was lost.
        var rejoined = parts.SelectMany(p => p[(p.IndexOf(' ', StringComparison.Ordinal) + 1)..].Split('\n')).ToList();
        Assert.Equal(lines, rejoined);
    }

    [Fact]
    public void Numbering_makes_room_for_two_digit_counts()
    {
        var text = new string('a', 2000);

        var parts = RobotText.Split(text, 100);

        Assert.True(parts.Count >= 10);
        Assert.All(parts, part => Assert.True(Encoding.UTF8.GetByteCount(part) <= 100));
        Assert.StartsWith($"({parts.Count}/{parts.Count}) ", parts[^1], StringComparison.Ordinal);
        Assert.Equal(text, string.Concat(parts.Select(p => p[(p.IndexOf(' ', StringComparison.Ordinal) + 1)..])));
    }

    [Fact]
    public void One_message_stands_alone()
    {
        var post = RobotText.Compose([new ChannelMessage("k1", "升级：东街社区", "请求已逾期 2 小时", At)], "汇总 ({0})");

        Assert.Equal(new RobotPost("升级：东街社区", "请求已逾期 2 小时"), post);
    }

    [Fact]
    public void A_digest_lists_every_title_with_its_text_in_order()
    {
        var batch = Enumerable.Range(1, 3).Select(i => new ChannelMessage($"k{i}", $"标题 {i}", $"正文 {i}", At)).ToList();

        var post = RobotText.Compose(batch, "通知汇总 ({0})");

        Assert.Equal("通知汇总 (3)", post.Title);
        Assert.Equal("**1. 标题 1**\n正文 1\n\n**2. 标题 2**\n正文 2\n\n**3. 标题 3**\n正文 3", post.Body);
    }
}
