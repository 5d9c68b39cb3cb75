using Dispatch.Common;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.UnitTests.Volunteers;

/// <summary>A volunteer's own profile: skills, when they can help, work unit; and that a later registration keeps what they set.</summary>
public sealed class VolunteerProfileTests
{
    private static readonly VolunteerProfile WangFang = new("wang.fang", "王芳", Given.CommunityId, ["first aid"]);

    private readonly FakeTimeProvider time = new(Given.Morning);

    private VolunteerRecord Registered()
    {
        var record = new VolunteerRecord();
        record.Register(WangFang, time.GetUtcNow());
        return record;
    }

    [Fact]
    public void A_change_sets_skills_availability_and_unit_and_the_view_shows_them()
    {
        var record = Registered();

        Assert.True(record.ChangeProfile(new ProfileChange(["理发", "陪护"], ["周末"], "旗供电公司")));

        var view = record.ToView(3)!;
        Assert.Equal(["理发", "陪护"], view.Skills.ToArray());
        Assert.Equal(["周末"], view.Availability.ToArray());
        Assert.Equal("旗供电公司", view.Unit);
        Assert.False(record.ChangeProfile(new ProfileChange(["理发", "陪护"], ["周末"], "旗供电公司")));
    }

    [Fact]
    public void A_later_registration_keeps_the_skills_the_volunteer_set_but_takes_a_new_name()
    {
        var record = Registered();
        record.ChangeProfile(new ProfileChange(["理发"], [], null));

        // Every sign-in registers again with the skills the account was created with.
        record.Register(WangFang with { DisplayName = "王芳芳" }, time.GetUtcNow());

        var view = record.ToView(3)!;
        Assert.Equal(["理发"], view.Skills.ToArray());
        Assert.Equal("王芳芳", view.DisplayName);
    }

    [Fact]
    public void Before_any_change_a_registration_updates_the_skills_as_before()
    {
        var record = Registered();

        record.Register(WangFang with { Skills = ["driving"] }, time.GetUtcNow());

        Assert.Equal(["driving"], record.ToView(3)!.Skills.ToArray());
        Assert.Empty(record.ToView(3)!.Availability);
        Assert.Null(record.ToView(3)!.Unit);
    }

    [Fact]
    public void A_change_before_registration_changes_nothing()
    {
        var record = new VolunteerRecord();

        Assert.False(record.ChangeProfile(new ProfileChange(["理发"], [], null)));
        Assert.Null(record.ToView(3));
    }

    [Fact]
    public void The_rules_trim_and_name_the_field_at_fault()
    {
        var change = VolunteerProfileRules.From(["  理发 ", "理发"], [" 周末"], "   ");
        Assert.Equal(["理发"], change.Skills.ToArray());
        Assert.Equal(["周末"], change.Availability.ToArray());
        Assert.Null(change.Unit);
        Assert.True(VolunteerProfileRules.Check(change).IsEmpty);

        var errors = VolunteerProfileRules.Check(VolunteerProfileRules.From([new string('x', 51)], [.. Enumerable.Repeat("a", 11).Select((a, i) => a + i)], new string('u', 101))).ToDictionary();
        Assert.Equal(["availability", "skills", "unit"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("skills", VolunteerProfileRules.Check(VolunteerProfileRules.From([""], [], null)).ToDictionary().Keys);
    }

    [Fact]
    public void Only_the_volunteer_changes_their_profile_not_staff_admins_or_another_volunteer()
    {
        Assert.Null(VolunteerProfileRules.CheckChanger("wang.fang", new Actor("wang.fang", AccountRole.Volunteer, Given.CommunityId)));

        var refusal = new Failure(FailureKind.Forbidden, "outOfScope", "A volunteer's profile is changed by the volunteer only.");
        Assert.Equal(refusal, VolunteerProfileRules.CheckChanger("wang.fang", new Actor("li.lei", AccountRole.Volunteer, Given.CommunityId)));
        Assert.Equal(refusal, VolunteerProfileRules.CheckChanger("wang.fang", new Actor("town.zhao", AccountRole.Staff, "t")));
        Assert.Equal(refusal, VolunteerProfileRules.CheckChanger("wang.fang", new Actor("admin", AccountRole.Admin)));
    }
}
