using Dispatch.Communities;
using Dispatch.Consoles;
using Dispatch.Requests;
using Dispatch.UnitTests.Support;
using Dispatch.Volunteers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Dispatch.UnitTests.Storage;

/// <summary>
/// Grain state goes through the same storage serializer the silo configures (Orleans' binary
/// serializer): everything the domain classes hold, private setters and fields included, must
/// come back, and the restored object must keep behaving the same.
/// </summary>
public sealed class StateRoundTripTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(ServiceRequest).Assembly))
        .BuildServiceProvider();

    private readonly OrleansGrainStorageSerializer storage;

    public StateRoundTripTests() => storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());

    public void Dispose() => services.Dispose();

    [Fact]
    public void A_request_comes_back_with_its_claimants_history_and_verification()
    {
        var request = Given.ClaimedBy(Given.Activity(3) with { Description = "Bring a blood-pressure meter" }, "doctor1", "doctor2");
        Assert.Null(request.Start(Given.Volunteer("doctor1"), Given.Morning.AddHours(1)));
        Assert.Null(request.Complete(Given.Volunteer("doctor2"), "Saw 40 residents", Given.Morning.AddHours(3)));
        Assert.Null(request.Verify(Given.GridWorker, approved: false, rating: 3, "Report missing", Given.Morning.AddHours(4)));

        var restored = RoundTrip(new RequestGrain.State { Request = request }).Request;

        Assert.NotNull(restored);
        Assert.Equal(Given.Snapshot(request), Given.Snapshot(restored));
        Assert.Equal(
            (request.Id, request.CommunityId, request.Kind, request.Title, request.Description, request.Urgency, request.Places, request.Points),
            (restored.Id, restored.CommunityId, restored.Kind, restored.Title, restored.Description, restored.Urgency, restored.Places, restored.Points));
        Assert.Equal(request.Beneficiary, restored.Beneficiary);
        Assert.Equal<string>(request.Categories, restored.Categories);
        Assert.Equal((request.CreatedBy, request.CreatedAt, request.EscalationLevel), (restored.CreatedBy, restored.CreatedAt, restored.EscalationLevel));
        Assert.Equal(request.ToSummary() with { Categories = [], Claimants = [] }, restored.ToSummary() with { Categories = [], Claimants = [] });
        Assert.Equal<string>(request.ToSummary().Claimants, restored.ToSummary().Claimants);
    }

    [Fact]
    public void A_restored_request_keeps_its_claim_rules_and_counts_versions_on()
    {
        var request = Given.ClaimedBy(Given.Activity(2), "doctor1");

        var restored = RoundTrip(new RequestGrain.State { Request = request }).Request!;

        Assert.Equal(ClaimLoss.AlreadyClaimed, restored.CheckClaim("doctor1", Given.CommunityId));
        restored.ApplyClaim("doctor2", Given.Morning);
        Assert.Equal(RequestStatus.Claimed, restored.Status);
        Assert.Equal(request.Version + 1, restored.Version);
        Assert.Equal(request.Version + 1, restored.History[^1].Seq);
    }

    [Fact]
    public void A_board_comes_back_with_its_requests_counters_and_volunteers()
    {
        var state = new CommunityGrain.State();
        var requests = new[] { Given.OpenWish(), Given.InProgressWish(), Given.VerifiedWish(), Given.ClaimedBy(Given.Activity(4), "a") };
        foreach (var request in requests)
        {
            state.Board.Apply(request.ToSummary());
        }

        state.Board.RegisterVolunteer("li.na");
        state.Board.RegisterVolunteer("zhao.lei");
        var all = new BoardQuery(null, null, null, 1, CommunityBoard.MaxPageSize);

        var restored = RoundTrip(state).Board;

        Assert.Equal(state.Board.Counters(), restored.Counters());
        Assert.Equal(state.Board.RequestCount, restored.RequestCount);
        Assert.Equal(state.Board.Query(all).Items.Select(s => (s.Id, s.Version, s.Status)), restored.Query(all).Items.Select(s => (s.Id, s.Version, s.Status)));
        Assert.Equal(state.Board.UnfinishedRequestIds.Order(), restored.UnfinishedRequestIds.Order());
    }

    [Fact]
    public void A_restored_board_stays_idempotent_and_keeps_counting()
    {
        var request = Given.OpenWish();
        var state = new CommunityGrain.State();
        state.Board.Apply(request.ToSummary());
        state.Board.RegisterVolunteer("li.na");

        var restored = RoundTrip(state).Board;

        Assert.False(restored.Apply(request.ToSummary()));
        Assert.False(restored.RegisterVolunteer("li.na"));
        request.ApplyClaim("li.na", Given.Morning);
        Assert.True(restored.Apply(request.ToSummary()));
        Assert.Equal(new PlaceCounters(0, 1, 0, 0, 0, 0, Overdue: 0, RegisteredVolunteers: 1, 0, 0, 0), restored.Counters());
    }

    [Fact]
    public void A_volunteer_record_comes_back_with_its_profile_slots_and_history()
    {
        var state = new VolunteerGrain.State();
        var record = state.Volunteer;
        record.Register(new VolunteerProfile("li.na", "Li Na", Given.CommunityId, ["first aid"]), Given.Morning);
        var (held, done) = (Guid.NewGuid(), Guid.NewGuid());
        record.TryReserve(held, 2, Given.Morning);
        record.TryReserve(done, 2, Given.Morning);
        record.End(done, ClaimEnd.Completed, Given.Morning.AddHours(1));

        var restored = RoundTrip(state).Volunteer;

        Assert.Equal(record.Profile! with { Skills = [] }, restored.Profile! with { Skills = [] });
        Assert.Equal<string>(record.Profile.Skills, restored.Profile.Skills);
        Assert.Equal<Guid>([held], restored.ActiveClaims);
        Assert.Equal(1, restored.CompletedCount);
        Assert.Equal(Given.Morning, restored.RegisteredAt);
        Assert.Equal<VolunteerHistoryEntry>(record.History, restored.History);
        Assert.False(restored.Register(record.Profile, Given.Morning.AddDays(1)));
    }

    private T RoundTrip<T>(T state)
        where T : class => storage.Deserialize<T>(storage.Serialize(state)) ?? throw new InvalidOperationException("Nothing came back.");
}
