using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Schemes;

namespace Dispatch.UnitTests.Schemes;

/// <summary>Standing roles: one line per person and role held, ended ones kept, the months they were held found again.</summary>
public sealed class StandingRosterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void A_role_is_held_in_every_month_touched_between_its_first_and_last_day()
    {
        var role = new StandingRole("li.na", "楼栋长", new DateOnly(2026, 9, 15), new DateOnly(2026, 11, 1), "staff", Now);

        Assert.False(role.HeldIn(new DateOnly(2026, 8, 1)));
        Assert.True(role.HeldIn(new DateOnly(2026, 9, 1)));
        Assert.True(role.HeldIn(new DateOnly(2026, 11, 1)));
        Assert.False(role.HeldIn(new DateOnly(2026, 12, 1)));
        Assert.True((role with { To = null }).HeldIn(new DateOnly(2030, 1, 1)));
    }

    [Fact]
    public void A_role_held_already_is_refused_and_may_be_given_again_after_it_ended()
    {
        var given = StandingRoster.Assign([], "li.na", " 楼栋长 ", new DateOnly(2026, 9, 1), "staff", Now).Value!;
        ImmutableArray<StandingRole> roles = [given];

        var again = StandingRoster.Assign(roles, "li.na", "楼栋长", new DateOnly(2026, 10, 1), "staff", Now);
        var ended = StandingRoster.End(roles, "li.na", "楼栋长", new DateOnly(2026, 10, 31)).Value!;
        roles = roles.Replace(given, ended);
        var later = StandingRoster.Assign(roles, "li.na", "楼栋长", new DateOnly(2026, 12, 1), "staff", Now);

        Assert.Equal("楼栋长", given.Role);
        Assert.Equal("roleAlreadyHeld", again.Failure?.Code);
        Assert.Equal(new DateOnly(2026, 10, 31), ended.To);
        Assert.Null(later.Failure);
        Assert.Null(StandingRoster.Held(roles, "li.na", "楼栋长"));
    }

    [Fact]
    public void Ending_a_role_not_held_or_before_it_began_is_refused()
    {
        ImmutableArray<StandingRole> roles = [new("li.na", "业委会委员", new DateOnly(2026, 9, 1), null, "staff", Now)];

        Assert.Equal(FailureKind.NotFound, StandingRoster.End(roles, "li.na", "楼栋长", new DateOnly(2026, 10, 1)).Failure?.Kind);
        Assert.Equal("on", StandingRoster.End(roles, "li.na", "业委会委员", new DateOnly(2026, 8, 31)).Failure?.Field);
        Assert.Equal("role", StandingRoster.Assign(roles, "li.na", "  ", new DateOnly(2026, 9, 1), "staff", Now).Failure?.Field);
    }

    [Fact]
    public void The_run_key_names_the_community_month_person_and_role_so_every_run_of_a_month_posts_under_the_same_key()
    {
        var role = new StandingRole("li.na", "楼栋长", new DateOnly(2026, 9, 15), null, "staff", Now);

        Assert.Equal("role:m1:2026-11:li.na:楼栋长", StandingRoster.Key("m1", new DateOnly(2026, 11, 1), role));
        Assert.Equal(
            [("li.na", "楼栋长")],
            StandingRoster.HeldIn([role, role with { AssignedAt = Now.AddDays(1) }, role with { Username = "wang", From = new DateOnly(2026, 12, 1) }], new DateOnly(2026, 11, 1))
                .Select(r => (r.Username, r.Role)));
    }
}
