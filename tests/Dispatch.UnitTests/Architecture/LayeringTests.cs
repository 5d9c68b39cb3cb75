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

    [Fact]
    public void Only_the_scope_guard_asks_the_scope_rule_in_the_web_host()
    {
        // Every door asks ScopeGuard (find, 404, in scope?, 403); a handler that called Scope itself
        // would be a second place where the rule is applied, and one that can be forgotten.
        var callers = WebHost.GetTypes()
            .Where(type => !IsWithin(type, typeof(Dispatch.WebHost.Infrastructure.ScopeGuard)))
            .SelectMany(type => type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                .Where(method => Calls(method).Any(called => called.DeclaringType == typeof(Dispatch.Places.Scope)))
                .Select(method => $"{type.FullName}.{method.Name}"))
            .ToList();

        Assert.Empty(callers);
    }

    private static bool IsWithin(Type type, Type outer) =>
        type == outer || (type.DeclaringType is { } declaring && IsWithin(declaring, outer));

    /// <summary>The methods a method's IL calls (call and callvirt operands that resolve).</summary>
    private static IEnumerable<MethodBase> Calls(MethodInfo method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] is not (0x28 or 0x6F))
            {
                continue;
            }

            MethodBase? called = null;
            try
            {
                called = method.Module.ResolveMethod(BitConverter.ToInt32(il, i + 1), method.DeclaringType?.GetGenericArguments(), method.GetGenericArguments());
            }
            catch (ArgumentException)
            {
                // Not a method token: the byte was an operand of another instruction.
            }

            if (called is not null)
            {
                yield return called;
            }
        }
    }
}
