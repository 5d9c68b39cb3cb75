using Dispatch.Notifications;
using Dispatch.Suggestions;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Suggestions;

/// <summary>Who a suggestion's change tells what: the department's accounts, the representative who filed it.</summary>
public sealed class SuggestionNoticesTests
{
    private static readonly DateTimeOffset Filed = Given.Morning;
    private static readonly DateTimeOffset Deadline = Filed.AddDays(10);
    private static readonly SuggestionHandover ToHousing = new("housing-centre", Deadline, TimeSpan.FromDays(1));

    private static SuggestionView NewOne() => SuggestionLifecycle.File(
        "0123456789abcdef0123456789abcdef",
        new NewSuggestion(SuggestionKind.Suggestion, "Lift for building 3", "Call Mrs Li on 13800001111 about the stairs.", "m"),
        Given.PlacePath, "rep.zhang", RepresentativeTitle.PeoplesCongress, Filed);

    private static List<PendingNotice> NoticesOf(SuggestionChange change) =>
        [.. change.Events.SelectMany(e => SuggestionNotices.For(change.View, e))];

    [Fact]
    public void Filing_tells_nobody()
    {
        var filed = NewOne();

        Assert.Empty(SuggestionNotices.For(filed, new SuggestionEvent(SuggestionAction.Filed, "rep.zhang", Filed)));
    }

    [Fact]
    public void A_handover_tells_the_contacts_of_the_department_it_went_to_with_its_deadline_and_never_its_content()
    {
        var handed = SuggestionLifecycle.HandOver(NewOne(), ToHousing, "town.zhao", Filed.AddHours(1)).Value!;

        var notice = Assert.Single(NoticesOf(handed));

        Assert.Equal((null, null, "housing-centre"), (notice.Username, notice.StaffOf, notice.ContactsOf));
        Assert.Equal((NoticeKind.SuggestionAssigned, "Lift for building 3", "town.zhao"), (notice.Notice.Kind, notice.Notice.Subject, notice.Notice.By));
        Assert.Equal((Deadline, "0123456789abcdef0123456789abcdef", "m"), (notice.Notice.Until, notice.Notice.SuggestionId, notice.Notice.PlaceId));
        Assert.Null(notice.Notice.RequestId);
        Assert.DoesNotContain("13800001111", System.Text.Json.JsonSerializer.Serialize(notice), StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_tells_the_representative_who_filed_it_and_nobody_else()
    {
        var handed = SuggestionLifecycle.HandOver(NewOne(), ToHousing, "town.zhao", Filed.AddHours(1)).Value!.View;
        var answered = SuggestionLifecycle.Answer(handed, "Listed for next year: 13900002222.", "housing.li", Filed.AddDays(2)).Value!;

        var notice = Assert.Single(NoticesOf(answered));

        Assert.Equal(("rep.zhang", null, null), (notice.Username, notice.StaffOf, notice.ContactsOf));
        Assert.Equal((NoticeKind.SuggestionAnswered, "housing.li"), (notice.Notice.Kind, notice.Notice.By));
        Assert.DoesNotContain("13900002222", System.Text.Json.JsonSerializer.Serialize(notice), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_climb_past_the_deadline_tells_the_department_once_per_level_and_a_late_answer_still_tells_the_author()
    {
        var handed = SuggestionLifecycle.HandOver(NewOne(), ToHousing, "town.zhao", Filed.AddHours(1)).Value!.View;
        var climbed = SuggestionLifecycle.Advance(handed, Deadline.AddDays(1).AddMinutes(1));

        var notices = NoticesOf(climbed);

        Assert.Equal([(NoticeKind.SuggestionOverdue, 1), (NoticeKind.SuggestionOverdue, 2)], notices.Select(n => (n.Notice.Kind, n.Notice.Level ?? 0)));
        Assert.All(notices, n => Assert.Equal("housing-centre", n.ContactsOf));
        Assert.Equal(2, notices.Select(n => n.Key).Distinct().Count());

        var late = SuggestionLifecycle.Answer(climbed.View, "Done.", "housing.li", Deadline.AddDays(1).AddHours(1)).Value!;
        Assert.Equal([NoticeKind.SuggestionAnswered], NoticesOf(late).Select(n => n.Notice.Kind));
    }

    [Fact]
    public void A_notice_has_the_same_key_however_often_it_is_decided_so_an_inbox_keeps_it_once()
    {
        var first = NoticesOf(SuggestionLifecycle.HandOver(NewOne(), ToHousing, "town.zhao", Filed.AddHours(1)).Value!);
        var again = NoticesOf(SuggestionLifecycle.HandOver(NewOne(), ToHousing, "town.zhao", Filed.AddHours(1)).Value!);

        Assert.Equal(first.Select(n => n.Key), again.Select(n => n.Key));

        var inbox = new Inbox();
        inbox.Deliver([first[0].Notice]);
        inbox.Deliver([again[0].Notice]);
        Assert.Single(inbox.Items);
        Assert.Equal("0123456789abcdef0123456789abcdef", inbox.Items[0].SuggestionId);
    }
}
