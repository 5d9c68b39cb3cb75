using Dispatch.Volunteers;
using Dispatch.UnitTests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Dispatch.UnitTests.Volunteers;

public sealed class VolunteerRecordTests
{
    private const int Limit = 3;

    private static readonly VolunteerProfile LiNa = new("li.na", "Li Na", Given.CommunityId, ["first aid", "driving"]);

    private readonly FakeTimeProvider time = new(Given.Morning);

    [Fact]
    public void A_new_record_is_not_registered_and_has_no_view()
    {
        var record = new VolunteerRecord();

        Assert.False(record.IsRegistered);
        Assert.Null(record.ToView(Limit));
        Assert.Empty(record.ActiveClaims);
    }

    [Fact]
    public void Register_records_the_profile_the_time_and_one_history_entry()
    {
        var record = new VolunteerRecord();

        Assert.True(record.Register(LiNa, time.GetUtcNow()));

        Assert.True(record.IsRegistered);
        Assert.Equal(time.GetUtcNow(), record.RegisteredAt);
        var entry = Assert.Single(record.History);
        Assert.Equal(new VolunteerHistoryEntry(time.GetUtcNow(), VolunteerAction.Registered, null), entry);
        var view = record.ToView(Limit);
        Assert.NotNull(view);
        Assert.Equal(("li.na", "Li Na", Given.CommunityId, Limit), (view.Username, view.DisplayName, view.CommunityId, view.ClaimLimit));
        Assert.Equal<string>(["first aid", "driving"], view.Skills);
    }

    [Fact]
    public void Register_returns_false_when_nothing_changed()
    {
        var record = new VolunteerRecord();
        Assert.True(record.Register(LiNa, time.GetUtcNow()));
        time.Advance(TimeSpan.FromDays(1));

        // An equal profile built from new arrays is still unchanged.
        Assert.False(record.Register(LiNa with { Skills = ["first aid", "driving"] }, time.GetUtcNow()));

        Assert.Single(record.History);
        Assert.Equal(Given.Morning, record.RegisteredAt);
    }

    [Fact]
    public void Register_with_a_changed_profile_updates_it_but_keeps_the_registration_time()
    {
        var record = new VolunteerRecord();
        record.Register(LiNa, time.GetUtcNow());
        time.Advance(TimeSpan.FromDays(1));

        Assert.True(record.Register(LiNa with { Skills = ["first aid", "driving", "haircut"] }, time.GetUtcNow()));
        Assert.True(record.Register(LiNa with { DisplayName = "Li Na (retired doctor)" }, time.GetUtcNow()));

        Assert.Equal("Li Na (retired doctor)", record.Profile?.DisplayName);
        Assert.Equal(Given.Morning, record.RegisteredAt);
        Assert.Single(record.History);
    }

    [Fact]
    public void TryReserve_takes_slots_up_to_the_limit_then_refuses()
    {
        var record = new VolunteerRecord();
        var requests = NewIds(Limit + 1);

        for (var i = 0; i < Limit; i++)
        {
            Assert.True(record.HasFreeSlot(Limit));
            Assert.True(record.TryReserve(requests[i], Limit, time.GetUtcNow()));
        }

        Assert.False(record.HasFreeSlot(Limit));
        Assert.False(record.TryReserve(requests[^1], Limit, time.GetUtcNow()));
        Assert.Equal(requests.Take(Limit), record.ActiveClaims);
        Assert.False(record.Holds(requests[^1]));
    }

    [Fact]
    public void TryReserve_of_a_held_request_is_true_and_takes_no_second_slot()
    {
        var record = new VolunteerRecord();
        var request = Guid.NewGuid();

        Assert.True(record.TryReserve(request, Limit, time.GetUtcNow()));
        var historyLength = record.History.Length;
        Assert.True(record.TryReserve(request, Limit, time.GetUtcNow()));

        Assert.Equal<Guid>([request], record.ActiveClaims);
        Assert.Equal(historyLength, record.History.Length);
    }

    [Fact]
    public void TryReserve_of_a_held_request_is_true_even_at_the_limit()
    {
        var record = new VolunteerRecord();
        var requests = NewIds(Limit);
        foreach (var request in requests)
        {
            record.TryReserve(request, Limit, time.GetUtcNow());
        }

        Assert.True(record.TryReserve(requests[0], Limit, time.GetUtcNow()));
        Assert.Equal(Limit, record.ActiveClaims.Length);
    }

    [Fact]
    public void End_frees_the_slot_so_another_request_can_be_reserved()
    {
        var record = new VolunteerRecord();
        var requests = NewIds(Limit + 1);
        foreach (var request in requests.Take(Limit))
        {
            record.TryReserve(request, Limit, time.GetUtcNow());
        }

        Assert.True(record.End(requests[1], ClaimEnd.Released, time.GetUtcNow()));

        Assert.False(record.Holds(requests[1]));
        Assert.True(record.TryReserve(requests[^1], Limit, time.GetUtcNow()));
        Assert.Equal<Guid>([requests[0], requests[2], requests[3]], record.ActiveClaims);
    }

