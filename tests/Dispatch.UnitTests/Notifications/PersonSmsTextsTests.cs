using Dispatch.Notifications;

namespace Dispatch.UnitTests.Notifications;

/// <summary>What a person's SMS carries: only the notices that matter on a phone, as a short title with no contact in it.</summary>
public sealed class PersonSmsTextsTests
{
    private static InboxItem Item(NoticeKind kind, string subject) => InboxItem.From(
        7, new InboxNotice($"request:abc:3:{kind}:li.na", kind, DateTimeOffset.UnixEpoch, subject, "m1", Guid.NewGuid(), "staff-m1"));

    [Theory]
    [InlineData(NoticeKind.Offered, true)]
    [InlineData(NoticeKind.HandoverOffered, true)]
    [InlineData(NoticeKind.Escalated, true)]
    [InlineData(NoticeKind.Claimed, false)]
    [InlineData(NoticeKind.Verified, false)]
    [InlineData(NoticeKind.VerificationRejected, false)]
    [InlineData(NoticeKind.VerificationOverturned, false)]
    [InlineData(NoticeKind.ApplicationWaiting, false)]
    [InlineData(NoticeKind.PointsEarned, false)]
    [InlineData(NoticeKind.OrderReady, false)]
    [InlineData(NoticeKind.ResidentUnsatisfied, false)]
    public void Only_offers_handovers_to_me_and_escalations_go_by_sms(NoticeKind kind, bool bySms) =>
        Assert.Equal(bySms, PersonTexts.GoesBySms(kind));

    [Fact]
    public void An_offer_by_sms_is_its_title()
    {
        Assert.Equal("【派单】为张奶奶送保温杯", PersonTexts.Sms(Item(NoticeKind.Offered, "为张奶奶送保温杯")));
        Assert.Equal("【移交】楼道灯坏了", PersonTexts.Sms(Item(NoticeKind.HandoverOffered, "楼道灯坏了")));
        Assert.Equal("【升级】楼道灯坏了", PersonTexts.Sms(Item(NoticeKind.Escalated, "楼道灯坏了")));
    }

    [Theory]
    [InlineData("联系王阿姨13800138000", "【派单】联系王阿姨***********")]
    [InlineData("王阿姨 138-0013-8000 家", "【派单】王阿姨 ************* 家")]
    [InlineData("座机 0470 6221234 找刘姐", "【派单】座机 ************ 找刘姐")]
    [InlineData("3号楼2单元401", "【派单】3号楼2单元401")]
    [InlineData("送 20 斤米到 12 户", "【派单】送 20 斤米到 12 户")]
    public void A_number_typed_into_a_title_never_leaves_by_sms_but_short_numbers_stay(string subject, string sms) =>
        Assert.Equal(sms, PersonTexts.Sms(Item(NoticeKind.Offered, subject)));
}
