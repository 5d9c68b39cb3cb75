using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Cluster;

/// <summary>
/// The Orleans dashboard costs CPU on every silo (it polls every Orleans instrument each second);
/// <c>Dispatch:Telemetry:Dashboard=false</c> turns it off. A process of its own: Orleans' meter is
/// shared by the hosts of one process, and a host that stops takes it with it.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed partial class DashboardSwitchTests
{
    [Fact]
    public async Task With_the_dashboard_turned_off_there_is_no_dashboard_and_everything_else_works()
    {
        using var directory = new TempDirectory();
        using var host = await DispatchProcess.Start(
            directory.Path,
            settings: new Dictionary<string, string> { ["Dispatch__Telemetry__Dashboard"] = "false" });
        using var admin = await host.Admin();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.Get("/dashboard/")).StatusCode);
        await DispatchClient.Expect(await admin.Get("/health/ready"), HttpStatusCode.OK);

        // A sample of the rest: places and accounts, a wish through its whole lifecycle (grains,
        // storage, the board), and Dispatch's own metrics in the scrape.
        await World.Seed(admin, volunteersPerCommunity: 1);
        using var staff = await host.LoginAs("staff-t1", World.Password);
        using var volunteer = await host.LoginAs(World.Volunteer("m1", 1), World.Password);
        var wish = await staff.CreateRequest("m1");
        Assert.Equal(RequestStatus.Claimed, (await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/claim")).Status);
        Assert.Equal(RequestStatus.InProgress, (await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/start")).Status);
        Assert.Equal(RequestStatus.Completed, (await volunteer.PostOk<RequestView>($"/api/requests/{wish.Id}/complete", new { note = "Delivered" })).Status);
        Assert.Equal(RequestStatus.Verified, (await staff.PostOk<RequestView>($"/api/requests/{wish.Id}/verify", new { approved = true, rating = 5 })).Status);

        var board = await Eventually.Get(
            () => staff.GetOk<JsonObject>("/api/communities/m1/requests?status=verified"),
            b => b["total"]!.GetValue<int>() == 1);
        Assert.Equal(1, board["total"]!.GetValue<int>());
        var scrape = await Eventually.Get(
            async () => await (await admin.Get("/metrics")).Content.ReadAsStringAsync(),
            s => WonClaim().IsMatch(s));
        Assert.Matches(WonClaim(), scrape);
    }

    [GeneratedRegex(@"^dispatch_claims_total\{[^}]*outcome=""won""[^}]*\} [1-9]", RegexOptions.Multiline)]
    private static partial Regex WonClaim();
}
