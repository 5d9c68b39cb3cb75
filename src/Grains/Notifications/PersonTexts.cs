using System.Text.RegularExpressions;

namespace Dispatch.Notifications;

/// <summary>
/// What a person's own notice says when it goes out by e-mail or SMS, in Chinese. Like the inbox
/// item it comes from, it names the request by its title only: never a beneficiary or their contact.
/// </summary>
public static partial class PersonTexts
{
    /// <summary>
    /// The notices that matter on a phone, the only ones a person's SMS carries: an offer (its
    /// answer time runs), a handover to me, an escalation reaching my place.
    /// </summary>
    public static bool GoesBySms(NoticeKind kind) => kind is NoticeKind.Offered or NoticeKind.HandoverOffered or NoticeKind.Escalated;

    /// <summary>
    /// The text of an SMS: the notice's title (an SMS is short). A title is typed by staff or a
    /// resident and may quote a phone number: runs of seven or more digits are starred, so no
    /// contact ever leaves by SMS.
    /// </summary>
    public static string Sms(InboxItem item) => LongNumber().Replace(For(item).Title, m => new string('*', m.Length));

    [GeneratedRegex(@"\d(?:[\s\-]?\d){6,}")]
    private static partial Regex LongNumber();

    public static (string Title, string Text) For(InboxItem item) => item.Kind switch
    {
        NoticeKind.Offered => ($"【派单】{item.Subject}", $"**{item.Subject}** 指派给您{Until(item)}，请在志愿者应用中接受或婉拒。"),
        NoticeKind.Claimed => ($"【已认领】{item.Subject}", $"您负责的 **{item.Subject}** 已被志愿者认领。"),
        NoticeKind.Verified => ($"【已核验】{item.Subject}", $"您完成的 **{item.Subject}** 已通过核验。"),
        NoticeKind.VerificationRejected => ($"【退回】{item.Subject}", $"您完成的 **{item.Subject}** 被退回，请继续办理。"),
        NoticeKind.VerificationOverturned => ($"【核验撤销】{item.Subject}", $"**{item.Subject}** 的核验已撤销，积分已扣回。"),
        NoticeKind.Escalated => ($"【升级】{item.Subject}", $"**{item.Subject}** 已超期，升级到您所在的层级。"),
        NoticeKind.HandoverOffered => ($"【移交】{item.Subject}", $"**{item.Subject}** 移交给您，接受后由您负责。"),
        NoticeKind.ApplicationWaiting => ($"【报到待审】{item.Subject}", $"**{item.Subject}** 提交了双报到申请，等待审核。"),
        NoticeKind.PointsEarned => ($"【积分】+{item.Amount} {item.Subject}", $"您因 **{item.Subject}** 获得 {item.Amount} 积分。"),
        NoticeKind.SuggestionAssigned => ($"【交办】{item.Subject}", $"建议 **{item.Subject}** 已交办给您的单位，请按期答复{Until(item)}。"),
        NoticeKind.SuggestionAnswered => ($"【已答复】{item.Subject}", $"您提出的 **{item.Subject}** 已有答复，请查看并评价。"),
        NoticeKind.SuggestionOverdue => ($"【超期】{item.Subject}", $"交办给您单位的 **{item.Subject}** 已超期未答复，已升级。"),
        _ => (item.Subject, item.Subject),
    };

    private static string Until(InboxItem item) =>
        item.Until is { } until ? $"（{until.ToOffset(TimeSpan.FromHours(8)):MM-dd HH:mm} 前{(item.Kind == NoticeKind.SuggestionAssigned ? "答复" : "有效")}，北京时间）" : "";
}
