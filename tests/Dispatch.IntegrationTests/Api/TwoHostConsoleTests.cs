using System.Globalization;
using Dispatch.IntegrationTests.Support;
using Dispatch.Requests;

namespace Dispatch.IntegrationTests.Api;

/// <summary>
/// Two web hosts, each with its silo, in one cluster (localhost clustering, the second joining the
/// first) on one store: a change made through one host reaches consoles on the other.
/// </summary>
public sealed class TwoHostConsoleTests : IAsyncLifetime
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
        await volunteerOnA.PostOk<RequestView>($"/api/requests/{wish.Id}/claim");

        foreach (var console in consoles)
        {
            var seen = await console.Next(2);
            Assert.Equal(2, seen.Count);
            Assert.Equal(RequestStatus.Claimed, seen[1].Request!.Status);
            Assert.Equal<string>([World.Volunteer("m1", 1)], seen[1].Request!.Claimants);
            Assert.Equal(seen[0].Seq + 1, seen[1].Seq);
        }

        var townSaw = await town.Next(2);
        Assert.Equal(RequestStatus.Claimed, townSaw[1].Request!.Status);
        Assert.Empty(elsewhere.Drain());

        foreach (var console in consoles)
        {
            await console.DisposeAsync();
        }
    }
}
