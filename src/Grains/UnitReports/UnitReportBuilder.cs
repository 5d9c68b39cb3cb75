using System.Collections.Immutable;
using Dispatch.Honours;
using Dispatch.Hours;
using Dispatch.Organisations;
using Dispatch.Volunteers;

namespace Dispatch.UnitReports;

/// <summary>What one member's own records say about a period, as read from their grains and the query store.</summary>
/// <param name="Volunteer">The member's volunteer record (profile and claim history); null when it is gone.</param>
/// <param name="Hours">The member's hours in the period, everywhere they served.</param>
/// <param name="Points">Net points earned in the period.</param>
/// <param name="Ratings">Ratings of the member's completions verified in the period; null when none.</param>
public sealed record MemberRecords(string Username, VolunteerView? Volunteer, VolunteerHoursView Hours, int Points, RatingTally? Ratings);

/// <summary>
/// Builds a unit's report for a period (plain C#): one line per member, then the unit's totals as
/// the sums of its lines (hours summed as shown, so the sheet adds up; its rating the average of
/// all its members' ratings). Completions are
/// claims ended as completed in the period, less any whose verification was overturned in it;
/// commitments kept are those completions plus activities attended (the activities among the
/// member's person-times, <see cref="HoursRollup.ActivitiesAttended"/>: a request served counts
/// as a completion already); commitments broken are
/// claims released or expired in the period. Members are listed by display name.
/// </summary>
public static class UnitReportBuilder
{
    public static UnitReport Build(OrganisationView unit, DateTimeOffset from, DateTimeOffset to, IEnumerable<MemberRecords> members)
    {
        var counted = members.Where(m => unit.HasMember(m.Username)).DistinctBy(m => m.Username).ToList();
        var lines = counted
            .Select(m => Line(m, from, to))
            .OrderBy(l => l.DisplayName, StringComparer.Ordinal)
            .ThenBy(l => l.Username, StringComparer.Ordinal)
            .ToImmutableArray();
        var figures = lines.Select(l => l.Figures).ToList();
        var ratings = counted.Sum(m => m.Ratings?.Ratings ?? 0);
        var totals = new UnitFigures(
            figures.Sum(f => f.Members),
            figures.Sum(f => f.Hours),
            figures.Sum(f => f.PersonTimes),
            figures.Sum(f => f.Completions),
            Average(counted.Sum(m => m.Ratings?.Sum ?? 0), ratings),
            ratings,
            figures.Sum(f => f.Points),
            figures.Sum(f => f.CommitmentsKept),
            figures.Sum(f => f.CommitmentsBroken));
        return new UnitReport(unit.Id, unit.Name, unit.CommunityIds, from, to, totals, lines);
    }

    /// <summary>The figures of one member: their own record only, never another's.</summary>
    public static UnitReportMember Line(MemberRecords member, DateTimeOffset from, DateTimeOffset to)
    {
        var history = member.Volunteer is { } volunteer
            ? volunteer.History.Where(e => e.At >= from && e.At < to).ToList()
            : [];
        var completed = history.Count(e => e.Action == VolunteerAction.Completed);
        var reinstated = history.Count(e => e.Action == VolunteerAction.ClaimReinstated);
        var completions = Math.Max(0, completed - reinstated);
        var broken = history.Count(e => e.Action == VolunteerAction.Released);
        var ratings = member.Ratings?.Ratings ?? 0;
        var figures = new UnitFigures(
            1,
            HoursLimits.ToHours(member.Hours.Minutes),
            member.Hours.PersonTimes,
            completions,
            Average(member.Ratings?.Sum ?? 0, ratings),
            ratings,
            member.Points,
            completions + HoursRollup.ActivitiesAttended(member.Hours.Entries.Select(e => (member.Username, e))),
            broken);
        return new UnitReportMember(
            member.Username,
            member.Volunteer?.DisplayName ?? member.Username,
            member.Volunteer?.CommunityId ?? "",
            figures);
    }

    private static decimal? Average(int sum, int count) =>
        count == 0 ? null : Math.Round((decimal)sum / count, 2, MidpointRounding.AwayFromZero);
}
