using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Dispatch.WebHost.Health;

/// <summary>
/// Ready when the silo running in this process is <c>Active</c> in the cluster membership: it has
/// joined, and no other silo has declared it dead. Read from the membership service's current
/// snapshot, so it costs no call. Registered only in a process that runs a silo (the co-hosted
/// web host); a web host that is only an Orleans client has no membership of its own to report.
/// </summary>
public sealed class MembershipHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public const string Name = "membership";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(silo.SiloAddress);
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        var data = new Dictionary<string, object>
        {
            ["silo"] = silo.SiloAddress.ToString(),
            ["status"] = status.ToString(),
            ["activeSilos"] = active,
            ["version"] = snapshot.Version.Value,
        };
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"This silo is active; {active} active silo(s) in the cluster.", data)
            : HealthCheckResult.Unhealthy($"This silo is {status} in the cluster membership, not active.", data: data));
    }
}

public static class MembershipHealthCheckExtensions
{
    /// <summary>
    /// Adds <see cref="MembershipHealthCheck"/> (tagged <c>ready</c>) when a silo runs in this
    /// process. Decided when the health checks are first resolved, so it does not matter whether
    /// the silo was added before or after this call.
    /// </summary>
    public static IServiceCollection AddMembershipHealthCheck(this IServiceCollection services)
    {
        services.AddHealthChecks();
        services.AddSingleton<IConfigureOptions<HealthCheckServiceOptions>>(provider =>
            new ConfigureOptions<HealthCheckServiceOptions>(options =>
            {
                var registered = provider.GetRequiredService<IServiceProviderIsService>();
                if (registered.IsService(typeof(IClusterMembershipService))
                    && registered.IsService(typeof(ILocalSiloDetails))
                    && !options.Registrations.Any(r => r.Name == MembershipHealthCheck.Name))
                {
                    options.Registrations.Add(new HealthCheckRegistration(
                        MembershipHealthCheck.Name,
                        checks => ActivatorUtilities.CreateInstance<MembershipHealthCheck>(checks),
                        failureStatus: null,
                        tags: ["ready"]));
                }
            }));
        return services;
    }
}
