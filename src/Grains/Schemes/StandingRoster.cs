using System.Collections.Immutable;
using Dispatch.Common;

namespace Dispatch.Schemes;

/// <summary>
/// A community's standing roles as plain C#: who holds which role from when to when. A role is
/// held once at a time by a person; ending it keeps it on record, so months it was held can still
/// be run. The monthly run posts under a key per community, month, person and role, so the
/// ledger posts it once however often the month is run.
/// </summary>
public static class StandingRoster
{
    public const int MaxRoles = 1_000;

    public static Outcome<StandingRole> Assign(
        ImmutableArray<StandingRole> roles, string username, string role, DateOnly from, string by, DateTimeOffset at)
    {
        role = role?.Trim() ?? "";
        if (!PointsRuleNames.IsRoleName(role))
        {
            return Failure.Invalid("role", $"'role' must be a name of 1 to {PointsRuleNames.MaxRoleName} characters.");
        }

        if (roles.Any(r => r.Username == username && r.Role == role && (r.To is null || r.To >= from)))
        {
            return Failure.Conflict("roleAlreadyHeld", $"{username} holds '{role}' already.");
        }

        if (roles.Length >= MaxRoles)
        {
            return Failure.Conflict("tooManyRoles", $"A community keeps at most {MaxRoles} standing roles.");
        }

        return new StandingRole(username, role, from, null, by, at);
    }

    /// <summary>The role as ended on <paramref name="on"/>; <see cref="Held"/> finds the line it replaces.</summary>
    public static Outcome<StandingRole> End(
        ImmutableArray<StandingRole> roles, string username, string role, DateOnly on)
    {
        if (Held(roles, username, role) is not { } held)
        {
            return Failure.NotFound("Standing role", $"{username}/{role}");
        }

        if (on < held.From)
        {
            return Failure.Invalid("on", $"The role was given on {held.From:yyyy-MM-dd}; it cannot end before.");
        }

        return held with { To = on };
    }

    /// <summary>The line of a role the person holds now (not ended).</summary>
    public static StandingRole? Held(ImmutableArray<StandingRole> roles, string username, string role) =>
        roles.FirstOrDefault(r => r.Username == username && r.Role == role && r.To is null);

    /// <summary>The roles held in <paramref name="month"/> (its first day), one per person and role.</summary>
    public static IEnumerable<StandingRole> HeldIn(ImmutableArray<StandingRole> roles, DateOnly month) =>
        roles.Where(r => r.HeldIn(month)).DistinctBy(r => (r.Username, r.Role));

    /// <summary>The ledger key of a role's month: the same for every run of that month.</summary>
    public static string Key(string communityId, DateOnly month, StandingRole role) =>
        $"role:{communityId}:{month:yyyy-MM}:{role.Username}:{role.Role}";
}
