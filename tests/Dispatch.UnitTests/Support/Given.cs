using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Requests;

namespace Dispatch.UnitTests.Support;

/// <summary>Readable test data: actors, request specs and requests in a chosen state.</summary>
internal static class Given
{
    public const string CommunityId = "hongqi-community";
    public const string OtherCommunityId = "xinhua-community";

    /// <summary>09:00 on the morning a campaign publishes its wishes.</summary>
    public static readonly DateTimeOffset Morning = new(2025, 3, 5, 9, 0, 0, TimeSpan.FromHours(8));

    public static readonly Actor GridWorker = new("grid.wang", AccountRole.Staff, CommunityPlace);
    public static readonly Actor Admin = new("admin", AccountRole.Admin);

    public static Actor Volunteer(string username) => new(username, AccountRole.Volunteer);

    public static NewRequest Wish(string title = "Thermos cup for an 8-year-old") => new(
        CommunityId,
        RequestKind.Wish,
        title,
        "Left-behind child in grid 3 needs a thermos cup for school.",
        ["children", "winter"],
        Urgency.Normal,
        Places: 1,
        Points: 10,
        new Beneficiary("Xiao Ming", "13800000000", "Grid 3, building 2"));

    public static NewRequest Activity(int places) => new(
        CommunityId,
        RequestKind.Activity,
        "Free clinic",
        null,
        ["health"],
        Urgency.Urgent,
        places,
        Points: 20,
        new Beneficiary("Residents of grid 3", null, null));

    public static ServiceRequest Open(NewRequest spec, DateTimeOffset? at = null) =>
        ServiceRequest.Create(Guid.NewGuid(), spec, GridWorker, at ?? Morning);

    public static ServiceRequest OpenWish() => Open(Wish());

    /// <summary>A request whose places are taken by the given volunteers, in order.</summary>
    public static ServiceRequest ClaimedBy(NewRequest spec, params string[] volunteers)
    {
        var request = Open(spec);
        foreach (var volunteer in volunteers)
        {
            request.ApplyClaim(volunteer, Morning);
        }

        return request;
    }

    public static ServiceRequest InProgressWish(string volunteer = "li.na")
    {
        var request = ClaimedBy(Wish(), volunteer);
        Assert.Null(request.Start(Volunteer(volunteer), Morning));
        return request;
    }

    public static ServiceRequest CompletedWish(string volunteer = "li.na")
    {
        var request = InProgressWish(volunteer);
        Assert.Null(request.Complete(Volunteer(volunteer), "Delivered", Morning));
        return request;
    }

    public static ServiceRequest VerifiedWish(string volunteer = "li.na")
    {
        var request = CompletedWish(volunteer);
        Assert.Null(request.Verify(GridWorker, approved: true, rating: 5, "Thank you", Morning));
        return request;
    }

    public static ServiceRequest CancelledWish()
    {
        var request = OpenWish();
        Assert.Null(request.Cancel(GridWorker, "Duplicate of another wish", Morning));
        return request;
    }

    /// <summary>Everything observable about a request, to show that a refused operation changed nothing.</summary>
    public static string Snapshot(ServiceRequest request) => string.Join(
        " | ",
        request.Status,
        request.Version,
        string.Join(",", request.Claimants),
        string.Join(",", request.History),
        request.UpdatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        request.CompletionNote,
        request.Verification,
        request.CancelReason);

    public static ImmutableArray<string> Names(string prefix, int count) =>
        [.. Enumerable.Range(1, count).Select(i => $"{prefix}{i:D3}")];

    /// <summary>Region, county, town, community: escalation level L is the L-th place from the end.</summary>
    public static readonly ImmutableArray<string> PlacePath = ["r", "c", "t", "m"];

    /// <summary>The community at the foot of <see cref="PlacePath"/>, where <see cref="GridWorker"/> works.</summary>
    public const string CommunityPlace = "m";

    public static readonly Actor TownStaff = new("town.zhao", AccountRole.Staff, "t");
    public static readonly Actor CountyStaff = new("county.li", AccountRole.Staff, "c");

    /// <summary>The same time for every stage and for each further climb.</summary>
    public static EscalationPolicy PolicyOf(TimeSpan each) => new(each, each, each, each, each, each);

    /// <summary>Two seconds for everything: the policy of an urgent wish in the escalation tests.</summary>
    public static EscalationPolicy TwoSeconds => PolicyOf(TimeSpan.FromSeconds(2));

    /// <summary><see cref="Morning"/> plus some seconds.</summary>
    public static DateTimeOffset At(double seconds) => Morning + TimeSpan.FromSeconds(seconds);

    public static NewRequest UrgentWish() => Wish() with { Urgency = Urgency.Urgent };

    /// <summary>A request under an explicit policy, placed in <see cref="PlacePath"/>.</summary>
    public static ServiceRequest UnderPolicy(NewRequest spec, EscalationPolicy policy, DateTimeOffset? at = null) =>
        ServiceRequest.Create(Guid.NewGuid(), spec, GridWorker, at ?? Morning, policy, PlacePath);
}
