using Dispatch.Applications;
using Dispatch.Common;

namespace Dispatch.UnitTests.Applications;

public sealed class ApplicationRulesTests
{
    private const string Password = "a-good-password";

    private static readonly DateTimeOffset Submitted = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private static readonly Actor Staff = new("staff-t1", AccountRole.Staff, "t1");

    private static readonly NewApplication Person = new(
        ApplicationKind.Person, "m1", "  Wang Fang ", "13800138000", "wangfang", "County Power Supply", true,
        ["first aid", " first aid ", "haircuts"], ["weekday evenings"], []);

    private static readonly NewApplication Unit = new(
        ApplicationKind.Unit, "m1", "Li Ming", "13900139000", "power-contact", "County Power Supply", false,
        [], ["weekends"], ["electrical safety checks", "a meeting room"]);

    private static IReadOnlyCollection<string> Fields(NewApplication application, string? password = Password) =>
        ApplicationRules.Check(application, password).ToDictionary().Keys.ToArray();

    private static ApplicationView Waiting(NewApplication application) => ApplicationRules.Create("a1", application, Submitted);

    [Fact]
    public void A_valid_person_or_unit_has_no_errors()
    {
        Assert.Empty(Fields(Person));
        Assert.Empty(Fields(Unit));
    }

    [Fact]
    public void Each_bad_field_is_named_by_its_json_name()
    {
        var bad = Person with { CommunityId = "not a place", Name = " ", Phone = "12ab", Username = "-x", Skills = [""], Availability = ["", "x"], Offers = [new string('x', 101)] };

        Assert.Equal(
            ["communityId", "name", "phone", "username", "password", "skills", "availability", "offers"],
            Fields(bad, "short"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("password")]
    [InlineData("wangfang")]
    [InlineData("aaaaaaaaaa")]
    public void A_weak_password_is_refused_on_the_password_field(string? password) =>
        Assert.Equal(["password"], Fields(Person, password));

    [Fact]
    public void A_unit_must_name_itself_and_a_person_need_not()
    {
        Assert.Equal(["unit"], Fields(Unit with { Unit = null }));
        Assert.Empty(Fields(Person with { Unit = null }));
    }

    [Fact]
    public void A_kind_of_unit_is_a_units_alone_and_one_of_the_known_kinds()
    {
        Assert.Empty(Fields(Unit with { UnitKind = UnitKind.PrivateEnterprise }));
        Assert.Equal(UnitKind.PrivateEnterprise, Waiting(Unit with { UnitKind = UnitKind.PrivateEnterprise }).UnitKind);
        Assert.Equal(["unitKind"], Fields(Person with { UnitKind = UnitKind.Other }));
        Assert.Equal(["unitKind"], Fields(Unit with { UnitKind = (UnitKind)42 }));
    }

    [Theory]
    [InlineData("138 0013 8000", "13800138000")]
    [InlineData("+86-138-0013-8000", "+8613800138000")]
    [InlineData(" (010) 6512 3456 ", "01065123456")]
    public void A_phone_is_stored_without_what_people_type_between_digits(string typed, string stored)
    {
        Assert.Equal(stored, ApplicationRules.NormalizePhone(typed));
        Assert.True(ApplicationRules.IsValidPhone(ApplicationRules.NormalizePhone(typed)));
    }

    [Fact]
    public void A_new_application_waits_with_its_texts_trimmed_and_lists_without_repeats()
    {
        var created = Waiting(Person);

        Assert.Equal(ApplicationStatus.Waiting, created.Status);
        Assert.Equal("Wang Fang", created.Name);
        Assert.Equal<string>(["first aid", "haircuts"], created.Skills);
        Assert.Null(created.DecidedBy);
    }

    [Fact]
    public void Approving_records_who_and_when_and_again_changes_nothing()
    {
        var later = Submitted.AddHours(2);
        var approved = ApplicationRules.Approve(Waiting(Person), Staff, later).Value!;

        Assert.Equal((ApplicationStatus.Approved, "staff-t1", later), (approved.Status, approved.DecidedBy, approved.DecidedAt));
        Assert.Null(approved.OrganisationId);
        Assert.Same(approved, ApplicationRules.Approve(approved, Staff with { Username = "someone-else" }, later.AddHours(1)).Value);
    }

    [Fact]
    public void An_approved_unit_names_the_organisation_it_becomes()
    {
        var approved = ApplicationRules.Approve(Waiting(Unit), Staff, Submitted).Value!;

        Assert.Equal("unit-a1", approved.OrganisationId);
        Assert.True(Identifiers.IsValidPlaceId(ApplicationRules.OrganisationIdOf(Guid.NewGuid().ToString("N"))));
    }

    [Fact]
    public void A_rejection_needs_a_reason_and_shows_it_to_the_applicant()
    {
        Assert.Equal("reason", ApplicationRules.Reject(Waiting(Person), Staff, "  ", Submitted).Failure!.Field);
        Assert.Equal("reason", ApplicationRules.Reject(Waiting(Person), Staff, new string('x', 501), Submitted).Failure!.Field);

        var rejected = ApplicationRules.Reject(Waiting(Person), Staff, " Not a resident of this community ", Submitted).Value!;

        Assert.Equal(new ApplicationStatusView("a1", ApplicationKind.Person, ApplicationStatus.Rejected, "Not a resident of this community"), ApplicationRules.StatusOf(rejected));
        Assert.Same(rejected, ApplicationRules.Reject(rejected, Staff, "Not a resident of this community", Submitted).Value);
    }

    [Fact]
    public void A_decision_is_made_once()
    {
        var approved = ApplicationRules.Approve(Waiting(Person), Staff, Submitted).Value!;
        var rejected = ApplicationRules.Reject(Waiting(Person), Staff, "No", Submitted).Value!;

        Assert.Equal("alreadyDecided", ApplicationRules.Reject(approved, Staff, "No", Submitted).Failure!.Code);
        Assert.Equal("alreadyDecided", ApplicationRules.Approve(rejected, Staff, Submitted).Failure!.Code);
        Assert.Equal("alreadyDecided", ApplicationRules.Reject(rejected, Staff, "Another reason", Submitted).Failure!.Code);
    }

    [Fact]
    public void A_waiting_applicant_sees_no_reason_and_the_phone_never_reaches_text()
    {
        Assert.Equal(new ApplicationStatusView("a1", ApplicationKind.Person, ApplicationStatus.Waiting, null), ApplicationRules.StatusOf(Waiting(Person)));
        Assert.DoesNotContain("13800138000", Waiting(Person).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("13800138000", Person.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_submission_again_is_a_retry_and_another_is_not()
    {
        Assert.True(ApplicationRules.IsRetryOf(Waiting(Person), Person));
        Assert.False(ApplicationRules.IsRetryOf(Waiting(Person), Person with { Username = "someone" }));
    }
}