    [Fact]
    public void End_counts_only_completions_and_records_why_the_claim_ended()
    {
        var record = new VolunteerRecord();
        var (released, completed, cancelled) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        record.TryReserve(released, Limit, time.GetUtcNow());
        record.TryReserve(completed, Limit, time.GetUtcNow());
        record.TryReserve(cancelled, Limit, time.GetUtcNow());

        time.Advance(TimeSpan.FromHours(1));
        Assert.True(record.End(released, ClaimEnd.Released, time.GetUtcNow()));
        Assert.True(record.End(completed, ClaimEnd.Completed, time.GetUtcNow()));
        Assert.True(record.End(cancelled, ClaimEnd.Cancelled, time.GetUtcNow()));

        Assert.Equal(1, record.CompletedCount);
        Assert.Empty(record.ActiveClaims);
        Assert.Equal(
            [
                new VolunteerHistoryEntry(Given.Morning, VolunteerAction.Claimed, released),
                new VolunteerHistoryEntry(Given.Morning, VolunteerAction.Claimed, completed),
                new VolunteerHistoryEntry(Given.Morning, VolunteerAction.Claimed, cancelled),
                new VolunteerHistoryEntry(time.GetUtcNow(), VolunteerAction.Released, released),
                new VolunteerHistoryEntry(time.GetUtcNow(), VolunteerAction.Completed, completed),
                new VolunteerHistoryEntry(time.GetUtcNow(), VolunteerAction.ClaimEnded, cancelled),
            ],
            record.History.AsEnumerable());
    }

    [Fact]
    public void End_is_idempotent_a_second_end_is_false_and_counts_nothing()
    {
        var record = new VolunteerRecord();
        var request = Guid.NewGuid();
        record.TryReserve(request, Limit, time.GetUtcNow());
        Assert.True(record.End(request, ClaimEnd.Completed, time.GetUtcNow()));
        var historyLength = record.History.Length;

        Assert.False(record.End(request, ClaimEnd.Completed, time.GetUtcNow()));

        Assert.Equal(1, record.CompletedCount);
        Assert.Equal(historyLength, record.History.Length);
    }

    [Fact]
    public void End_of_a_request_never_held_is_false()
    {
        var record = new VolunteerRecord();

        Assert.False(record.End(Guid.NewGuid(), ClaimEnd.Released, time.GetUtcNow()));
        Assert.Empty(record.History);
    }

    [Fact]
    public void Forget_removes_only_the_given_ids()
    {
        var record = new VolunteerRecord();
        var requests = NewIds(Limit);
        foreach (var request in requests)
        {
            record.TryReserve(request, Limit, time.GetUtcNow());
        }

        Assert.True(record.Forget([requests[0], requests[2], Guid.NewGuid()]));

        Assert.Equal<Guid>([requests[1]], record.ActiveClaims);
        Assert.Equal(0, record.CompletedCount);
    }

    [Fact]
    public void Forget_of_ids_not_held_is_false_and_changes_nothing()
    {
        var record = new VolunteerRecord();
        var held = Guid.NewGuid();
        record.TryReserve(held, Limit, time.GetUtcNow());

        Assert.False(record.Forget([Guid.NewGuid()]));
        Assert.False(record.Forget([]));

        Assert.Equal<Guid>([held], record.ActiveClaims);
    }

    [Fact]
    public void History_is_bounded_and_keeps_the_newest_entries()
    {
        var record = new VolunteerRecord();
        record.Register(LiNa, time.GetUtcNow());
        var requests = new List<Guid>();
        for (var i = 0; i < VolunteerRecord.HistoryKept; i++)
        {
            var request = Guid.NewGuid();
            requests.Add(request);
            time.Advance(TimeSpan.FromMinutes(1));
            Assert.True(record.TryReserve(request, limit: 1, time.GetUtcNow()));
            Assert.True(record.End(request, ClaimEnd.Completed, time.GetUtcNow()));
        }

        Assert.Equal(VolunteerRecord.HistoryKept, record.History.Length);
        Assert.Equal(VolunteerRecord.HistoryKept, record.CompletedCount);
        Assert.DoesNotContain(record.History, h => h.Action == VolunteerAction.Registered);
        Assert.Equal(new VolunteerHistoryEntry(time.GetUtcNow(), VolunteerAction.Completed, requests[^1]), record.History[^1]);
        Assert.Equal(requests[^(VolunteerRecord.HistoryKept / 2)], record.History[0].RequestId);
        Assert.Equal(record.History.OrderBy(h => h.At).ToList(), record.History.AsEnumerable());
        Assert.Equal(Given.Morning, record.RegisteredAt);
    }

    [Fact]
    public void History_is_not_trimmed_below_the_bound()
    {
        var record = new VolunteerRecord();
        record.Register(LiNa, time.GetUtcNow());
        for (var i = 0; i < VolunteerRecord.HistoryKept - 1; i++)
        {
            record.TryReserve(Guid.NewGuid(), int.MaxValue, time.GetUtcNow());
        }

        Assert.Equal(VolunteerRecord.HistoryKept, record.History.Length);
        Assert.Equal(VolunteerAction.Registered, record.History[0].Action);
    }

    [Fact]
    public void ToView_carries_the_active_claims_completions_and_history()
    {
        var record = new VolunteerRecord();
        record.Register(LiNa, time.GetUtcNow());
        var (active, done) = (Guid.NewGuid(), Guid.NewGuid());
        record.TryReserve(active, Limit, time.GetUtcNow());
        record.TryReserve(done, Limit, time.GetUtcNow());
        record.End(done, ClaimEnd.Completed, time.GetUtcNow());

        var view = record.ToView(Limit);

        Assert.NotNull(view);
        Assert.Equal<Guid>([active], view.ActiveClaims);
        Assert.Equal(1, view.CompletedCount);
        Assert.Equal(record.History.Length, view.History.Length);
        Assert.Equal(Given.Morning, view.RegisteredAt);
    }

    private static Guid[] NewIds(int count) => [.. Enumerable.Range(0, count).Select(_ => Guid.NewGuid())];
}
