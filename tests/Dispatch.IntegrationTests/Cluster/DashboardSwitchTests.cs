using System.Net;
using Dispatch.IntegrationTests.Support;

namespace Dispatch.IntegrationTests.Cluster;

/// <summary>
/// The Orleans dashboard costs CPU on every silo (it polls every Orleans instrument each second);
/// <c>Dispatch:Telemetry:Dashboard=false</c> turns it off. A process of its own: Orleans' meter is
/// shared by the hosts of one process, and a host that stops takes it with it.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class DashboardSwitchTests
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
        await DispatchClient.Expect(await admin.Get("/metrics"), HttpStatusCode.OK);
    }
}
