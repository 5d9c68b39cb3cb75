namespace Dispatch.Notifications;

/// <summary>
/// What a place's robots, webhooks and e-mails say about an alert, in Chinese as the offices read
/// it. Like the inbox notice it comes from, it names the request by its title only: never a
/// beneficiary, their contact, or a note.
/// </summary>
public static class AlertTexts
{
    /// <summary>The alert kind a notice is, or null when it is not a place's alert.</summary>
    public static AlertKind? KindOf(NoticeKind kind) => kind switch
    {
        NoticeKind.Escalated => AlertKind.Escalated,
        NoticeKind.ApplicationWaiting => AlertKind.ApplicationWaiting,
        _ => null,
    };

    public static (string Title, string Text) For(InboxNotice notice) => notice.Kind switch
    {
        NoticeKind.Escalated => (
            $"【升级】{notice.Subject}",
            $"**{notice.Subject}** 已超期，升级到本级处理（第 {notice.Level ?? 1} 级）。\n请在调度台查看并指派。"),
        NoticeKind.ApplicationWaiting => (
            $"【报到待审】{notice.Subject}",
            $"**{notice.Subject}** 提交了双报到申请，等待社区审核。"),
        _ => (notice.Subject, notice.Subject),
    };
}
