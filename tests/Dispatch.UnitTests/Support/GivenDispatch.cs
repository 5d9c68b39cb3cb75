using System.Collections.Immutable;
using Dispatch.Common;
using Dispatch.Escalation;
using Dispatch.Requests;
using Dispatch.Volunteers;

namespace Dispatch.UnitTests.Support;

/// <summary>Test data for dispatch offers, check-in codes, organisation claims and points.</summary>
internal static class GivenDispatch
{
    public const string Code = "123456";
    public const string Organisation = "power-supply-bureau";

    /// <summary>Long stage deadlines, a ten-minute offer: only offers move unless a test says otherwise.</summary>
    public static readonly EscalationPolicy TenMinuteOffers =
        Given.PolicyOf(TimeSpan.FromDays(1)) with { OfferWithin = TimeSpan.FromMinutes(10) };

    /// <summary><see cref="Given.Morning"/> plus some minutes.</summary>
    public static DateTimeOffset Min(double minutes) => Given.Morning + TimeSpan.FromMinutes(minutes);

    /// <summary>A request with a policy, the place path, a check-in code and an award.</summary>
    public static ServiceRequest Create(
        NewRequest spec,
        EscalationPolicy? policy = null,
        string? checkInCode = Code,
        int? award = null,
        DateTimeOffset? at = null) =>
        ServiceRequest.Create(Guid.NewGuid(), spec, Given.GridWorker, at ?? Given.Morning, policy ?? TenMinuteOffers, Given.PlacePath, checkInCode, award);

    public static ServiceRequest OpenWish(EscalationPolicy? policy = null) => Create(Given.Wish(), policy);

    public static ServiceRequest OpenActivity(int places, EscalationPolicy? policy = null, int? award = null) =>
        Create(Given.Activity(places), policy, award: award);

    /// <summary>A request staff dispatched to the first of <paramref name="candidates"/>.</summary>
    public static ServiceRequest Offered(NewRequest spec, bool auto, params string[] candidates)
    {
        var request = Create(spec);
        Assert.Null(request.Dispatch(Given.GridWorker, [.. candidates], auto, Given.Morning));
        request.TakeNotices();
        return request;
    }

    /// <summary>The request claimed by each volunteer (one place each), started by the first, completed by the first.</summary>
    public static ServiceRequest Completed(NewRequest spec, int? award = null, string? checkInCode = Code, params string[] volunteers)
    {
        var request = Create(spec, checkInCode: checkInCode, award: award);
        foreach (var volunteer in volunteers)
        {
            Assert.Null(request.CheckClaim(volunteer, Given.CommunityId));
            request.ApplyClaim(volunteer, Given.Morning);
        }

        Assert.Null(request.Start(Given.Volunteer(volunteers[0]), Given.Morning));
        Assert.Null(request.Complete(Given.Volunteer(volunteers[0]), "Done", Given.Morning));
        request.TakeNotices();
        return request;
    }

    public static ServiceRequest InProgress(NewRequest spec, string volunteer = "li.na", string? checkInCode = Code, int? award = null)
    {
        var request = Create(spec, checkInCode: checkInCode, award: award);
        request.ApplyClaim(volunteer, Given.Morning);
        Assert.Null(request.Start(Given.Volunteer(volunteer), Given.Morning));
        request.TakeNotices();
        return request;
    }

    public static ImmutableArray<HistoryEntry> EntriesOf(ServiceRequest request, RequestAction action) =>
        [.. request.History.Where(h => h.Action == action)];

    public static ImmutableArray<VolunteerNotice> Notices(params (string Volunteer, VolunteerAction Action)[] notices) =>
        [.. notices.Select(n => new VolunteerNotice(n.Volunteer, n.Action))];

    public static Actor Staff => Given.GridWorker;
}
