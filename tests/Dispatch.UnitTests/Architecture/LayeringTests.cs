using System.Reflection;
using Dispatch.Requests;

namespace Dispatch.UnitTests.Architecture;

/// <summary>
/// The web host's project cannot compile against Dispatch.Grains (it references the contracts and
/// the silo's hosting only). This catches the day someone adds the reference back: the compiler
/// records an assembly reference exactly when a type of that assembly is used.
/// </summary>
public sealed class LayeringTests
{
    private static readonly Assembly WebHost = typeof(Dispatch.WebHost.Hosting.OrleansHostingExtensions).Assembly;

    [Fact]
    public void The_web_host_uses_no_type_of_the_grains_implementation()
    {
        var referenced = WebHost.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.DoesNotContain("Dispatch.Grains", referenced);
        Assert.Contains("Dispatch.Grains.Interfaces", referenced);
    }

    [Fact]
    public void The_contracts_escalation_ladder_is_the_requests_own()
    {
        // Open311's notes read the ladder's top from the contracts; the request grain climbs its own.
        Assert.Equal(ServiceRequest.MaxLevel, RequestLimits.MaxEscalationLevel);
    }
}
