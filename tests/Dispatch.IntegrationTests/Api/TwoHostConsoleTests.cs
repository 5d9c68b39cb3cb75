using System.Globalization;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;
using Xunit.Abstractions;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Two web hosts, each with its silo, in one cluster (localhost clustering, the second joining the
/// first) on one store: a change made through one host reaches consoles on the other.
/// </summary>
public sealed class TwoHostConsoleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private DispatchApp hostA = null!;
    private DispatchApp hostB = null!;

    public async Task InitializeAsync()
    {
        var primary = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        hostA = new DispatchApp(directory.Path, new Dictionary<string, string?> { ["Dispatch:Orleans:SiloPort"] = primary });
        await World.Create(hostA);
        hostB = new DispatchApp(directory.Path, new Dictionary<string, string?> { ["Dispatch:Orleans:PrimarySiloPort"] = primary });
        _ = hostB.Server; // Start it: its silo joins host A's.
    }

    public async Task DisposeAsync()
    {
        await hostB.DisposeAsync();
        await hostA.DisposeAsync();
        directory.Dispose();
    }

    [Fact]
    public async Task Fifty_consoles_on_one_host_see_a_claim_made_through_the_other_and_only_in_scope()
    {
        using var staffOnB = await hostB.LoginAs("staff-t1", World.Password);
        var consoles = new List<ConsoleClient>();
        for (var i = 0; i < 50; i++)
        {
            var console = await ConsoleClient.Connect(hostB, staffOnB);
            await console.Watch("m1");
            consoles.Add(console);
        }

        await using var town = await ConsoleClient.Connect(hostB, staffOnB);
        await town.Watch("t1");
        using var farStaff = await hostB.LoginAs("staff-m3", World.Password);
        await using var elsewhere = await ConsoleClient.Connect(hostB, farStaff);
        await elsewhere.Watch("m3");

        using var staffOnA = await hostA.LoginAs("staff-t1", World.Password);
        using var volunteerOnA = await hostA.LoginAs(World.Volunteer("m1", 1), World.Password);
        var wish = await staffOnA.CreateRequest("m1", title: "Seen across hosts");
        foreach (var console in consoles)
        {
            Assert.Single(await console.Next(1));
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await volunteerOnA.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");
        var acknowledged = clock.Elapsed;
        var claims = await Task.WhenAll(consoles.Select(c => c.Next(1)));
        var allReceived = clock.Elapsed;

        // Reported, not asserted: timings belong to the benchmarks.
        output.WriteLine($"claim answered after {acknowledged.TotalMilliseconds:F0} ms; all 50 consoles on the other host had it after {allReceived.TotalMilliseconds:F0} ms");
        foreach (var seen in claims)
        {
            var claimed = Assert.Single(seen);
            Assert.Equal(RequestStatus.Claimed, claimed.Request!.Status);
            Assert.Equal<string>([World.Volunteer("m1", 1)], claimed.Request!.Claimants);
        }

        var townSaw = await town.Next(2);
        Assert.Equal(RequestStatus.Claimed, townSaw[1].Request!.Status);

        // The m3 console heard nothing of m1: the first thing it gets is a change in m3.
        var inM3 = await farStaff.CreateRequest("m3", title: "Sentinel");
        Assert.Equal(inM3.Id, Assert.Single(await elsewhere.Next(1)).Request!.Id);

        foreach (var console in consoles)
        {
            await console.DisposeAsync();
        }
    }
}
