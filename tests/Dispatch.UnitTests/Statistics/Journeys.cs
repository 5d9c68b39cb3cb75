using System.Collections.Immutable;
using Dispatch.Escalation;
using Dispatch.Requests;
using Dispatch.Statistics;
using Dispatch.UnitTests.Support;
using static Dispatch.UnitTests.Support.GivenDispatch;

namespace Dispatch.UnitTests.Statistics;

/// <summary>Requests taken through their lives, with the summary of every version they passed through.</summary>
internal static class Journeys
{
    /// <summary>Every summary of one request, v1 first.</summary>
    public sealed class Journey(ServiceRequest request)
    {
        private readonly List<RequestSummary> summaries = [request.ToSummary()];

        public ServiceRequest Request { get; } = request;

        public ImmutableArray<RequestSummary> Summaries => [.. summaries];

        public RequestSummary Last => summaries[^1];

        public Journey Then(Action<ServiceRequest> step)
        {
            step(Request);
            Request.TakeNotices();
            if (Request.Version != summaries[^1].Version)
            {
                summaries.Add(Request.ToSummary());
            }

            return this;
        }
    }

    public static Journey Of(NewRequest spec, string community = Given.CommunityId, EscalationPolicy? policy = null, int? award = null) =>
        new(Create(spec with { CommunityId = community }, policy, award: award));

    /// <summary>Claimed at +5 min, started, completed at +65 min, verified at +90 min with a rating.</summary>
    public static Journey VerifiedWish(string community = Given.CommunityId, int? rating = 5, string volunteer = "li.na") =>
        Of(Given.Wish(), community)
            .Then(r => r.ApplyClaim(volunteer, Min(5)))
            .Then(r => Assert.Null(r.Start(Given.Volunteer(volunteer), Min(10))))
            .Then(r => Assert.Null(r.Complete(Given.Volunteer(volunteer), "Delivered", Min(65))))
            .Then(r => Assert.Null(r.Verify(Staff, approved: true, rating, null, Min(90))));

    /// <summary>
    /// A varied set: open, dispatched and declined, lapsed, claimed, in progress, completed,
    /// verified on time, verified late, cancelled, overturned, an organisation's activity.
    /// </summary>
    public static ImmutableArray<Journey> Mixed(string community = Given.CommunityId)
    {
        var slow = Given.PolicyOf(TimeSpan.FromMinutes(30)) with { OfferWithin = TimeSpan.FromMinutes(10) };
        return
        [
            Of(Given.Wish(), community),
            Of(Given.Wish(), community)
                .Then(r => Assert.Null(r.Dispatch(Staff, ["a", "b"], auto: true, Min(1))))
                .Then(r => Assert.Null(r.DeclineOffer(Given.Volunteer("a"), "busy", Min(2))))
                .Then(r => r.Advance(Min(12))),
            Of(Given.Wish() with { Kind = RequestKind.Errand }, community)
                .Then(r => Assert.Null(r.Dispatch(Staff, ["a"], auto: false, Min(1))))
                .Then(r => r.AcceptOffer(Given.Volunteer("a"), Min(3))),
            Of(Given.Wish() with { Kind = RequestKind.Case }, community)
                .Then(r => r.ApplyClaim("b", Min(20)))
                .Then(r => Assert.Null(r.Start(Given.Volunteer("b"), Min(21)))),
            Of(Given.Wish(), community)
                .Then(r => r.ApplyClaim("c", Min(2)))
                .Then(r => Assert.Null(r.Start(Given.Volunteer("c"), Min(3))))
                .Then(r => Assert.Null(r.Complete(Given.Volunteer("c"), null, Min(40)))),
            VerifiedWish(community, rating: 5),
            VerifiedWish(community, rating: 2, volunteer: "d"),
            Of(Given.Wish() with { Kind = RequestKind.Errand }, community, slow, award: 7)
                .Then(r => r.Advance(Min(31)))
                .Then(r => r.ApplyClaim("e", Min(40)))
                .Then(r => Assert.Null(r.Start(Given.Volunteer("e"), Min(41))))
                .Then(r => Assert.Null(r.Complete(Given.Volunteer("e"), null, Min(50), Code))),
            Of(Given.Wish(), community)
                .Then(r => Assert.Null(r.Cancel(Staff, "Duplicate", Min(4)))),
            VerifiedWish(community, rating: 4, volunteer: "f")
                .Then(r => Assert.Null(r.Verify(Staff, approved: false, rating: null, "overturned", Min(100)))),
            Of(Given.Activity(4), community, award: 30)
                .Then(r => r.ApplyClaim("member.zhang", Min(15), Organisation, places: 3))
                .Then(r => r.ApplyClaim("g", Min(16)))
                .Then(r => Assert.Null(r.Start(Given.Volunteer("g"), Min(17))))
                .Then(r => Assert.Null(r.Complete(Given.Volunteer("g"), null, Min(120))))
                .Then(r => Assert.Null(r.Verify(Staff, approved: true, rating: 3, null, Min(130)))),
        ];
    }

    public static RequestTally TallyOf(IEnumerable<RequestSummary> summaries)
    {
        var tally = new RequestTally();
        foreach (var summary in summaries)
        {
            tally.Apply(summary);
        }

        return tally;
    }

    /// <summary>Totals compared by value: the record compares its array by reference.</summary>
    public static void AssertSame(StatisticsTotals expected, StatisticsTotals actual)
    {
        Assert.Equal<int>(expected.ByKindAndStatus, actual.ByKindAndStatus);
        Assert.Equal(expected with { ByKindAndStatus = default }, actual with { ByKindAndStatus = default });
    }
}
