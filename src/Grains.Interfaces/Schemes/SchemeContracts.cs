using System.Collections.Immutable;
using Dispatch.Requests;

namespace Dispatch.Schemes;

/// <summary>The period a rule's cap counts over, in China Standard Time (<see cref="PointsCalendar"/>).</summary>
public enum CapPeriod
{
    Month,
    Quarter,
    Year,
}

/// <summary>
/// One item of a points scheme (积分项目): what earns points (<paramref name="Rule"/>, from
/// <see cref="PointsRuleNames"/>), how many, at most how many per person per period, and from when.
/// </summary>
/// <param name="Cap">The most points one person earns under this rule in one <paramref name="Period"/>; null: no cap.</param>
/// <param name="MaxPoints">Set at a county or town: the most points a place below may give this rule; null: no limit.</param>
/// <param name="EffectiveFrom">The day (China time) the rule applies from; null: the version's own date.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.PointsRule")]
public sealed record PointsRule(
    string Rule,
    int Points,
    int? Cap = null,
    CapPeriod Period = CapPeriod.Month,
    int? MaxPoints = null,
    DateOnly? EffectiveFrom = null);

/// <summary>A new version of a place's scheme, as staff send it.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.SchemeDraft")]
public sealed record SchemeDraft(DateOnly EffectiveFrom, ImmutableArray<PointsRule> Rules);

/// <summary>One stored version of the scheme a place sets. Versions are never changed: a new one is added.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PointsSchemeVersion")]
public sealed record PointsSchemeVersion(
    string PlaceId,
    int Version,
    DateOnly EffectiveFrom,
    ImmutableArray<PointsRule> Rules,
    string SetBy,
    DateTimeOffset SetAt);

/// <summary>A rule as it applies at a place on a day: its figures and the scheme (place and version) they come from.</summary>
/// <param name="Ceiling">The most a place below may give it (the lowest limit set above or here); null: no limit.</param>
[GenerateSerializer, Immutable, Alias("Dispatch.EffectiveRule")]
public sealed record EffectiveRule(
    string Rule,
    int Points,
    int? Cap,
    CapPeriod Period,
    int? Ceiling,
    string SchemePlaceId,
    int SchemeVersion);

/// <summary>A place's scheme: the versions it set (newest first) and the rules in force there on <paramref name="On"/>, inherited ones included.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.PointsSchemeView")]
public sealed record PointsSchemeView(
    string PlaceId,
    DateOnly On,
    ImmutableArray<PointsSchemeVersion> Versions,
    ImmutableArray<EffectiveRule> Effective);

/// <summary>The names of the rules a scheme may hold.</summary>
public static class PointsRuleNames
{
    /// <summary>Attending an activity (checked in).</summary>
    public const string ActivityAttendance = "activity.attend";

    /// <summary>A bonus for a completion rated highly.</summary>
    public const string HighRating = "rating.high";

    /// <summary>Prefix of the standing roles, one rule per role and month: <c>role.业委会委员</c>, <c>role.楼栋长</c>.</summary>
    public const string RolePrefix = "role.";

    public const int MaxRoleName = 40;

    /// <summary>Completing a request of a kind and urgency: <c>request.wish.urgent</c>.</summary>
    public static string Request(RequestKind kind, Urgency urgency) =>
        $"request.{kind.ToString().ToLowerInvariant()}.{urgency.ToString().ToLowerInvariant()}";

    public static string Role(string role) => RolePrefix + role.Trim();

    /// <summary>True for a name a scheme may hold.</summary>
    public static bool IsKnown(string rule) =>
        rule == ActivityAttendance || rule == HighRating || RequestRules().Contains(rule)
        || (rule.StartsWith(RolePrefix, StringComparison.Ordinal) && IsRoleName(rule[RolePrefix.Length..]));

    public static bool IsRoleName(string role) =>
        role.Length is > 0 and <= MaxRoleName && role == role.Trim() && !role.Any(char.IsControl);

    private static IEnumerable<string> RequestRules() =>
        from kind in Enum.GetValues<RequestKind>()
        from urgency in Enum.GetValues<Urgency>()
        select Request(kind, urgency);
}

/// <summary>
/// The calendar periods and days of points rules are China Standard Time (UTC+8, no daylight
/// saving): a month is the month an officer in the county reads on the wall.
/// </summary>
public static class PointsCalendar
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(Offset).DateTime);

    /// <summary>The start of <paramref name="day"/> as an instant.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), Offset);

    /// <summary>The period <paramref name="at"/> falls in, as a key: <c>2026-11</c>, <c>2026-Q4</c>, <c>2026</c>.</summary>
    public static string PeriodKey(DateTimeOffset at, CapPeriod period)
    {
        var day = DayOf(at);
        return period switch
        {
            CapPeriod.Quarter => $"{day.Year:D4}-Q{(day.Month + 2) / 3}",
            CapPeriod.Year => $"{day.Year:D4}",
            _ => $"{day.Year:D4}-{day.Month:D2}",
        };
    }
}

/// <summary>
/// A standing role (业委会委员, 楼栋长…) a volunteer holds in a community from one day to another
/// (null: still held); each month held earns the scheme's <c>role.{name}</c> points once.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.StandingRole")]
public sealed record StandingRole(string Username, string Role, DateOnly From, DateOnly? To, string AssignedBy, DateTimeOffset AssignedAt)
{
    /// <summary>True when the role is held on any day of <paramref name="month"/> (its first day).</summary>
    public bool HeldIn(DateOnly month) => From <= month.AddMonths(1).AddDays(-1) && (To is null || To >= month);
}

/// <summary>A community's standing roles, past ones included (a past month can still be run).</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.StandingRolesView")]
public sealed record StandingRolesView(string CommunityId, ImmutableArray<StandingRole> Roles);

/// <summary>One posting of a monthly run: who, which role, the points, and whether this run made it or an earlier one had.</summary>
[GenerateSerializer, Immutable, Alias("Dispatch.StandingRolePosting")]
public sealed record StandingRolePosting(string Username, string Role, int Points, long Seq, string Key);

/// <summary>
/// The outcome of a monthly run in a community: the postings (made now or by an earlier run of the
/// same month: the ledger posts each key once), and the roles no rule of the scheme pays for.
/// </summary>
[GenerateSerializer, Immutable, Alias("Dispatch.StandingRoleRun")]
public sealed record StandingRoleRun(
    string CommunityId,
    string Month,
    ImmutableArray<StandingRolePosting> Postings,
    ImmutableArray<StandingRole> Unpaid,
    ImmutableArray<StandingRole> Capped);
