using Dispatch.Common;
using Dispatch.Hours;
using Dispatch.UnitTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.UnitTests.Hours;

/// <summary>A volunteer's service hours: credits once, manual hours marked and capped, corrections with history, periods and star levels.</summary>
public sealed class ServiceHoursTests
{
    private static readonly Guid Clinic = Guid.NewGuid();
    private static readonly DateTimeOffset ClinicStart = Given.Morning;

    private readonly FakeTimeProvider clock = new(Given.Morning.AddHours(3));

    private DateTimeOffset Now => clock.GetUtcNow();

    [Fact]
    public void An_activitys_attendance_is_credited_once_and_a_retry_changes_nothing()
    {
        var hours = ServiceHours.For("wang.fang");

        var first = hours.Credit(Attended(90), Guid.NewGuid(), Now).Value!;
        var retry = hours.Credit(Attended(90), Guid.NewGuid(), Now.AddMinutes(1)).Value!;

        Assert.Equal(first, retry);
        Assert.Equal((1, 90), (hours.Entries.Length, hours.TotalMinutes));
        Assert.False(first.ToView().Manual);
    }

    [Fact]
    public void Hours_added_by_hand_are_marked_name_who_and_why_and_never_exceed_the_activitys_length()
    {
        var hours = ServiceHours.For("wang.fang");
        hours.Credit(Attended(90), Guid.NewGuid(), Now);

        var tooMuch = hours.Credit(ByHand(31, "forgot to check out"), Guid.NewGuid(), Now);
        var noReason = hours.Credit(ByHand(30, " "), Guid.NewGuid(), Now);
        var added = hours.Credit(ByHand(30, "stayed to tidy up, forgot to check out"), Guid.NewGuid(), Now).Value!.ToView();

        Assert.Equal(("exceedsServiceLength", "minutes"), (tooMuch.Failure?.Code, tooMuch.Failure?.Field));
        Assert.Equal("reason", noReason.Failure?.Field);
        Assert.Equal((true, "grid.wang", "stayed to tidy up, forgot to check out", 30), (added.Manual, added.RecordedBy, added.Reason, added.Minutes));
        Assert.Equal(120, hours.MinutesFor(Clinic));
    }

    [Fact]
    public void A_correction_keeps_the_old_value_who_and_why_and_stays_within_the_length()
    {
        var hours = ServiceHours.For("wang.fang");
        var entry = hours.Credit(Attended(60), Guid.NewGuid(), Now).Value!;
        clock.Advance(TimeSpan.FromDays(2));

        var tooLong = hours.Correct(entry.Id, 121, Given.GridWorker, "asked by the volunteer", Now);
        var corrected = hours.Correct(entry.Id, 100, Given.GridWorker, "arrived before check-in opened", Now).Value!;

        Assert.Equal("exceedsServiceLength", tooLong.Failure?.Code);
        Assert.Equal(100, corrected.Minutes);
        var correction = Assert.Single(corrected.Corrections);
        Assert.Equal((Now, "grid.wang", 60, 100, "arrived before check-in opened"), (correction.At, correction.By, correction.FromMinutes, correction.ToMinutes, correction.Reason));
        Assert.Equal("reason", hours.Correct(entry.Id, 90, Given.GridWorker, "", Now).Failure?.Field);
        Assert.Equal("notFound", hours.Correct(Guid.NewGuid(), 90, Given.GridWorker, "x", Now).Failure?.Code);
        Assert.Equal(100, hours.TotalMinutes);
    }

    [Fact]
    public void A_period_counts_the_services_that_began_in_it_and_person_times_count_activities_attended_and_requests_served()
    {
        var hours = ServiceHours.For("wang.fang");
        hours.Credit(Attended(60), Guid.NewGuid(), Now);
        hours.Credit(Attended(45, Guid.NewGuid(), ClinicStart.AddDays(40)), Guid.NewGuid(), Now);
        hours.Credit(new HoursCredit("request:1", HoursSource.Request, Guid.NewGuid(), "Thermos cup", Given.CommunityId, ClinicStart.AddDays(1), 30, 30, "grid.wang"), Guid.NewGuid(), Now);

        var march = hours.ToView(ClinicStart.AddDays(-1), ClinicStart.AddDays(30));

        Assert.Equal((90, 1.5m, 2, 135), (march.Minutes, march.Hours, march.PersonTimes, march.TotalMinutes));
        Assert.Equal(2, march.Entries.Length);
    }

    [Theory]
    [InlineData(99, 0, 100)]
    [InlineData(100, 1, 300)]
    [InlineData(599, 2, 600)]
    [InlineData(1000, 4, 1500)]
    [InlineData(2000, 5, null)]
    public void Star_levels_come_at_100_300_600_1000_and_1500_hours(int totalHours, int stars, int? next)
    {
        Assert.Equal((stars, next), (HoursLimits.StarsFor(totalHours * 60), HoursLimits.NextStarAt(totalHours * 60)));
    }

    private static HoursCredit Attended(int minutes, Guid? activity = null, DateTimeOffset? at = null) => new(
        $"activity:{activity ?? Clinic}", HoursSource.Activity, activity ?? Clinic, "Free clinic", Given.CommunityId,
        at ?? ClinicStart, minutes, 120, ServiceRequestSystem);

    private static HoursCredit ByHand(int minutes, string reason) => new(
        $"manual:{Guid.NewGuid()}", HoursSource.Manual, Clinic, "Free clinic", Given.CommunityId, ClinicStart, minutes, 120, "grid.wang", reason);

    private const string ServiceRequestSystem = "system";
}
