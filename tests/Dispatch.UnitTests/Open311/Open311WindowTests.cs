using Dispatch.Common;
using Dispatch.Open311;
using Dispatch.WebHost.Open311;

namespace Dispatch.UnitTests.Open311;

/// <summary>GeoReport's date filters: 90 days by default, from either bound, and clear errors.</summary>
public sealed class Open311WindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Without_dates_the_window_is_the_last_90_days()
    {
        var errors = new ValidationErrors();

        Assert.Equal((Now.AddDays(-90), Now), Open311Window.Resolve(null, " ", Now, errors));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void One_bound_spans_90_days_from_it_and_two_bounds_are_taken_as_given()
    {
        var errors = new ValidationErrors();
        var start = new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.FromHours(8));

        Assert.Equal((start, start.AddDays(90)), Open311Window.Resolve("2026-01-01T08:00:00+08:00", null, Now, errors));
        Assert.Equal((start.AddDays(-90), start), Open311Window.Resolve(null, "2026-01-01T00:00:00Z", Now, errors));
        Assert.Equal((start, start.AddDays(60)), Open311Window.Resolve("2026-01-01T00:00:00Z", "2026-03-02T00:00:00Z", Now, errors));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void Dates_at_the_ends_of_the_calendar_give_a_window_not_an_overflow()
    {
        var errors = new ValidationErrors();

        Assert.Equal(DateTimeOffset.MinValue.UtcTicks, Open311Window.Resolve(null, "0001-01-01T00:00:00Z", Now, errors).From.UtcTicks);
        Assert.Equal(DateTimeOffset.MaxValue.UtcTicks, Open311Window.Resolve("9999-12-31T00:00:00Z", null, Now, errors).To.UtcTicks);
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void A_date_without_an_offset_is_taken_as_utc()
    {
        var errors = new ValidationErrors();

        Assert.Equal(new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero), Open311Window.Parse("2026-02-03T04:05:06", "start_date", errors));
        Assert.True(errors.IsEmpty);
    }

    [Fact]
    public void Malformed_or_reversed_dates_name_the_parameter()
    {
        var errors = new ValidationErrors();
        Open311Window.Resolve("yesterday", null, Now, errors);
        Assert.Equal(["start_date"], errors.ToDictionary().Keys);

        errors = new ValidationErrors();
        Open311Window.Resolve("2026-03-01T00:00:00Z", "2026-02-01T00:00:00Z", Now, errors);
        Assert.Equal(["end_date"], errors.ToDictionary().Keys);
    }
}
