using System.Net;
using Dispatch.Common;
using Dispatch.Communities;
using Dispatch.Dispatching;
using Dispatch.IntegrationTests.Support;
using Dispatch.Places;
using Dispatch.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Issue #16, item 12: a disabled or moved account leaves the lists it was on: a volunteer's claims
/// are released and offers withdrawn (with history entries), they leave the old community's list
/// and the candidate pool and join the new one; moved staff leave the old place's staff list.
/// </summary>
public sealed class AccountPlacementTests : IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private DispatchApp app = null!;
    private World world = null!;

    private IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        app = new DispatchApp(directory.Path);
        world = await World.Create(app, volunteersPerCommunity: 3);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        directory.Dispose();
    }

    [Fact]
    public async Task A_disabled_volunteer_s_claims_are_released_offers_withdrawn_and_auto_dispatch_skips_them()
    {
        var disabled = World.Volunteer("m1", 1);
        using var staff = await world.As("staff-t1");
        using var volunteer = await world.As(disabled);
        var claimed = await PlaceRequestsApiTests.Publish(staff, "m1", "wish", "Weekly shopping", null, "food");
        await volunteer.PostOk<RequestView>($"/api/requests/{claimed.Id}/claim");
        await volunteer.PostOk<RequestView>($"/api/requests/{claimed.Id}/start");
        var offered = await PlaceRequestsApiTests.Publish(staff, "m1", "wish", "A thermos cup", null, "goods");
        await staff.PostOk<RequestView>($"/api/requests/{offered.Id}/dispatch", new { volunteer = disabled });

        await staff.PostOk<Accounts.AccountView>($"/api/accounts/{disabled}/disable", new { reason = "left the district" });

        var released = await staff.GetOk<RequestView>($"/api/requests/{claimed.Id}");
        Assert.Equal(RequestStatus.Open, released.Status);
        Assert.Empty(released.Claimants);
        var releasedEntry = (await staff.GetOk<HistoryEntry[]>($"/api/requests/{claimed.Id}/history"))[^1];
        Assert.Equal((RequestAction.Released, "staff-t1", RequestStatus.InProgress, RequestStatus.Open), (releasedEntry.Action, releasedEntry.Actor, releasedEntry.From, releasedEntry.To));
        Assert.Contains("disabled", releasedEntry.Note, StringComparison.Ordinal);

        var withdrawn = await staff.GetOk<RequestView>($"/api/requests/{offered.Id}");
        Assert.Null(withdrawn.Offer);
        var withdrawnEntry = (await staff.GetOk<HistoryEntry[]>($"/api/requests/{offered.Id}/history"))[^1];
        Assert.Equal((RequestAction.OfferWithdrawn, "staff-t1"), (withdrawnEntry.Action, withdrawnEntry.Actor));

        // The volunteer holds nothing any more, is off the community's list and out of every candidate pool.
        await Eventually.Get(() => Grains.GetGrain<Volunteers.IVolunteerGrain>(GrainKeys.Volunteer(disabled)).Get(), v => v!.ActiveClaims.IsEmpty && v.PendingOffers.IsEmpty);
        Assert.DoesNotContain(disabled, await Grains.GetGrain<ICommunityGrain>(GrainKeys.Community("m1")).GetVolunteers());
        var pool = await staff.GetOk<CandidatePool>($"/api/requests/{claimed.Id}/candidates");
        Assert.DoesNotContain(disabled, pool.Candidates.Select(c => c.Username));
        Assert.NotEmpty(pool.Candidates);

        // Automatic dispatch goes through the others only.
        var auto = await staff.PostOk<RequestView>($"/api/requests/{claimed.Id}/dispatch", new { auto = true });
        Assert.NotNull(auto.Offer);
        Assert.NotEqual(disabled, auto.Offer!.Volunteer);

        // Enabled again, they are back on the list.
        await staff.PostOk<Accounts.AccountView>($"/api/accounts/{disabled}/enable");
        Assert.Contains(disabled, await Grains.GetGrain<ICommunityGrain>(GrainKeys.Community("m1")).GetVolunteers());
    }

    [Fact]
    public async Task A_moved_volunteer_is_on_the_new_community_s_list_only_and_leaves_their_old_claims()
    {
        var moved = World.Volunteer("m1", 2);
        using var staff = await world.As("staff-t1");
        using var volunteer = await world.As(moved);
        var claimed = await PlaceRequestsApiTests.Publish(staff, "m1", "wish", "Weekly shopping", null, "food");
        await volunteer.PostOk<RequestView>($"/api/requests/{claimed.Id}/claim");

        await world.Admin.Put($"/api/accounts/{moved}/role", new { role = "volunteer", placeId = "m2" });

        Assert.DoesNotContain(moved, await Grains.GetGrain<ICommunityGrain>(GrainKeys.Community("m1")).GetVolunteers());
        Assert.Contains(moved, await Grains.GetGrain<ICommunityGrain>(GrainKeys.Community("m2")).GetVolunteers());
        var volunteerView = await Grains.GetGrain<Volunteers.IVolunteerGrain>(GrainKeys.Volunteer(moved)).Get();
        Assert.Equal("m2", volunteerView!.CommunityId);

        var released = await staff.GetOk<RequestView>($"/api/requests/{claimed.Id}");
        Assert.Empty(released.Claimants);
        var entry = (await staff.GetOk<HistoryEntry[]>($"/api/requests/{claimed.Id}/history"))[^1];
        Assert.Equal((RequestAction.Released, "admin"), (entry.Action, entry.Actor));
        Assert.Contains("'m2'", entry.Note, StringComparison.Ordinal);
        Assert.DoesNotContain(moved, (await staff.GetOk<CandidatePool>($"/api/requests/{claimed.Id}/candidates")).Candidates.Select(c => c.Username));
    }

    [Fact]
    public async Task Moved_staff_leave_the_old_place_s_staff_list_and_join_the_new_one()
    {
        await world.Admin.CreateAccount("staff-moving", "staff", "m1");
        Assert.Contains("staff-moving", await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place("m1")).GetStaff());

        var response = await world.Admin.Put("/api/accounts/staff-moving/role", new { role = "staff", placeId = "t2" });
        await DispatchClient.Expect(response, HttpStatusCode.OK);

        Assert.DoesNotContain("staff-moving", await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place("m1")).GetStaff());
        Assert.Contains("staff-moving", await Grains.GetGrain<IPlaceGrain>(GrainKeys.Place("t2")).GetStaff());
    }
}
