using Dispatch.Common;
using Dispatch.Intake;
using Dispatch.Requests;

namespace Dispatch.UnitTests.Intake;

public sealed class IntakeRulesTests
{
    private static readonly DateTimeOffset Filed = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private static readonly Actor Staff = new("staff-t1", AccountRole.Staff, "t1");

    private static readonly Guid RequestId = Guid.Parse("5b0c2f6e-0d7a-4c43-9d6c-0d4c1c9f7a11");

    private static readonly NewIntake Help = new(
        "m1", IntakeKind.Help, HelpKind.Book, " 帮我预约体检 ", "  ", " 张大爷 ", "13800138000", " 3号楼401 ", ResidentLanguage.ZhCn);

    private static IReadOnlyCollection<string> Fields(NewIntake intake) =>
        IntakeRules.Check(intake).ToDictionary().Keys.Order(StringComparer.Ordinal).ToArray();

    private static IntakeItem Waiting() => IntakeRules.Create("0123456789abcdef0123456789abcdef", Help, Filed);

    [Fact]
    public void A_valid_filing_has_no_errors_and_is_stored_trimmed_and_waiting()
    {
        Assert.Empty(Fields(Help));
        var item = Waiting();
        Assert.Equal(("帮我预约体检", null, "张大爷", "3号楼401", IntakeStatus.Waiting), (item.Title, item.Description, item.Name, item.Address, item.Status));
        Assert.Null(item.RequestId);
    }

    [Fact]
    public void Every_bad_field_is_named_by_its_json_name()
    {
        var bad = Help with { CommunityId = "", Help = null, Title = " ", Name = "", Phone = "12x", Address = new string('a', 201), Language = (ResidentLanguage)9 };
        Assert.Equal(["address", "communityId", "help", "language", "name", "phone", "title"], Fields(bad));
        Assert.Equal(["help"], Fields(Help with { Kind = IntakeKind.Wish }));
        Assert.Empty(Fields(Help with { Kind = IntakeKind.Grievance, Help = null, Address = null }));
    }

    [Fact]
    public void A_waiting_item_is_decided_once_and_the_same_decision_again_changes_nothing()
    {
        var accepted = IntakeRules.Accept(Waiting(), Staff, RequestId, Filed.AddHours(1)).Value!;
        Assert.Equal((IntakeStatus.Accepted, "staff-t1", RequestId, (string?)null), (accepted.Status, accepted.DecidedBy, accepted.RequestId, accepted.Reason));
        Assert.Same(accepted, IntakeRules.Accept(accepted, Staff, RequestId, Filed.AddHours(2)).Value);
        Assert.Equal("alreadyDecided", IntakeRules.Decline(accepted, Staff, "duplicate", Filed).Failure!.Code);
        Assert.Equal("alreadyDecided", IntakeRules.Merge(accepted, Staff, RequestId, Filed).Failure!.Code);

        var merged = IntakeRules.Merge(Waiting(), Staff, RequestId, Filed).Value!;
        Assert.Equal((IntakeStatus.Merged, RequestId), (merged.Status, merged.RequestId));
        Assert.Equal("alreadyDecided", IntakeRules.Merge(merged, Staff, Guid.NewGuid(), Filed).Failure!.Code);
        Assert.Equal("alreadyDecided", IntakeRules.Accept(merged, Staff, RequestId, Filed).Failure!.Code);
    }

    [Fact]
    public void A_decline_needs_a_reason_the_resident_is_shown()
    {
        var missing = IntakeRules.Decline(Waiting(), Staff, "  ", Filed).Failure!;
        Assert.Equal((FailureKind.Invalid, "reason"), (missing.Kind, missing.Field));

        var declined = IntakeRules.Decline(Waiting(), Staff, " 不属于本社区 ", Filed).Value!;
        Assert.Equal((IntakeStatus.Declined, "不属于本社区", (Guid?)null), (declined.Status, declined.Reason, declined.RequestId));
        Assert.Same(declined, IntakeRules.Decline(declined, Staff, "不属于本社区", Filed).Value);
        Assert.Equal("alreadyDecided", IntakeRules.Decline(declined, Staff, "another reason", Filed).Failure!.Code);
    }

    [Fact]
    public void A_retry_of_the_same_filing_is_told_from_another()
    {
        var item = Waiting();
        Assert.True(IntakeRules.IsRetryOf(item, Help));
        Assert.False(IntakeRules.IsRetryOf(item, Help with { Phone = "13900139000" }));
        Assert.False(IntakeRules.IsRetryOf(item, Help with { Title = "something else" }));
    }

    [Theory]
    [InlineData(IntakeKind.Wish, RequestKind.Wish)]
    [InlineData(IntakeKind.Help, RequestKind.Errand)]
    [InlineData(IntakeKind.Grievance, RequestKind.Case)]
    public void A_residents_kind_becomes_a_requests_kind(IntakeKind kind, RequestKind expected) =>
        Assert.Equal(expected, IntakeKinds.RequestKindOf(kind));

    [Fact]
    public void Ids_are_32_lowercase_hex_digits()
    {
        Assert.True(IntakeRules.IsValidId(Guid.NewGuid().ToString("N")));
        Assert.False(IntakeRules.IsValidId("0123456789ABCDEF0123456789ABCDEF"));
        Assert.False(IntakeRules.IsValidId("0123"));
        Assert.False(IntakeRules.IsValidId(null));
    }
}
