using Dispatch.Points;
using Dispatch.Schemes;
using Dispatch.UnitTests.Support;

namespace Dispatch.UnitTests.Points;

/// <summary>Earnings under a scheme rule: the entry names the rule and version, and the rule's cap per period is never exceeded.</summary>
public sealed class PointsCapTests
{
    private static readonly DateTimeOffset November = new(2026, 11, 10, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly PostingRule Attendance = new(PointsRuleNames.ActivityAttendance, "c1", 2, Cap: 25, CapPeriod.Month);

    [Fact]
    public void An_earning_under_a_rule_names_the_rule_its_scheme_and_version_and_when_it_was_earned()
    {
        var ledger = new PointsLedger("li.na");

        var entry = ledger.Post(Earning("activity:1", 10, Attendance, November), November.AddDays(3)).Value!;

        Assert.Equal((PointsRuleNames.ActivityAttendance, (int?)2, "c1", (DateTimeOffset?)November), (entry.Rule, entry.SchemeVersion, entry.SchemePlaceId, entry.EarnedAt));
        Assert.Null(ledger.Post(Earning("adjust:1", 5, null, null), November).Value!.Rule);
    }

    [Fact]
    public void An_earning_beyond_the_cap_is_cut_to_what_is_left_and_then_refused_until_the_next_period()
    {
        var ledger = new PointsLedger("li.na");
        ledger.Post(Earning("activity:1", 10, Attendance, November), November);
        ledger.Post(Earning("activity:2", 10, Attendance, November.AddDays(1)), November);

        var cut = ledger.Post(Earning("activity:3", 10, Attendance, November.AddDays(2)), November).Value!;
        var refused = ledger.Post(Earning("activity:4", 10, Attendance, November.AddDays(3)), November);
        var december = ledger.Post(Earning("activity:5", 10, Attendance, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8))), November).Value!;

        Assert.Equal((5, (int?)10), (cut.Change, cut.Asked));
        Assert.Contains("cap of 25", cut.Reason, StringComparison.Ordinal);
        Assert.Equal("pointsCapReached", refused.Failure?.Code);
        Assert.Null(ledger.Find("activity:4"));
        Assert.Equal(10, december.Change);
        Assert.Equal(25, ledger.EarnedUnder(PointsRuleNames.ActivityAttendance, CapPeriod.Month, November));
        Assert.Equal(35, ledger.Balance);
    }

    [Fact]
    public void A_cap_counts_only_its_own_rule_and_a_retry_of_a_capped_key_is_answered_as_first_posted()
    {
        var ledger = new PointsLedger("li.na");
        var role = new PostingRule(PointsRuleNames.Role("楼栋长"), "c1", 1, Cap: 20, CapPeriod.Year);
        ledger.Post(Earning("activity:1", 25, Attendance, November), November);

        var first = ledger.Post(Earning("role:m1:2026-11:li.na:楼栋长", 20, role, November), November).Value!;
        var retry = ledger.Post(Earning("role:m1:2026-11:li.na:楼栋长", 20, role, November), November).Value!;

        Assert.Equal((20, first.Seq), (first.Change, retry.Seq));
        Assert.Equal(2, ledger.Count);
    }

    private static PointsPosting Earning(string key, int amount, PostingRule? rule, DateTimeOffset? earnedAt) =>
        new(key, Given.CommunityId, amount, PostingKind.Earning, key, "attended", "system", Under: rule, EarnedAt: earnedAt);
}
