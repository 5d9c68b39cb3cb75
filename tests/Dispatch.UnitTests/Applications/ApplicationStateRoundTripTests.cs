using Dispatch.Applications;
using Dispatch.Common;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Dispatch.UnitTests.Applications;

/// <summary>The application grains' states through the storage serializer the silo uses: everything comes back.</summary>
public sealed class ApplicationStateRoundTripTests : IDisposable
{
    private static readonly DateTimeOffset Submitted = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider services = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(ApplicationGrain).Assembly))
        .BuildServiceProvider();

    public void Dispose() => services.Dispose();

    [Fact]
    public void An_application_comes_back_with_its_decision_and_its_trail_in_order()
    {
        var application = ApplicationRules.Create("a1", new NewApplication(
            ApplicationKind.Unit, "m1", "Li Ming", "13900139000", "power-contact", "County Power Supply", false,
            [], ["weekends"], ["electrical safety checks"], UnitKind.StateOwnedEnterprise), Submitted);
        var approved = ApplicationRules.Approve(application, new Actor("staff-t1", AccountRole.Staff), Submitted.AddHours(1)).Value!;
        var state = new ApplicationGrain.State { Application = approved };
        state.Trail.Add(new ApplicationEvent(ApplicationAction.Submitted, "power-contact", Submitted, null));
        state.Trail.Add(new ApplicationEvent(ApplicationAction.Approved, "staff-t1", Submitted.AddHours(1), null));
        var storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());

        var restored = storage.Deserialize<ApplicationGrain.State>(storage.Serialize(state));

        Assert.NotNull(restored?.Application);
        Assert.Equal(
            (ApplicationStatus.Approved, "13900139000", "staff-t1", "unit-a1", "County Power Supply"),
            (restored.Application.Status, restored.Application.Phone, restored.Application.DecidedBy, restored.Application.OrganisationId, restored.Application.Unit));
        Assert.Equal<string>(["electrical safety checks"], restored.Application.Offers);
        Assert.Equal(UnitKind.StateOwnedEnterprise, restored.Application.UnitKind);
        Assert.Equal([ApplicationAction.Submitted, ApplicationAction.Approved], restored.Trail.Select(e => e.Action));
    }

    [Fact]
    public void Waiting_notices_come_back_with_which_go_to_inboxes_only()
    {
        var application = ApplicationRules.Create("a1", new NewApplication(
            ApplicationKind.Person, "m1", "王芳", "13900139000", "wangfang", null, false, [], [], []), Submitted);
        var state = new ApplicationGrain.State { Application = application, PendingNotices = Dispatch.Notifications.ApplicationNotices.Waiting(application, ["c1", "t1", "m1"], Submitted) };
        var storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());

        var restored = storage.Deserialize<ApplicationGrain.State>(storage.Serialize(state));

        Assert.NotNull(restored);
        Assert.Equal(
            [("c1", "application:a1:submitted:staff:c1", true), ("t1", "application:a1:submitted:staff:t1", true), ("m1", "application:a1:submitted:staff:m1", false)],
            restored.PendingNotices.Select(n => (n.StaffOf, n.Key, n.InboxOnly)));
        Assert.All(restored.PendingNotices, n => Assert.Equal(("a1", "m1"), (n.Notice.ApplicationId, n.Notice.PlaceId)));
    }

    [Fact]
    public void A_communitys_list_comes_back_and_still_finds_by_id()
    {
        var state = new CommunityApplicationsGrain.State();
        state.Lines["a1"] = new ApplicationSummary("a1", "wangfang", ApplicationStatus.Waiting, Submitted);
        var storage = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());

        var restored = storage.Deserialize<CommunityApplicationsGrain.State>(storage.Serialize(state));

        Assert.NotNull(restored);
        Assert.Equal(state.Lines["a1"], restored.Lines["a1"]);
    }
}
