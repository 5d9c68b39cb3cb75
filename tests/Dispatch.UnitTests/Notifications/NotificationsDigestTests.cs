using Dispatch.Notifications;

namespace Dispatch.UnitTests.Notifications;

public sealed class NotificationsDigestTests
{
    private static readonly TimeSpan Eight = TimeSpan.FromHours(8);
    private static readonly DateOnly Monday = new(2026, 12, 7);

    /// <summary>A China time on <see cref="Monday"/> as an instant.</summary>
    private static DateTimeOffset China(int hour, int minute = 0, int day = 7) => new(2026, 12, day, hour, minute, 0, MorningDigest.ChinaOffset);

    [Fact]
    public void The_key_names_the_place_and_the_China_date()
    {
        Assert.Equal("digest:m1:2026-12-07", MorningDigest.Key("m1", Monday));

        // 23:30 UTC on the 6th is already the 7th in China.
        Assert.Equal(Monday, MorningDigest.DateOf(new DateTimeOffset(2026, 12, 6, 23, 30, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 12, 6), MorningDigest.DateOf(new DateTimeOffset(2026, 12, 6, 15, 59, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Todays_digest_is_due_from_its_time_until_it_is_sent()
    {
        Assert.Null(MorningDigest.Due(China(7, 59), Eight, lastSent: null));
        Assert.Equal(Monday, MorningDigest.Due(China(8), Eight, lastSent: null));
        Assert.Equal(Monday, MorningDigest.Due(China(15), Eight, lastSent: Monday.AddDays(-1)));
        Assert.Null(MorningDigest.Due(China(15), Eight, lastSent: Monday));
        Assert.Null(MorningDigest.Due(China(23, 59), Eight, lastSent: Monday));
    }

    [Fact]
    public void The_next_digest_is_todays_until_it_is_sent_then_tomorrows()
    {
        Assert.Equal(China(8), MorningDigest.Next(China(6), Eight, lastSent: null));
        Assert.Equal(China(9, 30), MorningDigest.Next(China(9, 30), Eight, lastSent: null));
        Assert.Equal(China(8, day: 8), MorningDigest.Next(China(8, 1), Eight, lastSent: Monday));
        Assert.Equal(China(17, 30, day: 8), MorningDigest.Next(China(6), new TimeSpan(17, 30, 0), lastSent: Monday));
    }

    [Fact]
    public void The_digest_counts_each_line_and_lists_the_oldest_titles()
    {
        var figures = new DigestFigures(
            "幸福社区",
            new DigestLine(5, ["楼道灯坏了", "代买药品", "陪同就医"]),
            new DigestLine(1, ["清理小广告"]),
            new DigestLine(2, ["王芳", "李雷"]));

        var (title, text) = MorningDigest.Compose(Monday, figures);

        Assert.Equal("【每日汇总】幸福社区 12月7日", title);
        Assert.Contains("**已超期的需求：5 件**\n- 楼道灯坏了\n- 代买药品\n- 陪同就医\n- ……另有 2 件\n", text, StringComparison.Ordinal);
        Assert.Contains("**待核验的需求：1 件**\n- 清理小广告\n", text, StringComparison.Ordinal);
        Assert.Contains("**待审核的报到申请：2 件**\n- 王芳\n- 李雷\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("今日无待办", text, StringComparison.Ordinal);
        Assert.EndsWith("Daily digest: 5 overdue, 1 waiting verification, 2 report-ins waiting approval.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quiet_day_says_there_is_nothing_to_do()
    {
        var (_, text) = MorningDigest.Compose(Monday, new DigestFigures("新华街道", DigestLine.None, DigestLine.None, DigestLine.None));

        Assert.Contains("**已超期的需求：0 件**\n**待核验的需求：0 件**\n**待审核的报到申请：0 件**\n今日无待办事项。", text, StringComparison.Ordinal);
        Assert.DoesNotContain("另有", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_digest_time_must_be_a_time_of_day()
    {
        Assert.True(new NotificationOptions().IsValid());
        Assert.Equal(Eight, new NotificationOptions().DigestTime);
        Assert.False(new NotificationOptions { DigestTime = TimeSpan.FromHours(24) }.IsValid());
        Assert.False(new NotificationOptions { DigestTime = TimeSpan.FromMinutes(-1) }.IsValid());
    }
}
